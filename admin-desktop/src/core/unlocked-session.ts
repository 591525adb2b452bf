/**
 * What the core holds while a reviewer's keys are unlocked, and the context a
 * feature module (features/) gets to act on it. Features never keep their own
 * reference to the keys: they ask `need()` on each call, so a lock ends them.
 */
import type { PwhashParams } from '@sealtime/shared';
import type { Person } from '../api/admin-api.js';
import type { ProfileStore } from '../admin/node/profile-store.js';
import type { ServerClient } from '../admin/node/server-client.js';
import type { ImageService } from './image-service.js';
import type { OpenedIndex } from './opened-index.js';
import type { Outbox } from './outbox.js';
import type { DeviceKeys } from './record-opening.js';
import type { ReplicaStore } from './replica-store.js';
import type { ReplicaSync } from './replica-sync.js';
import type { ReviewerKeys } from './reviewer-keys.js';

export interface Unlocked {
  keys: ReviewerKeys;
  client: ServerClient;
  store: ReplicaStore;
  sync: ReplicaSync;
  index: OpenedIndex;
  images: ImageService;
  /** Signed actions waiting for the server (outbox.ts). */
  outbox: Outbox;
  devices: Map<string, DeviceKeys>;
  people: Person[];
  /** Kept while unlocked, for signing decisions with the reviewer's rings. */
  passphrase: string;
  stopChanges: () => void;
}

export interface CoreContext {
  /** The unlocked session, or a typed 'locked' / 'not-signed-in' error. */
  need(): Unlocked;
  profile: ProfileStore;
  /** The reviewer's IANA time zone (days and slots are cut in it). */
  timeZone: string;
  now(): number;
  /** HR and managers: a key ring file handed over by an admin (older set-ups). */
  keyringFile?: string;
  /** The signed-in session's client (locked or not), with the server trust chosen at sign-in: first-run steps. */
  sessionClient(): Promise<ServerClient>;
  /** Tests: Argon2id cost for key rings made by this core. */
  ringParams?: Pick<PwhashParams, 'opsLimit' | 'memLimitBytes'>;
  /** Something the views show changed: re-publish every open subscription. */
  republish(): void;
}

/**
 * What the core holds while a reviewer's keys are unlocked, and the context a
 * feature module (features/) gets to act on it. Features never keep their own
 * reference to the keys: they ask `need()` on each call, so a lock ends them.
 */
import type { PwhashParams } from '@sealtime/shared';
import type { Person } from '../api/admin-api.js';
import type { ProfileStore } from '../admin/profile-store.js';
import type { ServerClient } from '../admin/server-client.js';
import type { ImageService } from './image-service.js';
import type { OpenedIndex } from './opened-index.js';
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
  /** Tests: Argon2id cost of key rings this core creates (people screen: teams, employees). */
  keyParams?: Pick<PwhashParams, 'opsLimit' | 'memLimitBytes'>;
  /** Something the views show changed: re-publish every open subscription. */
  republish(): void;
}

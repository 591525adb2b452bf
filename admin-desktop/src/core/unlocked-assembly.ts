/**
 * Puts together what an unlock holds (unlocked-session.ts): the opened-record
 * index over the replica, the outbox, the image service and the live replica
 * sync, wired to the core's callbacks. Construction only: the core owns when
 * it starts and stops.
 */
import type { ServerClient } from '../admin/node/server-client.js';
import type { AdminCoreOptions } from './admin-core-options.js';
import { ImageService } from './image-service.js';
import { OpenedIndex } from './opened-index.js';
import { Outbox } from './outbox.js';
import { openReplicaDocs, type DeviceKeys } from './record-opening.js';
import { replicaRowsByHour, type ReplicaStore } from './replica-store.js';
import { startReplicaSync } from './replica-sync.js';
import type { ReviewerKeys } from './reviewer-keys.js';
import type { Unlocked } from './unlocked-session.js';

export interface UnlockedParts {
  keys: ReviewerKeys;
  client: ServerClient;
  store: ReplicaStore;
  devices: Map<string, DeviceKeys>;
  /** the devices to pull newest-first on a cold replica, known once the people are read */
  deviceIds: Promise<string[]>;
  passphrase: string;
  server: string;
  token: string;
  timeZone: string;
  now: () => number;
  /** a fetch pinned to the server's trust (CA file or fingerprint), when it has one */
  trustFetch: typeof fetch | undefined;
  options: Pick<AdminCoreOptions, 'outbox' | 'sync' | 'imageBudgetBytes'>;
  onDelivered: () => void;
  onOutboxChange: () => void;
  onSyncStatus: () => void;
}

export function assembleUnlocked(a: UnlockedParts): Unlocked {
  const { keys, client, store, devices, options } = a;
  const index = new OpenedIndex(
    async (e) => (await store.db.replica.find({ selector: { employeeId: e } }).exec()).map((d) => d.toMutableJSON()),
    (docs) => openReplicaDocs(docs, keys.opener, (e) => devices.get(e) ?? null),
    a.timeZone,
    (e, from, to) => replicaRowsByHour(store.db.replica, e, from, to),
  );
  const baseFetch = options.sync?.baseFetch ?? a.trustFetch;
  return {
    keys,
    client,
    store,
    index,
    devices,
    people: [],
    passphrase: a.passphrase,
    outbox: new Outbox({
      collection: store.db.outbox,
      meta: store,
      client: () => client,
      onDelivered: a.onDelivered,
      now: a.now,
      ...options.outbox,
      onChange: a.onOutboxChange,
    }),
    images: new ImageService({
      store,
      client: () => client,
      opener: () => keys.opener,
      deviceKeys: (e) => devices.get(e) ?? null,
      budgetBytes: options.imageBudgetBytes ?? 200 * 1024 * 1024,
    }),
    sync: startReplicaSync({
      serverUrl: a.server,
      token: a.token,
      sources: keys.scope.sources,
      collection: store.db.replica,
      recentFirst: { deviceIds: a.deviceIds, timeZone: a.timeZone },
      ...(options.sync?.minRetryMs ? { minRetryMs: options.sync.minRetryMs } : {}),
      ...(options.sync?.maxRetryMs ? { maxRetryMs: options.sync.maxRetryMs } : {}),
      ...(baseFetch ? { baseFetch } : {}),
      onStatus: a.onSyncStatus,
    }),
    stopChanges: () => undefined,
  };
}

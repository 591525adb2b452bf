/**
 * Rows written to the replica, as they land: the core reopens and
 * re-publishes what they touch. Read from RxDB's raw event bulks, not from
 * `collection.$`: RxDB 17 keeps every bulk that `$` flattened in a module
 * Map for good (EVENT_BULK_CACHE in rx-change-event.js), so with `$` every
 * pulled envelope stayed on the heap — the whole replica, ~130 MB at 30
 * people × 7 days and growing with it.
 */
import type { RxCollection } from 'rxdb';
import type { ReplicaDoc } from './replica-store.js';

/** Calls `onRow` for each written (or deleted) row, then `onBulk` once per written batch; returns the stop. */
export function watchReplicaRows(
  collection: RxCollection<ReplicaDoc>,
  onRow: (row: Pick<ReplicaDoc, 'employeeId' | 'deviceId' | 'hour'>) => void,
  onBulk: () => void,
): () => void {
  const sub = collection.eventBulks$.subscribe((bulk) => {
    for (const ev of bulk.events) {
      const d = (ev.documentData ?? ev.previousDocumentData) as ReplicaDoc | undefined;
      if (d?.employeeId) onRow(d);
    }
    onBulk();
  });
  return () => sub.unsubscribe();
}

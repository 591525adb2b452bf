/**
 * Forgetting records in this app for good: replica rows and their sealed
 * images removed, and the tombstones RxDB keeps (with the document's data)
 * cleaned up at once, so nothing of them stays in the LevelDB replica.
 */
import type { Unlocked } from './unlocked-session.js';

/** Rows of the replica and the image cache with these ids (or all of one employee) removed, tombstones cleaned. */
export async function forgetLocally(
  u: Unlocked,
  rows: { employeeId?: string; ids?: readonly string[] },
): Promise<{ replica: number; images: number }> {
  const replica = u.store.db.replica;
  const docs = rows.ids
    ? await replica
        .findByIds([...rows.ids])
        .exec()
        .then((m) => [...m.values()])
    : await replica.find({ selector: { employeeId: rows.employeeId! } }).exec();
  const ids = docs.map((d) => d.id);
  u.images.forgetRecords(ids); // links to their images end now, not when they expire
  const images = [...(await u.store.db.images.findByIds(ids).exec()).values()];
  for (const d of docs) await d.remove();
  for (const d of images) await d.remove();
  // a removed RxDB document stays as a tombstone with its data until cleaned up: clean now
  await replica.storageInstance.cleanup(0);
  await u.store.db.images.storageInstance.cleanup(0);
  return { replica: docs.length, images: images.length };
}

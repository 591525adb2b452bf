import { getStartIndexStringFromLowerBound, getStartIndexStringFromUpperBound, now } from 'rxdb';
import { readDocs } from './leveldb-docs.js';
import { cleanupIndex } from './leveldb-indexes.js';
import { attachmentDocPrefix, indexPrefix } from './leveldb-keys.js';
import { DocumentBatchWriter } from './leveldb-write.js';
import type { LevelCollectionState, LevelHandle } from './leveldb-types.js';

/**
 * Physically removes deleted documents whose deletion is older than
 * minimumDeletedTime ms, with their index entries and attachments, in one
 * batch. Runs inside the collection's write queue.
 */
export async function purgeDeleted(
  db: LevelHandle,
  state: LevelCollectionState,
  primaryPath: string,
  minimumDeletedTime: number,
  sync: boolean,
): Promise<boolean> {
  const maxDeletionTime = now() - minimumDeletedTime;
  const index = cleanupIndex(state.indexes, primaryPath);
  const fields = index.fields;
  const p = indexPrefix(state.prefix, index.no);
  // On ['_deleted', '_meta.lwt', id] the range stops at the cut-off; on
  // another `_deleted`-first index it holds every deleted document (the
  // boolean's index string is '1'), and the filter below keeps the old ones.
  const range =
    fields[1] === '_meta.lwt'
      ? {
          gte: p + getStartIndexStringFromLowerBound(state.schema, fields, [true, 0, '']),
          lte: p + getStartIndexStringFromUpperBound(state.schema, fields, [true, maxDeletionTime, '\uffff']),
        }
      : { gte: p + '1', lt: p + '2' };
  const ids: string[] = [];
  for await (const id of db.values(range)) ids.push(id);
  if (ids.length === 0) return true;
  const docs = await readDocs(db, state.prefix, ids);
  const purged = [...docs].filter(([, doc]) => doc._deleted && doc._meta.lwt <= maxDeletionTime);
  const attachmentKeys: string[] = [];
  if (state.schema.attachments) {
    for (const [id] of purged) {
      const p = attachmentDocPrefix(state.prefix, id);
      for await (const key of db.keys({ gte: p, lt: p + '\uffff' })) attachmentKeys.push(key);
    }
  }
  const counts = state.counts;
  counts.beginWrite();
  const writer = new DocumentBatchWriter(state.batch.begin(), state.prefix, state.indexes, counts, state.docCache);
  try {
    for (const [id, doc] of purged) writer.purge(id, doc);
    for (const key of attachmentKeys) writer.batch.del(key);
  } catch (err) {
    await writer.abandon(counts);
    throw err;
  }
  await writer.commit(counts, sync);
  void state.iterators.closeIdle();
  return true;
}

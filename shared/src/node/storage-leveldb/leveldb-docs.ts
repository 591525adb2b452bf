import type { RxDocumentData } from 'rxdb';
import { docKey } from './leveldb-keys.js';
import type { LevelCollectionState, LevelHandle } from './leveldb-types.js';

type AnyDoc = RxDocumentData<unknown>;

/** Stored documents by id, in one getMany; ids not stored are absent from the map. */
export async function readDocs(db: LevelHandle, prefix: string, ids: readonly string[]): Promise<Map<string, AnyDoc>> {
  const out = new Map<string, AnyDoc>();
  if (ids.length === 0) return out;
  const values = await db.getMany(ids.map((id) => docKey(prefix, id)));
  for (let i = 0; i < ids.length; i++) {
    const v = values[i];
    if (v !== undefined) out.set(ids[i]!, JSON.parse(v) as AnyDoc);
  }
  return out;
}

/**
 * readDocs without leaving the thread: LevelDB's Get on the calling thread,
 * one key at a time. For the conflict check of a bulk write, whose ids are
 * mostly new (a miss is a memtable probe and bloom filters, no disk read), it
 * saves the round trip to the thread pool and back, which on a loaded machine
 * costs more than the lookups themselves.
 */
export function readDocsSync(db: LevelHandle, prefix: string, ids: readonly string[]): Map<string, AnyDoc> {
  const out = new Map<string, AnyDoc>();
  for (const id of ids) {
    const v = db.getSync(docKey(prefix, id));
    if (v !== undefined) out.set(id, JSON.parse(v) as AnyDoc);
  }
  return out;
}

/**
 * readDocs through the collection's document cache. What it reads from disk
 * goes into the cache only if no write started or ran meanwhile.
 */
export async function readDocsCached(
  db: LevelHandle,
  state: LevelCollectionState,
  ids: readonly string[],
): Promise<Map<string, AnyDoc>> {
  const cache = state.docCache;
  const out = new Map<string, AnyDoc>();
  const missing: string[] = [];
  for (const id of ids) {
    const doc = cache.get(id);
    if (doc) out.set(id, doc);
    else missing.push(id);
  }
  if (missing.length === 0) return out;
  const ticket = state.counts.ticket();
  const read = await readDocs(db, state.prefix, missing);
  const keep = state.counts.stillValid(ticket);
  for (const [id, doc] of read) {
    out.set(id, doc);
    if (keep) cache.set(id, doc);
  }
  return out;
}

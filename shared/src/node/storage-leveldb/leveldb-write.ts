import type { RxDocumentData } from 'rxdb';
import { IndexRangeCounts } from './leveldb-counts.js';
import type { DocCache } from './leveldb-doc-cache.js';
import { docKey, indexKey } from './leveldb-keys.js';
import type { BatchSink } from './leveldb-reusable-batch.js';
import type { LevelIndex } from './leveldb-types.js';

export type LevelBatch = BatchSink;
/** Index keys a write adds and removes, per index number (only for indexes whose counts are kept). */
export type IndexChanges = Map<number, { added: string[]; removed: string[] }>;

/**
 * Puts documents and their index entries into a chained batch. A chained
 * batch, not `db.batch(array)`: abstract-level clones and re-validates every
 * operation object of an array batch, which was the largest single cost of a
 * bulk insert in the profile. The batch is the collection's reused one
 * where it can be (leveldb-reusable-batch.ts).
 */
export class DocumentBatchWriter {
  readonly changes: IndexChanges = new Map();
  /** ids whose stored document this batch replaces or drops */
  private readonly touched: string[] = [];

  constructor(
    readonly batch: LevelBatch,
    private readonly prefix: string,
    private readonly indexes: readonly LevelIndex[],
    counts: IndexRangeCounts,
    private readonly cache: DocCache,
  ) {
    for (const index of indexes) if (counts.tracks(index.no)) this.changes.set(index.no, { added: [], removed: [] });
  }

  /** A document that is not stored yet: its row and one entry per index. */
  insert(id: string, doc: RxDocumentData<unknown>): void {
    const { batch, prefix } = this;
    this.touched.push(id);
    batch.put(docKey(prefix, id), JSON.stringify(doc));
    for (const index of this.indexes) {
      const key = indexKey(prefix, index.no, index.toIndexString(doc));
      batch.put(key, id);
      this.changes.get(index.no)?.added.push(key);
    }
  }

  /** A stored document replaced: index entries that moved are deleted and put anew. */
  update(id: string, doc: RxDocumentData<unknown>, previous: RxDocumentData<unknown> | undefined): void {
    const { batch, prefix } = this;
    this.touched.push(id);
    batch.put(docKey(prefix, id), JSON.stringify(doc));
    for (const index of this.indexes) {
      const newKey = indexKey(prefix, index.no, index.toIndexString(doc));
      const oldKey = previous ? indexKey(prefix, index.no, index.toIndexString(previous)) : undefined;
      if (oldKey === newKey) continue; // unchanged entry: nothing to write
      const tracked = this.changes.get(index.no);
      if (oldKey !== undefined) {
        batch.del(oldKey);
        tracked?.removed.push(oldKey);
      }
      batch.put(newKey, id);
      tracked?.added.push(newKey);
    }
  }

  /** A document dropped for good (cleanup): its row and every index entry. */
  purge(id: string, doc: RxDocumentData<unknown>): void {
    const { batch, prefix } = this;
    this.touched.push(id);
    batch.del(docKey(prefix, id));
    for (const index of this.indexes) {
      const key = indexKey(prefix, index.no, index.toIndexString(doc));
      batch.del(key);
      this.changes.get(index.no)?.removed.push(key);
    }
  }

  /**
   * Commits the batch (fsynced when `sync`), brings the kept counts up to
   * date and drops the touched documents from the cache (before the write
   * ends, so no read that overlapped it can put an old state back). The writer is made right after counts.beginWrite(); commit or
   * abandon ends that write on the counts in every case.
   */
  async commit(counts: IndexRangeCounts, sync: boolean): Promise<void> {
    if (this.batch.length === 0) {
      await this.batch.discard();
      counts.endWrite(undefined);
      return;
    }
    try {
      await this.batch.write(sync);
    } catch (err) {
      // whether any of it landed is unknown: recount and reread from disk
      counts.clear();
      this.cache.clear();
      counts.endWrite(undefined);
      throw err;
    }
    for (const id of this.touched) this.cache.forget(id);
    counts.endWrite(this.changes);
  }

  /** Drops the batch unwritten (building it failed). */
  async abandon(counts: IndexRangeCounts): Promise<void> {
    counts.endWrite(undefined);
    await this.batch.discard();
  }
}

import type { RxDocumentData } from 'rxdb';

/**
 * The most recently read documents of a collection, parsed, so a query that
 * returns rows read a moment ago (RxDB re-runs its queries on every change;
 * the admin app pages back and forth) skips the LevelDB read and JSON.parse.
 * Bounded: the first cached goes first (a read does not reorder the map,
 * which would cost a delete and an insert per row); every write forgets the
 * ids it touched. Rows are shared with RxDB, which never mutates storage results
 * (its own memory storage hands out its stored objects the same way).
 *
 * Filled only with reads that no write overlapped (see IndexRangeCounts
 * tickets), so it never holds a state older than the one on disk.
 */
export class DocCache {
  private readonly docs = new Map<string, RxDocumentData<unknown>>();

  constructor(readonly max: number) {}

  get(id: string): RxDocumentData<unknown> | undefined {
    return this.docs.get(id);
  }

  set(id: string, doc: RxDocumentData<unknown>): void {
    if (this.max <= 0) return;
    this.docs.delete(id);
    this.docs.set(id, doc);
    if (this.docs.size > this.max) this.docs.delete(this.docs.keys().next().value!);
  }

  forget(id: string): void {
    this.docs.delete(id);
  }

  clear(): void {
    this.docs.clear();
  }

  get size(): number {
    return this.docs.size;
  }
}

import type { PreparedQuery } from 'rxdb';
import type { IndexRangeCounts } from './leveldb-counts.js';

/** Results longer than this are not kept (a page of a few hundred rows is what gets re-run). */
const MAX_KEPT_IDS = 1000;

/**
 * The ids a prepared query returned, kept until the collection's next write,
 * so running the same query again (RxDB prepares a query once and re-runs
 * it; the admin app pages back and forth) reads no index: the ids, then the
 * rows from the document cache. Exact: an entry counts only while no write
 * started or ran since its walk began (the counts' write tickets, the same
 * rule as the kept counts and the document cache). Keyed by the prepared
 * query object, so entries go with the queries that made them.
 */
export class QueryResultIds {
  private readonly kept = new WeakMap<object, { ticket: number; ids: readonly string[] }>();

  constructor(private readonly counts: IndexRangeCounts) {}

  get(prepared: PreparedQuery<unknown>): readonly string[] | undefined {
    const entry = this.kept.get(prepared);
    if (!entry) return undefined;
    if (this.counts.stillValid(entry.ticket)) return entry.ids;
    this.kept.delete(prepared);
    return undefined;
  }

  /** `ticket` was taken before the walk that found `ids`. */
  set(prepared: PreparedQuery<unknown>, ticket: number | undefined, ids: readonly string[]): void {
    if (ticket === undefined || ids.length > MAX_KEPT_IDS || !this.counts.stillValid(ticket)) return;
    this.kept.set(prepared, { ticket, ids });
  }
}

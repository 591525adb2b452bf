/**
 * The rest of a cold replica after its recent window (replica-window.ts):
 * every document outside the id ranges the window read whole, by
 * `_all_docs` id ranges, a few at once. The window's rows are not fetched a
 * second time, as they were when the `_changes` feed from 0 followed it.
 *
 * The caller takes the database's `update_seq` before the window and, once
 * this pass is done, starts the `_changes` pull from there: what was written
 * or deleted meanwhile comes with it, and everything older was read here or
 * by the window.
 */
import { recordIdRanges } from '@sealtime/shared';
import type { RxCollection } from 'rxdb';
import { storeServerDocs } from './replica-pull.js';
import type { ReplicaDoc } from './replica-store.js';

export interface HistoryOptions {
  /** Gateway base URL (no trailing slash). */
  base: string;
  fetch: typeof fetch;
  source: string;
  collection: RxCollection<ReplicaDoc>;
  toRow: (source: string, raw: Record<string, unknown>) => ReplicaDoc & { _deleted: boolean };
  /** Device → lowest id from which on the window stored everything of that device but its media range. */
  covered: ReadonlyMap<string, string>;
  pageSize?: number;
  /** Ranges read at once (default 3). */
  concurrency?: number;
  /** Rows newly written by a page. */
  onWritten?: (n: number) => void;
}

/** A key range [from, to) of `_all_docs`; `to` null is the end of the database. */
export interface IdRange {
  from: string;
  to: string | null;
}

/**
 * The id ranges outside the covered ones, and outside `_design/…`: the
 * gateway leaves design documents out of listings, so a page that met one
 * would come back short and look like the range's last.
 */
export function uncoveredRanges(covered: ReadonlyMap<string, string>): IdRange[] {
  const skip = [
    // the window reads up to a device's media range, never into it: that range is read here
    ...[...covered].map(([deviceId, lowest]) => ({ from: lowest, to: recordIdRanges(deviceId).main.to })),
    { from: '_design/', to: '_design0' },
  ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: IdRange[] = [];
  let at = '';
  for (const s of skip) {
    if (s.from > at) out.push({ from: at, to: s.from });
    if (s.to > at) at = s.to;
  }
  out.push({ from: at, to: null });
  return out;
}

/** Reads every uncovered range into the replica; the rows newly written. */
export async function pullHistory(o: HistoryOptions): Promise<number> {
  const pageSize = o.pageSize ?? 500;
  const q = (v: string) => encodeURIComponent(JSON.stringify(v));
  let written = 0;
  const readRange = async (r: IdRange) => {
    let start = `startkey=${q(r.from)}`;
    for (;;) {
      const end = r.to === null ? '' : `&endkey=${q(r.to)}&inclusive_end=false`;
      const res = await o.fetch(`${o.base}/${o.source}/_all_docs?include_docs=true&limit=${pageSize}&${start}${end}`);
      const body = (await res.json()) as { rows?: Array<{ id: string; doc?: Record<string, unknown> }> };
      if (!Array.isArray(body.rows)) throw new Error(`GET _all_docs of ${o.source}: an answer without rows`);
      const n = await storeServerDocs(
        o.collection,
        o.source,
        o.toRow,
        body.rows.flatMap((x) => (x.doc ? [x.doc] : [])),
      );
      written += n;
      if (n > 0) o.onWritten?.(n);
      if (body.rows.length < pageSize) return;
      start = `startkey=${q(body.rows[body.rows.length - 1]!.id)}&skip=1`;
    }
  };
  const ranges = uncoveredRanges(o.covered);
  let next = 0;
  const worker = async () => {
    while (next < ranges.length) await readRange(ranges[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 3) }, worker));
  return written;
}

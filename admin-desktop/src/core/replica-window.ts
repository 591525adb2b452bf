/**
 * The first pass of a cold replica: each device's newest records, back to
 * the day before the newest day most devices have, pulled before the full
 * history so the dashboard of that day is complete in seconds instead of
 * after the whole month.
 *
 * Record ids are `<deviceId>:<zero-padded seq>` and a device seals in time
 * order, so a descending `_all_docs` over one device's id range is that
 * device's records newest first, whatever order the server's changes feed
 * holds them in. A device's pages stop after a run of rows sealed before
 * the window. Screenshot records (class `media`) have their own range,
 * `<deviceId>:m<seq>` (shared recordDocId), which this pass leaves to the
 * history: the dashboard needs no thumbnail, and they were ~90 % of the
 * window's bytes.
 *
 * Only a prioritisation: the live replication that follows pulls every
 * document again from its checkpoint, so nothing this pass misses is lost
 * and nothing it pulled differs from what the replication writes.
 */
import { localDateOf, localDayBounds, recordIdRanges } from '@sealtime/shared';
import type { RxCollection } from 'rxdb';
import type { ReplicaDoc } from './replica-store.js';

const HOUR_MS = 3_600_000;

export interface RecentWindowOptions {
  /** Gateway base URL (no trailing slash). */
  base: string;
  fetch: typeof fetch;
  source: string;
  deviceIds: readonly string[];
  timeZone: string;
  collection: RxCollection<ReplicaDoc>;
  /** A server document as a replica row (replica-sync.ts's toReplicaDoc: the same rows the replication writes). */
  toRow: (source: string, raw: Record<string, unknown>) => ReplicaDoc & { _deleted: boolean };
  /**
   * Hours before the newest day's local midnight also pulled; default 24:
   * the dashboard of day D reads the buckets sealed from D-1 on (the day
   * before is where a session running into D, and the state at midnight,
   * come from), so with D-1 whole its figures are final before the history.
   */
  hoursBefore?: number;
  pageSize?: number;
  /**
   * Consecutive rows sealed before the window that end a device's pass
   * (default 20): seq order is sealing order, but a record backdated by its
   * maker (a correction about an earlier day) may sit among newer ones.
   */
  slack?: number;
  /** Devices read at once (default 4). */
  concurrency?: number;
  /**
   * Filled with each device's lowest id from which on all its records but
   * media ones are stored (its id range from there up to the media range was
   * read whole and kept): the history pull (replica-history.ts) then reads
   * only what lies outside, the media range included.
   */
  covered?: Map<string, string>;
}

interface Page {
  rows: ReplicaDoc[];
  /** The id to continue after, or null when the device has no older rows. */
  next: string | null;
}

/** Rows of the window written into the replica; their ids, so the replication does not count them twice. */
export async function pullRecentWindow(o: RecentWindowOptions): Promise<Set<string>> {
  const pageSize = o.pageSize ?? 200;
  const slack = o.slack ?? 20;
  const written = new Set<string>();
  const q = (v: string) => encodeURIComponent(JSON.stringify(v));
  const page = async (deviceId: string, after: string | null): Promise<Page> => {
    const range = recordIdRanges(deviceId).main;
    // descending from the media range's start (no id equals it) down to the device's first id
    const from = after === null ? `startkey=${q(range.to)}` : `startkey=${q(after)}&skip=1`;
    const res = await o.fetch(
      `${o.base}/${o.source}/_all_docs?descending=true&include_docs=true&limit=${pageSize}&${from}&endkey=${q(range.from)}`,
    );
    const body = (await res.json()) as { rows?: Array<{ id: string; doc?: Record<string, unknown> }> };
    const raw = body.rows ?? [];
    const rows = raw
      .flatMap((r) => (r.doc ? [o.toRow(o.source, r.doc)] : []))
      .flatMap(({ _deleted, ...d }) => (_deleted ? [] : [d]));
    return { rows, next: raw.length < pageSize ? null : raw[raw.length - 1]!.id };
  };
  const store = async (rows: ReplicaDoc[]) => {
    const fresh = rows.filter((r) => !written.has(r.id));
    if (fresh.length === 0) return;
    await o.collection.bulkUpsert(fresh);
    for (const r of fresh) written.add(r.id);
  };
  const each = async <T>(items: readonly T[], run: (x: T) => Promise<void>) => {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await run(items[next++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 4) }, worker));
  };

  // the newest page of every device says which day is the newest one
  const first = new Map<string, Page>();
  await each(o.deviceIds, async (d) => {
    first.set(d, await page(d, null));
  });
  // the median device's newest hour: a night shift running into the next morning, or a
  // device left on over the weekend, does not move the window past the others' last day
  const newestOf = [...first.values()]
    .map((p) => Math.max(0, ...p.rows.map((r) => r.hour)))
    .filter((h) => h > 0)
    .sort((a, b) => a - b);
  if (newestOf.length === 0) return written;
  const newest = newestOf[Math.floor((newestOf.length - 1) / 2)]!;
  const midnight = localDayBounds(localDateOf(newest, o.timeZone), o.timeZone).start;
  const from = Math.floor(midnight / HOUR_MS) * HOUR_MS - (o.hoursBefore ?? 24) * HOUR_MS;

  await each([...first.keys()], async (deviceId) => {
    let p = first.get(deviceId)!;
    let older = 0;
    // a device's window is written in one go: each write makes the open views re-open that
    // person's days, and page by page a cold dashboard was re-opened once per page
    const mine: ReplicaDoc[] = [];
    let whole = true; // every row read so far is kept: the device's range down to here is complete
    let lowest: string | null = null;
    for (;;) {
      for (const r of p.rows) {
        // rows without an hour (legacy) are kept: the views read them with every day
        const keep = r.hour === 0 || r.hour >= from;
        if (keep) mine.push(r);
        whole &&= keep;
        if (whole) lowest = r.id;
        older = keep ? 0 : older + 1;
      }
      if (p.next === null || older >= slack) break;
      p = await page(deviceId, p.next);
    }
    await store(mine);
    if (lowest !== null) o.covered?.set(deviceId, lowest);
  });
  return written;
}

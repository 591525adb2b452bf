/**
 * Reads every live leaf of every document of one database, with its
 * revision history, for the backup: the same requests on the embedded
 * engine and on CouchDB, one node or a cluster.
 *
 * Why not `_all_docs?include_docs=true` alone: on a cluster it answers from
 * one copy of each shard, which may not have caught up with a write just
 * acknowledged (measured: 25 of 200 reads straight after an update gave the
 * old revision). So the listing only names ids and leaves; the bodies come
 * from `_bulk_get` with `latest=true`, which on a cluster asks a quorum of
 * copies and merges their revision trees, and returns the newest leaf
 * descending from each listed one. A listed leaf that a quorum no longer
 * knows is read again; a leaf deleted since the listing is left out, as
 * deleted documents are.
 */
import type { ServerScope } from 'nano';
import type { StoredDoc } from './backup-format.js';
import { OpsError } from './ops-errors.js';

const PAGE = 500;
/** A leaf the quorum could not give is asked for again this many times. */
const RETRIES = 3;

interface ListRow {
  id: string;
  doc?: { _rev: string; _conflicts?: string[] };
}

interface BulkGetResult {
  id: string;
  docs: Array<{ ok?: StoredDoc & { _deleted?: boolean }; error?: { rev?: string; error?: string; reason?: string } }>;
}

type Wanted = { id: string; rev: string };

/** One `_bulk_get` round: the newest leaf under each wanted revision; what it could not give comes back in `missed`. */
async function fetchLeaves(
  nano: ServerScope,
  db: string,
  wanted: Wanted[],
): Promise<{ docs: StoredDoc[]; missed: Wanted[] }> {
  const res = (await nano.request({
    db,
    path: '_bulk_get',
    method: 'POST',
    qs: { revs: true, attachments: true, latest: true },
    body: { docs: wanted },
  })) as { results: BulkGetResult[] };
  const docs: StoredDoc[] = [];
  const missed: Wanted[] = [];
  // the answer keeps the order of the request, one result per wanted leaf
  res.results.forEach((r, i) => {
    const asked = wanted[i] ?? { id: r.id, rev: '' };
    const got = r.docs.map((d) => d.ok).filter((d): d is StoredDoc & { _deleted?: boolean } => d !== undefined);
    if (got.length === 0) missed.push(asked);
    for (const d of got) if (!d._deleted) docs.push(d);
  });
  return { docs, missed };
}

/** Every live leaf of every document of `db` (winner and conflicts), in id order, each at least as new as the listing named it. */
export async function* documentsOf(nano: ServerScope, db: string): AsyncGenerator<StoredDoc> {
  let startkey: string | undefined;
  for (;;) {
    // nano JSON-encodes startkey itself: encoded here as well it named no id, and every page started over
    const page = (await nano.request({
      db,
      path: '_all_docs',
      qs: {
        include_docs: true,
        conflicts: true,
        limit: PAGE,
        ...(startkey !== undefined ? { startkey, skip: 1 } : {}),
      },
    })) as { rows: ListRow[] };
    let wanted: Wanted[] = page.rows.flatMap((row) =>
      row.doc ? [row.doc._rev, ...(row.doc._conflicts ?? [])].map((rev) => ({ id: row.id, rev })) : [],
    );
    const byId = new Map<string, Map<string, StoredDoc>>();
    for (let attempt = 0; wanted.length > 0; attempt++) {
      const { docs, missed } = await fetchLeaves(nano, db, wanted);
      for (const d of docs) {
        let leaves = byId.get(d._id);
        if (!leaves) byId.set(d._id, (leaves = new Map()));
        leaves.set(d._rev, d); // two listed leaves may have grown into the same newest one
      }
      if (missed.length > 0 && attempt >= RETRIES) {
        throw new OpsError(
          'verify-failed',
          `${db}: ${missed.length} documents could not be read at a revision as new as listed (first: ${missed[0]!.id} ${missed[0]!.rev}); is a node of the cluster down? run the backup again`,
        );
      }
      wanted = missed;
      if (missed.length > 0) await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
    for (const row of page.rows)
      yield* [...(byId.get(row.id)?.values() ?? [])].sort((a, b) => (a._rev < b._rev ? -1 : a._rev > b._rev ? 1 : 0));
    if (page.rows.length < PAGE) return;
    startkey = page.rows[page.rows.length - 1]!.id;
  }
}

/**
 * Purge on Apache CouchDB: `POST /{db}/_purge` with every leaf revision of
 * each chosen document (CouchDB removes the document entirely once no leaf
 * is left), then `POST /{db}/_compact` so the bodies leave the database file
 * (purge alone frees no disk space). Candidates come from `_changes` with
 * `style=all_docs`, which lists every leaf, deleted ones and conflicts
 * included. CouchDB accepts at most 100 document ids per purge request by
 * default (`[purge] max_document_id_number`), hence the batches.
 */
import type { ServerScope } from 'nano';
import type { DocSelector, PurgeCount } from './leveldb-purge.js';

const PAGE = 500;
const PURGE_BATCH = 100;

interface ChangeRow {
  id: string;
  changes: Array<{ rev: string }>;
  deleted?: boolean;
  doc?: Record<string, unknown>;
}

export async function purgeCouchDb(nano: ServerScope, db: string, select: DocSelector): Promise<PurgeCount> {
  const doomed: Record<string, string[]> = {};
  let examined = 0;
  let since: string | number = 0;
  for (;;) {
    const page = (await nano.request({
      db,
      path: '_changes',
      qs: { style: 'all_docs', include_docs: true, since, limit: PAGE },
    })) as { results: ChangeRow[]; last_seq: string | number };
    for (const row of page.results) {
      if (row.id.startsWith('_design/')) continue;
      examined++;
      if (select({ ...(row.doc ?? {}), _id: row.id })) doomed[row.id] = row.changes.map((c) => c.rev);
    }
    if (page.results.length < PAGE) break;
    since = page.last_seq;
  }
  const ids = Object.keys(doomed);
  for (let i = 0; i < ids.length; i += PURGE_BATCH) {
    const body = Object.fromEntries(ids.slice(i, i + PURGE_BATCH).map((id) => [id, doomed[id]!]));
    await nano.request({ db, path: '_purge', method: 'POST', body });
  }
  if (ids.length > 0) await nano.request({ db, path: '_compact', method: 'POST', body: {} });
  return { examined, removed: ids.length };
}

/**
 * The push handler of the sealed records: what RxDB's couchdb plugin does,
 * minus its conflict pre-check. The plugin first reads every pushed id back
 * (`_all_docs` with the documents) to learn which ones the server holds,
 * then writes the rest. Records are append-only and written once, so that
 * read almost always finds nothing, and costs the server one index walk per
 * id plus a round trip per batch (a fifth of a backlog drain, bench:agent).
 *
 * Here the batch is written straight away, each document without a
 * revision; the server answers `conflict` for the ids it holds already, and
 * only those are read back. The outcome per document is the plugin's:
 *   - not on the server: written, acknowledged;
 *   - on the server, and what this device last saw there (assumedMasterState
 *     equal): written again on top of the server's revision;
 *   - on the server otherwise: returned as a conflict, for the collection's
 *     conflict handler (store/sealed-conflicts.ts) to judge.
 * A document is acknowledged only when the server answered `ok` for it.
 */
import type { RxCollection, RxReplicationWriteToMasterRow, WithDeleted } from 'rxdb';
import { couchDBDocToRxDocData, couchSwapPrimaryToId } from 'rxdb/plugins/replication-couchdb';
import { SyncRequestError } from './authorized-fetch.js';

interface WriteResult {
  id?: string;
  ok?: boolean;
  error?: string;
  reason?: string;
}

interface StoredRow {
  id?: string;
  key?: string;
  doc?: Record<string, unknown> | null;
}

/** `url` ends with `/` (the database); `fetch` is the sync's authorized fetch. */
export function appendOnlyPushHandler<T>(
  collection: RxCollection<T>,
  url: string,
  fetch: typeof globalThis.fetch,
): (rows: RxReplicationWriteToMasterRow<T>[]) => Promise<WithDeleted<T>[]> {
  const primary = collection.schema.primaryPath as string;
  const idOf = (row: RxReplicationWriteToMasterRow<T>): string =>
    (row.newDocumentState as Record<string, unknown>)[primary] as string;
  const toCouch = (row: RxReplicationWriteToMasterRow<T>, rev?: string): Record<string, unknown> => {
    const doc = couchSwapPrimaryToId(primary as never, { ...(row.newDocumentState as Record<string, unknown>) });
    return rev === undefined ? doc : { ...doc, _rev: rev };
  };

  const post = async <R>(path: string, body: unknown): Promise<R> => {
    const res = await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as R;
  };

  /** Writes `docs`; what the server answered for each id that was not `ok` (`conflict`, or a refusal). */
  const write = async (docs: Record<string, unknown>[]): Promise<Map<string, string>> => {
    const answer = await post<WriteResult[]>('_bulk_docs', { docs });
    if (!Array.isArray(answer))
      throw new SyncRequestError('POST _bulk_docs: the server answered no list of results', null, 'bad-answer');
    const unsettled = new Map<string, string>();
    for (const r of answer)
      if (r.ok !== true)
        unsettled.set(String(r.id), r.error === 'conflict' ? 'conflict' : `${String(r.error)}: ${String(r.reason)}`);
    return unsettled;
  };
  const refused = (id: string, why: string) =>
    new SyncRequestError(`POST _bulk_docs: ${id} refused (${why})`.slice(0, 300), null, 'refused');

  /** The server's current documents under `ids` (deleted or missing ones are left out). */
  const readStored = async (ids: string[]): Promise<Map<string, Record<string, unknown>>> => {
    const answer = await post<{ rows?: StoredRow[] }>('_all_docs?include_docs=true', { keys: ids });
    const out = new Map<string, Record<string, unknown>>();
    for (const r of answer.rows ?? []) if (r.doc && typeof r.id === 'string') out.set(r.id, r.doc);
    return out;
  };

  return async (rows) => {
    if (rows.length === 0) return [];
    const byId = new Map(rows.map((r) => [idOf(r), r]));
    const first = await write(rows.map((r) => toCouch(r)));
    if (first.size === 0) return [];

    // what the server holds under the ids it did not take decides, as the plugin's pre-read would have
    // (the engine's own rules refuse a different envelope over a stored one before they see a conflict)
    const conflicts: WithDeleted<T>[] = [];
    const stored = await readStored([...first.keys()]);
    const again: Record<string, unknown>[] = [];
    for (const [id, why] of first) {
      const row = byId.get(id);
      if (!row) throw refused(id, `an answer for an id not in the batch: ${why}`);
      const doc = stored.get(id);
      if (!doc) {
        if (why !== 'conflict') throw refused(id, why);
        again.push(toCouch(row)); // gone between the write and the read (purged): written again as new
        continue;
      }
      const master = couchDBDocToRxDocData(primary, doc) as WithDeleted<T>;
      if (
        row.assumedMasterState &&
        collection.conflictHandler.isEqual(master, row.assumedMasterState, 'sealtime-push-known-master')
      )
        again.push(toCouch(row, doc._rev as string));
      else conflicts.push(master);
    }
    if (again.length === 0) return conflicts;
    const second = await write(again);
    if (second.size === 0) return conflicts;
    // never acknowledged without an `ok`: a refusal fails the batch (offered again later); a conflict is the server's state now
    const now = await readStored([...second.keys()]);
    for (const [id, why] of second) {
      const doc = now.get(id);
      if (why !== 'conflict' || !doc) throw refused(id, why);
      conflicts.push(couchDBDocToRxDocData(primary, doc) as WithDeleted<T>);
    }
    return conflicts;
  };
}

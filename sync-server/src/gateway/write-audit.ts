/**
 * Audit of what people write through the replication surface (an admin
 * putting a policy into an inbox, HR a correction decision): one entry per
 * document the engine accepted, with a before/after diff, the IP and the user
 * agent. Devices' writes are not audited here: they are the sealed, chained
 * records themselves.
 *
 * The audit never holds up or fails the write: the before-images are read
 * with a short deadline (a slow or failed read just leaves `before` unknown),
 * and AuditSink.record is fire-and-forget.
 */
import type { ServerResponse } from 'node:http';
import type { AuditSink } from '../audit/audit-log.js';
import type { PersonPrincipal } from '../auth/principal.js';
import type { ParsedDbName } from '../provisioning/db-names.js';
import { dbPath, readUpstream, type Upstream, type UpstreamResponse } from './upstream.js';

/** Longest the before-images may delay a person's write. */
const BEFORE_DEADLINE_MS = 1_000;

export interface PersonWrite {
  upstream: Upstream;
  res: ServerResponse;
  audit: AuditSink;
  principal: PersonPrincipal;
  origin: { ip: string; userAgent: string | null };
  dbName: string;
  db: ParsedDbName;
  docs: ReadonlyArray<Record<string, unknown>>;
  newEdits?: boolean;
}

type Doc = Record<string, unknown>;

function withoutRevs(doc: Doc | undefined): Doc | undefined {
  if (!doc) return undefined;
  const { _rev: _r, _revisions: _rs, ...rest } = doc;
  return rest;
}

function actionOf(db: ParsedDbName, deleting: boolean): string {
  const area = db.kind === 'employee-inbox' ? 'inbox' : db.kind === 'org-directory' ? 'directory' : 'doc';
  return `${area}.${deleting ? 'delete' : 'write'}`;
}

/** Current versions of the documents about to be written; null when they could not be read in time. */
async function beforeImages(upstream: Upstream, dbName: string, ids: string[]): Promise<Map<string, Doc> | null> {
  try {
    const res = await upstream.request({
      method: 'POST',
      path: dbPath(dbName, '/_all_docs'),
      query: new URLSearchParams({ include_docs: 'true' }),
      body: { keys: ids },
      signal: AbortSignal.timeout(BEFORE_DEADLINE_MS),
    });
    const raw = await readUpstream(res);
    if (res.statusCode !== 200) return null;
    const rows =
      (JSON.parse(raw.toString('utf8')) as { rows?: Array<{ id?: string; key?: string; doc?: Doc | null }> }).rows ??
      [];
    const out = new Map<string, Doc>();
    for (const r of rows) if (r.doc && typeof r.id === 'string') out.set(r.id, r.doc);
    return out;
  } catch {
    return null;
  }
}

/** Forwards a person's `_bulk_docs`, answers the client, then records one audit entry per accepted document. */
export async function forwardAuditedBulkDocs(w: PersonWrite): Promise<number> {
  const ids = w.docs.map((d) => d._id).filter((id): id is string => typeof id === 'string');
  const before = ids.length > 0 ? await beforeImages(w.upstream, w.dbName, ids) : new Map<string, Doc>();

  // a write that reached the engine completes there even if this client leaves
  const upRes: UpstreamResponse = await w.upstream.request({
    method: 'POST',
    path: dbPath(w.dbName, '/_bulk_docs'),
    body: { docs: w.docs, ...(w.newEdits !== undefined ? { new_edits: w.newEdits } : {}) },
  });
  const status = upRes.statusCode ?? 502;
  const raw = await readUpstream(upRes);
  w.res.writeHead(status, {
    'content-type': String(upRes.headers['content-type'] ?? 'application/json'),
    'content-length': String(raw.length),
  });
  w.res.end(raw);

  if (status < 200 || status >= 300) return status;
  let results: Array<{ id?: string; rev?: string; error?: string }> = [];
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (Array.isArray(parsed)) results = parsed as typeof results;
  } catch {
    // an unreadable answer: audit every document as attempted, outcome unknown
  }
  const outcome = new Map(results.filter((r) => typeof r.id === 'string').map((r) => [r.id!, r]));
  for (const doc of w.docs) {
    const id = typeof doc._id === 'string' ? doc._id : '(new)';
    const r = outcome.get(id);
    if (r?.error) continue; // refused by the engine: nothing changed
    const deleting = doc._deleted === true;
    w.audit.record({
      actor: `user:${w.principal.userId}`,
      action: actionOf(w.db, deleting),
      target: `db:${w.dbName}/${id}`,
      // absent (new document, or deleted) as undefined, so the diff lists fields rather than one root change
      before: before === null ? undefined : withoutRevs(before.get(id)),
      after: deleting ? undefined : withoutRevs(doc),
      ip: w.origin.ip,
      userAgent: w.origin.userAgent,
      details: {
        role: w.principal.role,
        ...(r?.rev ? { rev: r.rev } : { outcome: 'unknown' }),
        ...(before === null ? { before: 'unavailable' } : {}),
        ...(typeof doc.type === 'string' ? { docType: doc.type } : {}),
      },
    });
  }
  return status;
}

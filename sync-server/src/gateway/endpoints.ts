/**
 * One handler per replication endpoint. Each asks the access rules (once for
 * the database before reading any body, then once per key or document),
 * validates what it forwards, rebuilds the upstream body from known fields
 * only, and relays the engine's answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decideAccess, type AccessRequest, type Endpoint } from '../auth/access-rules.js';
import type { AuditSink } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import type { ParsedDbName } from '../provisioning/db-names.js';
import { badRequest, GatewayError, invalidDocument } from './gateway-errors.js';
import { isPlainObject, readJsonBody } from './json-body.js';
import { LOCAL_DOC_BYTES, LocalDocLedger, MAX_LOCAL_DOCS, storedLocalId } from './local-docs.js';
import type { ChangeWatchers } from './change-watcher.js';
import { serveLongpoll } from './longpoll.js';
import { CAP_JITTER, type GatewayLimits } from './gateway-limits.js';
import { intParam, jsonParam, stringArray } from './query-params.js';
import type { Route } from './routes.js';
import { dbPath, readUpstream, type Upstream, type UpstreamResponse } from './upstream.js';
import { fullChangesPage } from './changes-page.js';
import { boundedPrefix } from './prefix-listing.js';
import { isProjectDocId, projectTeamsOf, storedProjectTeams } from './project-teams.js';
import { relay, relayWithoutDesignDocs } from './relay-answer.js';
import { checkSealedBatch } from './integrity-gate.js';
import { forwardAuditedBulkDocs } from './write-audit.js';
import { checkWriteContent, checkWriteShape } from './write-validation.js';

export interface EndpointContext {
  req: IncomingMessage;
  res: ServerResponse;
  route: Extract<Route, { kind: 'db' }>;
  principal: Principal;
  upstream: Upstream;
  limits: GatewayLimits;
  /** Aborted when the client goes away. */
  gone: AbortSignal;
  teamsOf?: (employeeId: string) => Promise<readonly string[]>;
  /** Where people's writes are audited (write-audit.ts), and devices' refused sealed writes alerted (integrity-gate.ts). */
  audit?: AuditSink;
  /** Shared change watchers for longpolls (change-watcher.ts). */
  watchers?: ChangeWatchers;
  /** Counts each principal's checkpoints per database (local-docs.ts). */
  localDocs?: LocalDocLedger;
}

const fallbackLedger = new LocalDocLedger();

/** Relays an answer about a stored `_local` document under the id the client asked for. */
async function relayLocal(
  ctx: EndpointContext,
  upRes: UpstreamResponse,
  stored: string,
  clientId: string,
): Promise<number> {
  const status = upRes.statusCode ?? 502;
  let out = await readUpstream(upRes, 4 * LOCAL_DOC_BYTES);
  try {
    const v: unknown = JSON.parse(out.toString('utf8'));
    if (isPlainObject(v)) {
      for (const k of ['_id', 'id'] as const) if (v[k] === `_local/${stored}`) v[k] = `_local/${clientId}`;
      out = Buffer.from(JSON.stringify(v));
    }
  } catch {
    // not JSON (an engine error page): relayed as it came
  }
  ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(out.length) });
  ctx.res.end(out);
  return status;
}

type Extra = Pick<AccessRequest, 'docId' | 'docType' | 'deleting' | 'prefix' | 'docTeams' | 'priorTeams'>;

export async function serveEndpoint(ctx: EndpointContext): Promise<number> {
  const { route, principal, req, upstream, limits } = ctx;
  const { db, dbName } = route;
  const method = req.method ?? 'GET';
  const subjectTeams = await teamsIfNeeded(ctx, db);

  const decide = (m: string, endpoint: Endpoint, extra: Extra = {}): void => {
    const d = decideAccess(principal, { method: m, db, endpoint, ...extra, ...(subjectTeams ? { subjectTeams } : {}) });
    if (!d.allow) throw new GatewayError(d.status === 401 ? 'unauthorized' : 'forbidden', d.reason);
  };
  const body = async (limit = limits.bodyBytes): Promise<Record<string, unknown>> => {
    const value = await readJsonBody(req, limit);
    if (!isPlainObject(value)) throw badRequest('the body must be a JSON object');
    return value;
  };
  // every payload forwarded here is built for the engine and not read again: it is handed over (UpstreamRequest.handOver)
  const forward = async (
    m: string,
    rest: string,
    query?: URLSearchParams,
    payload?: unknown,
    abortable = true,
    listKey?: 'results' | 'rows',
    keep?: (id: string) => boolean,
  ): Promise<number> => {
    const upRes = await upstream.request({
      method: m,
      path: dbPath(dbName, rest),
      ...(query ? { query } : {}),
      ...(payload !== undefined ? { body: payload, handOver: true } : {}),
      ...(abortable ? { signal: ctx.gone } : {}),
    });
    return listKey ? relayWithoutDesignDocs(ctx, upRes, listKey, keep) : relay(ctx, upRes);
  };
  // a `_changes` page as full as asked, design documents left out (changes-page.ts)
  const relayChangesPage = async (c: EndpointContext, limit: number, q: URLSearchParams): Promise<number> => {
    const answer = await fullChangesPage(limit, async (since, lim) => {
      const qq = new URLSearchParams(q);
      qq.set('limit', String(lim));
      if (since !== null) qq.set('since', typeof since === 'string' ? since : JSON.stringify(since));
      const upRes = await upstream.request({
        method: 'GET',
        path: dbPath(dbName, '/_changes'),
        query: qq,
        signal: c.gone,
      });
      return { status: upRes.statusCode ?? 502, raw: await readUpstream(upRes) };
    });
    c.res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(answer.raw.length) });
    c.res.end(answer.raw);
    return answer.status;
  };
  const noReservedIds = (ids: readonly string[], what: string): void => {
    const bad = ids.find((id) => id.startsWith('_'));
    if (bad !== undefined) throw badRequest(`${what}: ${bad} is reserved and cannot be read`);
  };

  // before reading any body: does this principal have any business with this database?
  decide('GET', 'db');

  switch (route.endpoint) {
    case 'db':
      decide(method, 'db');
      return forward(method, '');

    case 'doc':
      decide(method, 'doc', { docId: route.docId! });
      return forward(method, `/${encodeURIComponent(route.docId!)}`, route.query);

    case 'local': {
      // each principal's checkpoints live under its own prefix, counted and size-bounded (local-docs.ts)
      const clientId = route.docId!;
      const stored = storedLocalId(principal, clientId);
      const path = dbPath(dbName, `/_local/${encodeURIComponent(stored)}`);
      decide(method, 'local', { docId: clientId });
      if (method === 'HEAD') return relay(ctx, await upstream.request({ method, path, signal: ctx.gone }));
      if (method !== 'PUT')
        return relayLocal(ctx, await upstream.request({ method, path, signal: ctx.gone }), stored, clientId);
      const doc = await body(limits.localBodyBytes);
      if (!(ctx.localDocs ?? fallbackLedger).admit(dbName, principal, clientId)) {
        throw new GatewayError(
          'forbidden',
          `at most ${MAX_LOCAL_DOCS} replication checkpoints per database and account or device`,
        );
      }
      return relayLocal(
        ctx,
        await upstream.request({ method: 'PUT', path, body: { ...doc, _id: `_local/${stored}` }, handOver: true }),
        stored,
        clientId,
      );
    }

    case 'changes': {
      let payload: Record<string, unknown> | undefined;
      if (method === 'POST') {
        const b = await body();
        if (b.doc_ids !== undefined) payload = { doc_ids: stringArray(b.doc_ids, 'doc_ids', limits.maxDocsPerRequest) };
      }
      decide(method, 'changes');
      const q = new URLSearchParams(route.query);
      const feed = q.get('feed') ?? 'normal';
      const timeout = intParam(q, 'timeout');
      const heartbeat = intParam(q, 'heartbeat');
      for (const k of ['feed', 'timeout', 'heartbeat']) q.delete(k);
      if (feed === 'normal') {
        const limit = Number(q.get('limit'));
        if (method === 'GET' && q.get('descending') !== 'true' && Number.isSafeInteger(limit) && limit > 0)
          return relayChangesPage(ctx, limit, q);
        return forward(method, '/_changes', q, payload, true, 'results');
      }
      // answering earlier than asked is allowed (the client simply polls again)
      const capped = timeout === null || timeout >= limits.maxLongpollMs;
      const timeoutMs = capped ? Math.round(limits.maxLongpollMs * (1 - CAP_JITTER * Math.random())) : timeout;
      const heartbeatMs =
        heartbeat === null ? null : Math.max(limits.minHeartbeatMs, Math.min(heartbeat, limits.maxLongpollMs));
      return serveLongpoll(
        {
          upstream,
          path: dbPath(dbName, '/_changes'),
          query: q,
          method: method as 'GET' | 'POST',
          ...(payload ? { body: payload } : {}),
          timeoutMs,
          heartbeatMs,
          clientGone: ctx.gone,
          ...(ctx.watchers ? { watchers: ctx.watchers, dbName } : {}),
        },
        ctx.res,
      );
    }

    case 'all-docs': {
      const q = new URLSearchParams(route.query);
      let keys: string[] | undefined;
      if (method === 'POST') {
        const b = await body();
        if (b.keys !== undefined) keys = stringArray(b.keys, 'keys', limits.maxDocsPerRequest);
        // RxDB sends view options in the body; the engines read them from the query
        for (const k of ['include_docs', 'conflicts'] as const)
          if (typeof b[k] === 'boolean' && !q.has(k)) q.set(k, String(b[k]));
      }
      if (q.has('keys')) keys = stringArray(jsonParam(q, 'keys'), 'keys', limits.maxDocsPerRequest);
      if (q.has('key')) {
        const key = jsonParam(q, 'key');
        if (typeof key !== 'string') throw badRequest('key must be a JSON string');
        keys = [key];
      }
      q.delete('keys');
      q.delete('key');
      if (keys === undefined) {
        const prefix = boundedPrefix(q);
        if (prefix === undefined) {
          decide('GET', 'all-docs');
          return forward('GET', '/_all_docs', q, undefined, true, 'rows');
        }
        // a listing of one id family (prefix-listing.ts): the rows are cut to it, whatever the engine's collation
        decide('GET', 'all-docs', { prefix });
        return forward('GET', '/_all_docs', q, undefined, true, 'rows', (id) => id.startsWith(prefix));
      }
      noReservedIds(keys, 'keys');
      // a keyed read is decided per document, whichever verb carried the keys
      for (const k of keys) decide('POST', 'all-docs', { docId: k });
      // a bounded keyed read: not worth a signal to cut it short if the client leaves
      return forward('POST', '/_all_docs', q, { keys }, false);
    }

    case 'bulk-get': {
      const b = await body();
      if (!Array.isArray(b.docs)) throw badRequest('docs must be an array');
      if (b.docs.length > limits.maxDocsPerRequest)
        throw new GatewayError('too_large', `at most ${limits.maxDocsPerRequest} docs per request`);
      const docs = b.docs.map((d: unknown) => {
        if (!isPlainObject(d) || typeof d.id !== 'string' || d.id.length === 0)
          throw badRequest('each entry of docs needs an id');
        if (d.rev !== undefined && typeof d.rev !== 'string') throw badRequest('rev must be a string');
        return d.rev === undefined ? { id: d.id } : { id: d.id, rev: d.rev };
      });
      noReservedIds(
        docs.map((d) => d.id),
        'docs',
      );
      if (docs.length === 0) decide('POST', 'bulk-get');
      for (const d of docs) decide('POST', 'bulk-get', { docId: d.id });
      return forward('POST', '/_bulk_get', route.query, { docs });
    }

    case 'revs-diff': {
      const b = await body();
      const ids = Object.keys(b);
      if (ids.length > limits.maxDocsPerRequest)
        throw new GatewayError('too_large', `at most ${limits.maxDocsPerRequest} documents per request`);
      for (const id of ids) stringArray(b[id], `revisions of ${id}`, 10_000);
      decide('POST', 'revs-diff');
      return forward('POST', '/_revs_diff', undefined, b);
    }

    case 'bulk-docs': {
      const b = await body(db.kind === 'employee-blobs' ? limits.blobBodyBytes : limits.bodyBytes);
      if (!Array.isArray(b.docs)) throw badRequest('docs must be an array');
      if (b.docs.length > limits.maxDocsPerRequest)
        throw new GatewayError('too_large', `at most ${limits.maxDocsPerRequest} docs per request`);
      if (b.new_edits !== undefined && typeof b.new_edits !== 'boolean')
        throw badRequest('new_edits must be a boolean');
      const checked = b.docs.map((d: unknown, i: number) => {
        const c = checkWriteShape(d);
        if (!c.ok) throw invalidDocument(`docs[${i}] ${c.reason}`);
        return c.value;
      });
      // who may write is decided for every document before what is written is judged
      if (checked.length === 0) decide('POST', 'bulk-docs');
      // a manager's project: the teams it names and the teams of the version it replaces (project-teams.ts)
      const managerProjects =
        principal.type === 'person' &&
        principal.role === 'manager' &&
        (db.kind === 'org-directory' || db.kind === 'employee-inbox');
      for (const c of checked) {
        const teams =
          managerProjects && isProjectDocId(c.docId)
            ? {
                priorTeams: await storedProjectTeams(upstream, dbName, db.kind, c.docId),
                ...(c.deleting ? {} : { docTeams: projectTeamsOf(db.kind, c.doc) ?? [] }),
              }
            : {};
        decide('POST', 'bulk-docs', {
          docId: c.docId,
          deleting: c.deleting,
          ...(c.docType !== undefined ? { docType: c.docType } : {}),
          ...teams,
        });
      }
      checked.forEach((c, i) => {
        const problem = checkWriteContent(db, principal, c);
        if (problem) throw invalidDocument(`docs[${i}] ${problem}`);
      });
      // a device's sealed records and images: signature against its enrolled key, and the chain
      if (principal.type === 'device') {
        await checkSealedBatch({
          upstream,
          principal,
          dbName,
          db,
          docs: checked,
          ip: req.socket.remoteAddress ?? 'unknown',
          ...(ctx.audit ? { audit: ctx.audit } : {}),
          ...(b.new_edits !== undefined ? { newEdits: b.new_edits as boolean } : {}),
        });
      }
      if (ctx.audit && principal.type === 'person') {
        const ua = req.headers['user-agent'];
        return forwardAuditedBulkDocs({
          upstream,
          res: ctx.res,
          audit: ctx.audit,
          principal,
          dbName,
          db,
          docs: checked.map((c) => c.doc),
          origin: {
            ip: req.socket.remoteAddress ?? 'unknown',
            userAgent: typeof ua === 'string' ? ua.slice(0, 256) : null,
          },
          ...(b.new_edits !== undefined ? { newEdits: b.new_edits as boolean } : {}),
        });
      }
      // a write that reached the engine completes there even if this client leaves
      return forward(
        'POST',
        '/_bulk_docs',
        undefined,
        { docs: checked.map((c) => c.doc), ...(b.new_edits !== undefined ? { new_edits: b.new_edits } : {}) },
        false,
      );
    }
  }
}

async function teamsIfNeeded(ctx: EndpointContext, db: ParsedDbName): Promise<readonly string[] | undefined> {
  const p = ctx.principal;
  // only a manager's reads of an employee's screenshots, and their manual time decisions, depend on that employee's teams
  if (p.type !== 'person' || p.role !== 'manager' || !ctx.teamsOf) return undefined;
  if (db.kind !== 'employee-blobs' && db.kind !== 'employee-inbox') return undefined;
  try {
    return await ctx.teamsOf(db.employeeId);
  } catch {
    throw new GatewayError('service_unavailable', 'team membership could not be looked up');
  }
}

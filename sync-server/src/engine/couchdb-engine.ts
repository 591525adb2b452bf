/**
 * An Apache CouchDB 3.x that IT runs, reached by URL with admin credentials
 * (`--couchdb-url http://admin:secret@couch:5984`). Connecting checks that it
 * answers, is CouchDB 3 or later, and that the credentials are a server admin,
 * so a misconfiguration fails at start with a clear message, not later.
 */
import nano from 'nano';
import type { Logger } from 'pino';
import type { Engine } from './engine.js';
import { EngineError } from './engine-errors.js';
import { createEndpointPool, parseEndpoint, type Endpoint, type EndpointPool } from './endpoint-pool.js';
import { startFailoverProxy } from './failover-proxy.js';

export interface CouchDBEngineOptions {
  /**
   * Base URL with admin credentials; several for a cluster's nodes (or a node
   * and its standby): requests then go to the first healthy one, and move on
   * within a request when it dies (endpoint-pool.ts, failover-proxy.ts).
   */
  url: string | readonly string[];
  logger?: Logger;
  /** How long each start-up probe may take (default 10 s). */
  timeoutMs?: number;
  /** Between health checks of several endpoints (default 2 s). */
  checkIntervalMs?: number;
}

export interface CouchDBEngine extends Engine {
  readonly kind: 'couchdb';
  readonly version: string;
  /** The endpoints when several were given (the engine URL is then a loopback failover proxy). */
  readonly endpoints: EndpointPool | null;
  /**
   * How CouchDB can reach itself now, for `_replicator` documents: the
   * healthy endpoint's base URL (no credentials) and its admin credential.
   */
  replicationEndpoint(): { base: string; authorization: string };
}

interface Probe {
  status: number;
  body: unknown;
}

async function probe(url: string, authorization: string | null, timeoutMs: number): Promise<Probe> {
  const res = await fetch(url, {
    headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: handled by the callers' shape checks
  }
  return { status: res.status, body };
}

/** Checks one node: answers like CouchDB 3+, and the credentials are a server admin's. Returns its version. */
async function checkNode(e: Endpoint, timeoutMs: number): Promise<string> {
  const shown = e.shown;
  let root: Probe;
  try {
    root = await probe(`${e.base}/`, e.authorization, timeoutMs);
  } catch (err) {
    throw new EngineError('unreachable', `CouchDB at ${shown} is unreachable: ${(err as Error).message}`);
  }
  const info = root.body as { couchdb?: unknown; version?: unknown } | null;
  if (root.status !== 200 || !info || info.couchdb !== 'Welcome' || typeof info.version !== 'string') {
    throw new EngineError('unreachable', `${shown} does not answer like CouchDB (HTTP ${root.status})`);
  }
  const major = Number.parseInt(info.version.split('.')[0] ?? '', 10);
  if (!(major >= 3))
    throw new EngineError('unsupported-version', `CouchDB ${info.version} at ${shown}: version 3 or later is required`);

  if (!e.authorization)
    throw new EngineError(
      'unauthorized',
      'the CouchDB URL must carry admin credentials (http://user:password@host:5984)',
    );
  const session = await probe(`${e.base}/_session`, e.authorization, timeoutMs).catch((err: Error) => {
    throw new EngineError('unreachable', `CouchDB at ${shown}: ${err.message}`);
  });
  const roles = (session.body as { userCtx?: { roles?: unknown } } | null)?.userCtx?.roles;
  if (session.status !== 200 || !Array.isArray(roles) || !roles.includes('_admin')) {
    throw new EngineError('unauthorized', `the credentials for ${shown} are not those of a CouchDB server admin`);
  }
  return info.version;
}

export async function connectCouchDB(opts: CouchDBEngineOptions): Promise<CouchDBEngine> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const urls = typeof opts.url === 'string' ? [opts.url] : [...opts.url];
  const endpoints = urls.map(parseEndpoint);
  if (endpoints.length === 1) {
    const only = endpoints[0]!;
    const version = await checkNode(only, timeoutMs);
    opts.logger?.info({ couchdb: only.shown, version }, 'connected to CouchDB');
    return {
      kind: 'couchdb',
      url: only.url,
      nano: nano(only.url),
      version,
      endpoints: null,
      replicationEndpoint: () => ({ base: only.base, authorization: only.authorization! }),
      async close() {
        // nano holds no resources beyond pooled keep-alive sockets, which close on their own
      },
    };
  }

  // Several endpoints: a node that is down now may come back later, but one
  // that answers must be a CouchDB 3 with these admin credentials.
  const results = await Promise.allSettled(endpoints.map((e) => checkNode(e, timeoutMs)));
  const refused = results.find(
    (r): r is PromiseRejectedResult => r.status === 'rejected' && (r.reason as EngineError).code !== 'unreachable',
  );
  if (refused) throw refused.reason as EngineError;
  const up = results.findIndex((r) => r.status === 'fulfilled');
  if (up < 0)
    throw new EngineError(
      'unreachable',
      `no CouchDB endpoint answers: ${results.map((r) => (r as PromiseRejectedResult).reason.message).join('; ')}`,
    );
  const version = (results[up] as PromiseFulfilledResult<string>).value;
  const pool = createEndpointPool(urls, { ...(opts.checkIntervalMs ? { checkIntervalMs: opts.checkIntervalMs } : {}) });
  results.forEach((r, i) => {
    if (r.status === 'rejected') pool.markDown(pool.endpoints[i]!, (r.reason as Error).message);
  });
  const proxy = await startFailoverProxy(pool, opts.logger ? { logger: opts.logger } : {});
  opts.logger?.info(
    { couchdb: endpoints.map((e) => e.shown), healthy: pool.healthy().map((e) => e.shown), version },
    'connected to CouchDB (several endpoints)',
  );
  return {
    kind: 'couchdb',
    url: proxy.url,
    nano: nano(proxy.url),
    version,
    endpoints: pool,
    replicationEndpoint: () => ({ base: pool.current().base, authorization: pool.current().authorization! }),
    async close() {
      pool.close();
      await proxy.close();
    },
  };
}

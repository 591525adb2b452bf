/**
 * An Apache CouchDB 3.x that IT runs, reached by URL with admin credentials
 * (`--couchdb-url http://admin:secret@couch:5984`). Connecting checks that it
 * answers, is CouchDB 3 or later, and that the credentials are a server admin,
 * so a misconfiguration fails at start with a clear message, not later.
 */
import nano from 'nano';
import type { Logger } from 'pino';
import type { Engine } from './engine.js';
import { EngineError, redactUrl } from './engine-errors.js';
import { splitCredentials as splitUrlCredentials } from './url-credentials.js';

export interface CouchDBEngineOptions {
  /** Base URL with admin credentials. */
  url: string;
  logger?: Logger;
  /** How long each start-up probe may take (default 10 s). */
  timeoutMs?: number;
}

export interface CouchDBEngine extends Engine {
  readonly kind: 'couchdb';
  readonly version: string;
}

interface Probe {
  status: number;
  body: unknown;
}

function splitCredentials(raw: string): { base: string; authorization: string | null } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new EngineError('unreachable', 'the CouchDB URL is not a valid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new EngineError('unreachable', 'the CouchDB URL must be http or https');
  return splitUrlCredentials(u);
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

export async function connectCouchDB(opts: CouchDBEngineOptions): Promise<CouchDBEngine> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const shown = redactUrl(opts.url);
  const { base, authorization } = splitCredentials(opts.url);

  let root: Probe;
  try {
    root = await probe(`${base}/`, authorization, timeoutMs);
  } catch (e) {
    throw new EngineError('unreachable', `CouchDB at ${shown} is unreachable: ${(e as Error).message}`);
  }
  const info = root.body as { couchdb?: unknown; version?: unknown } | null;
  if (root.status !== 200 || !info || info.couchdb !== 'Welcome' || typeof info.version !== 'string') {
    throw new EngineError('unreachable', `${shown} does not answer like CouchDB (HTTP ${root.status})`);
  }
  const major = Number.parseInt(info.version.split('.')[0] ?? '', 10);
  if (!(major >= 3)) throw new EngineError('unsupported-version', `CouchDB ${info.version} at ${shown}: version 3 or later is required`);

  if (!authorization) throw new EngineError('unauthorized', 'the CouchDB URL must carry admin credentials (http://user:password@host:5984)');
  const session = await probe(`${base}/_session`, authorization, timeoutMs).catch((e: Error) => {
    throw new EngineError('unreachable', `CouchDB at ${shown}: ${e.message}`);
  });
  const roles = (session.body as { userCtx?: { roles?: unknown } } | null)?.userCtx?.roles;
  if (session.status !== 200 || !Array.isArray(roles) || !roles.includes('_admin')) {
    throw new EngineError('unauthorized', `the credentials for ${shown} are not those of a CouchDB server admin`);
  }

  opts.logger?.info({ couchdb: shown, version: info.version }, 'connected to CouchDB');
  const url = opts.url.replace(/\/+$/, '');
  return {
    kind: 'couchdb',
    url,
    nano: nano(url),
    version: info.version,
    async close() {
      // nano holds no resources beyond pooled keep-alive sockets, which close on their own
    },
  };
}

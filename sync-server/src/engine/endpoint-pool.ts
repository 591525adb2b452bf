/**
 * Several URLs of one CouchDB cluster (or of a node and its standby), and
 * which of them to use now. Each is checked with `GET /_up` on a timer; a
 * request that cannot connect marks its endpoint down at once, so a dead node
 * is left within one request, not one check interval. The first healthy
 * endpoint in the operator's order is the current one: traffic returns to the
 * preferred node when it is back, and every component of this server agrees
 * on one node at a time.
 */
import { EventEmitter } from 'node:events';
import { EngineError, redactUrl } from './engine-errors.js';
import { splitCredentials } from './url-credentials.js';

export interface Endpoint {
  /** As given, with credentials (never logged: use `shown`). */
  readonly url: string;
  /** Without credentials or trailing slash. */
  readonly base: string;
  readonly authorization: string | null;
  readonly shown: string;
  healthy: boolean;
  lastError: string | null;
  lastCheck: number;
}

export interface EndpointPoolOptions {
  /** Between health checks (default 2 s). */
  checkIntervalMs?: number;
  /** One health check's limit (default 1.5 s). */
  checkTimeoutMs?: number;
}

export interface EndpointPool {
  readonly endpoints: readonly Endpoint[];
  /** The endpoint to use now: the first healthy one, or the first if none is known healthy. */
  current(): Endpoint;
  /** Healthy endpoints in preference order, the current one first. */
  healthy(): Endpoint[];
  /** A request could not reach it: stop using it until a check says otherwise. */
  markDown(endpoint: Endpoint, why: string): void;
  /** Runs one round of checks now (start-up, tests). */
  checkAll(): Promise<void>;
  /** `change` fires with (current, previous) whenever the current endpoint changes. */
  on(event: 'change', listener: (now: Endpoint, before: Endpoint) => void): void;
  off(event: 'change', listener: (now: Endpoint, before: Endpoint) => void): void;
  close(): void;
}

export function parseEndpoint(raw: string): Endpoint {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new EngineError('unreachable', 'a CouchDB URL is not a valid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new EngineError('unreachable', `${redactUrl(raw)}: a CouchDB URL must be http or https`);
  const { base, authorization } = splitCredentials(u);
  return {
    url: raw.replace(/\/+$/, ''),
    base,
    authorization,
    shown: redactUrl(raw),
    healthy: true,
    lastError: null,
    lastCheck: 0,
  };
}

async function isUp(e: Endpoint, timeoutMs: number): Promise<string | null> {
  try {
    const res = await fetch(`${e.base}/_up`, {
      headers: { accept: 'application/json', ...(e.authorization ? { authorization: e.authorization } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    // 404: an engine without /_up (not CouchDB 3); it answered, so it is up
    return res.status === 200 || res.status === 404 ? null : `/_up answered ${res.status}`;
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
  }
}

export function createEndpointPool(urls: readonly string[], opts: EndpointPoolOptions = {}): EndpointPool {
  if (urls.length === 0) throw new EngineError('unreachable', 'no CouchDB URL given');
  const endpoints = urls.map(parseEndpoint);
  const interval = opts.checkIntervalMs ?? 2_000;
  const timeout = opts.checkTimeoutMs ?? 1_500;
  const events = new EventEmitter();
  let current = endpoints[0]!;
  let checking: Promise<void> | null = null;

  const pick = (): void => {
    const next = endpoints.find((e) => e.healthy) ?? endpoints[0]!;
    if (next === current) return;
    const before = current;
    current = next;
    events.emit('change', next, before);
  };

  const runChecks = (): Promise<void> =>
    (checking ??= Promise.all(
      endpoints.map(async (e) => {
        const problem = await isUp(e, timeout);
        e.healthy = problem === null;
        e.lastError = problem;
        e.lastCheck = Date.now();
      }),
    )
      .then(pick)
      .finally(() => {
        checking = null;
      }));

  // "now" means a round that starts now: a round already under way may have
  // asked a node before it came back, so wait for it and run a fresh one
  const checkAll = async (): Promise<void> => {
    if (checking) await checking.catch(() => undefined);
    await runChecks();
  };

  const timer = setInterval(() => void runChecks(), interval);
  timer.unref();

  return {
    endpoints,
    current: () => current,
    healthy: () => endpoints.filter((e) => e.healthy),
    markDown(e, why) {
      e.healthy = false;
      e.lastError = why;
      pick();
    },
    checkAll,
    on: (event, listener) => void events.on(event, listener),
    off: (event, listener) => void events.off(event, listener),
    close: () => clearInterval(timer),
  };
}

/**
 * The fetch RxDB's CouchDB replication uses: adds the device credential and a
 * timeout to every request. Long-poll requests get the poll time on top, so a
 * quiet feed is not mistaken for a dead server.
 *
 * It also turns every failure into a SyncRequestError that says what went
 * wrong in words an employee's status can show ("connection refused",
 * "HTTP 401 unauthorized: …"): RxDB's couchdb plugin reads any answer as a
 * success, so a gateway error would otherwise surface as a TypeError on the
 * missing fields — and in the pull stream, outside RxDB's retry loop, it
 * ends the live pull for good.
 */
import { classifyFetchError } from './server-fetch.js';

export interface FetchOptions {
  authorization: string;
  timeoutMs?: number;
  /** The fetch underneath (serverFetch: trusts an enrollment CA); default the global fetch, which verifies TLS. */
  baseFetch?: typeof fetch;
  /** Aborts every request in flight (sync stopping: a long-poll must not hold the process for its full timeout). */
  stopSignal?: AbortSignal;
  /** Called for each answer the server gave with a 2xx (the link works). */
  onAnswer?: () => void;
}

/** A request to the gateway that failed; the message is safe to show (no credential, no query string). */
export class SyncRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SyncRequestError';
  }
}

const REASON_MAX = 200;

/** Never let a credential reach a message, whatever the server echoes back. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/\b(basic|bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(/\/\/[^/@\s]+@/g, '//***@')
    .replace(/[\r\n]+/g, ' ');
}

/** `POST _bulk_docs` from `http://host/st-emp-e-records/_bulk_docs?x=1`: what was asked, not who or with what. */
function requestLabel(method: string, url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // a relative URL: keep it as given, minus the query
  }
  const last = path.split('?')[0]!.replace(/\/+$/, '').split('/').pop() ?? '';
  return `${method} ${last.startsWith('_') ? last : 'database'}`;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed mid-request',
  ENOTFOUND: 'server name not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection broken',
};

function networkError(err: unknown, label: string, stopped: boolean): SyncRequestError {
  if (stopped) return new SyncRequestError(`${label}: cancelled (sync stopping)`, null, 'stopped');
  const f = classifyFetchError(err);
  if (f.kind === 'timeout') return new SyncRequestError(`${label}: timed out`, null, 'timeout');
  if (f.kind === 'tls') return new SyncRequestError(`${label}: TLS failure (${f.code})`, null, f.code);
  const words = NETWORK_WORDS[f.code] ?? 'network error';
  return new SyncRequestError(`${label}: ${words} (${f.code})`, null, f.code);
}

async function httpError(res: Response, label: string): Promise<SyncRequestError> {
  let detail = res.statusText;
  try {
    const body = (await res.json()) as { error?: unknown; reason?: unknown };
    const parts = [body.error, body.reason].filter((x): x is string => typeof x === 'string' && x.length > 0);
    if (parts.length) detail = parts.join(': ');
  } catch {
    // not JSON (a proxy's error page): the status line says enough
  }
  const text = scrubSecrets(`${label}: HTTP ${res.status} ${detail}`.trim());
  return new SyncRequestError(
    text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 1)}…` : text,
    res.status,
    `http-${res.status}`,
  );
}

/**
 * Answers are read here whole, so a connection cut mid-body fails as a
 * network error with a name, and a longpoll 200 whose heartbeats were
 * followed by an error body fails inside RxDB's retry loop.
 */
async function readWhole(res: Response, label: string, longpoll: boolean): Promise<Response> {
  const body = await res.arrayBuffer();
  if (longpoll) {
    let ok = false;
    try {
      ok = Array.isArray((JSON.parse(new TextDecoder().decode(body)) as { results?: unknown }).results);
    } catch {
      ok = false;
    }
    if (!ok)
      throw new SyncRequestError(
        `${label}: the changes feed answer was incomplete or an error`,
        res.status,
        'bad-changes',
      );
  }
  const headers = new Headers(res.headers);
  // the body is already decoded and its length may differ
  headers.delete('content-encoding');
  headers.delete('content-length');
  const empty = res.status === 204 || res.status === 205 || res.status === 304;
  return new Response(empty ? null : body, { status: res.status, statusText: res.statusText, headers });
}

export function authorizedFetch(options: FetchOptions): typeof fetch {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = options.baseFetch ?? fetch;
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', options.authorization);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const longpoll = url.includes('feed=longpoll');
    const timeout = AbortSignal.timeout(longpoll ? timeoutMs + 70_000 : timeoutMs);
    const signal = options.stopSignal ? AbortSignal.any([timeout, options.stopSignal]) : timeout;
    const label = requestLabel(init?.method ?? 'GET', url);
    try {
      const res = await base(input, { ...init, headers, signal });
      if (res.status >= 400) throw await httpError(res, label);
      const out = await readWhole(res, label, longpoll);
      options.onAnswer?.();
      return out;
    } catch (err) {
      if (err instanceof SyncRequestError) throw err;
      throw networkError(err, label, options.stopSignal?.aborted === true);
    }
  };
}

export function deviceAuthorization(deviceId: string, credential: string): string {
  return `Basic ${Buffer.from(`${deviceId}:${credential}`).toString('base64')}`;
}

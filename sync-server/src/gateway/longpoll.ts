/**
 * `_changes?feed=longpoll`, with `timeout` and `heartbeat` honoured by the
 * gateway itself: express-pouchdb ignores `timeout` and would hold the
 * request until a change comes, however long (DESIGN.md, known faults).
 *
 * The gateway forwards the longpoll, and when the deadline passes first it
 * abandons it and answers with a normal `_changes` from the same `since`,
 * which is exactly what CouchDB answers on a timeout (no results, or any
 * that arrived in the meantime, and the current last_seq). While waiting
 * it writes a newline every `heartbeat` ms, as CouchDB does, so proxies and
 * clients see a live connection. The engine's answer is read whole before it
 * is sent, so an abandoned half-answer never reaches the client.
 */
import type { ServerResponse } from 'node:http';
import { withoutDesignDocs } from './design-doc-filter.js';
import { GatewayError } from './gateway-errors.js';
import { readUpstream, type Upstream } from './upstream.js';

export interface LongpollRequest {
  upstream: Upstream;
  /** Engine path of the database's `_changes`. */
  path: string;
  /** Forwardable query, without feed, timeout and heartbeat. */
  query: URLSearchParams;
  method: 'GET' | 'POST';
  body?: unknown;
  timeoutMs: number;
  heartbeatMs: number | null;
  /** Aborted when the client goes away. */
  clientGone: AbortSignal;
}

export interface Answer {
  status: number;
  body: Buffer;
}

function withParams(base: URLSearchParams, extra: Record<string, string>): URLSearchParams {
  const q = new URLSearchParams(base);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q;
}

async function fetchChanges(r: LongpollRequest, extra: Record<string, string>, signal: AbortSignal): Promise<Answer> {
  const res = await r.upstream.request({
    method: r.method,
    path: r.path,
    query: withParams(r.query, extra),
    ...(r.body !== undefined ? { body: r.body } : {}),
    signal,
  });
  return { status: res.statusCode ?? 502, body: await readUpstream(res) };
}

export async function serveLongpoll(r: LongpollRequest, res: ServerResponse): Promise<number> {
  const poll = new AbortController();
  const onGone = (): void => poll.abort();
  r.clientGone.addEventListener('abort', onGone, { once: true });

  let beat: NodeJS.Timeout | undefined;
  if (r.heartbeatMs !== null && r.heartbeatMs < r.timeoutMs) {
    beat = setInterval(() => {
      if (!res.headersSent) res.writeHead(200, { 'content-type': 'application/json' });
      res.write('\n');
    }, r.heartbeatMs);
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), r.timeoutMs);
  });

  try {
    // CouchDB honours the timeout itself; express-pouchdb ignores it, hence the race
    const longpoll = fetchChanges(r, { feed: 'longpoll', timeout: String(r.timeoutMs) }, poll.signal);
    longpoll.catch(() => undefined); // settled below or abandoned on timeout
    let answer = await Promise.race([longpoll, deadline]);
    if (answer === 'timeout') {
      poll.abort();
      if (r.clientGone.aborted) return 499;
      answer = await fetchChanges(r, { feed: 'normal' }, r.clientGone);
    }
    const body = answer.status === 200 ? withoutDesignDocs(answer.body, 'results') : answer.body;
    if (!res.headersSent) {
      res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(body.length) });
    }
    res.end(body);
    return answer.status;
  } catch (e) {
    if (r.clientGone.aborted) return 499;
    if (!res.headersSent) throw e instanceof GatewayError ? e : new GatewayError(502, 'bad_gateway', 'the storage engine is unavailable');
    // a heartbeat already committed a 200: end with a body the client rejects as incomplete
    res.end('{"error":"bad_gateway","reason":"the storage engine is unavailable"}');
    return 502;
  } finally {
    clearTimeout(timer);
    clearInterval(beat);
    r.clientGone.removeEventListener('abort', onGone);
  }
}

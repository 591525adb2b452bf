/**
 * `_changes?feed=longpoll`, with `timeout` and `heartbeat` honoured by the
 * gateway itself: express-pouchdb ignores `timeout` and would hold the
 * request until a change comes, however long (DESIGN.md, known faults).
 *
 * A client's longpoll attaches to the database's shared change watcher
 * (change-watcher.ts) rather than holding an engine longpoll of its own. It
 * reads `_changes` from its `since` (with its own filters and options) only
 * when it may be behind: once at the start unless its `since` is the
 * watcher's seq (or `now`), and after each change the watcher sees. When the
 * deadline passes with nothing new, the answer is made here, without the
 * engine: `{"results":[],"last_seq":<since>}`, which is what CouchDB answers
 * when no change came. While waiting it writes a newline every `heartbeat`
 * ms, as CouchDB does, so proxies and clients see a live connection.
 *
 * Without a watcher (or when its database cannot be read, or for a
 * `descending` feed) the engine's longpoll is forwarded and, at the
 * deadline, abandoned for a normal `_changes` from the same `since`. Engine
 * answers are read whole before they are sent, so an abandoned half-answer
 * never reaches the client.
 */
import type { ServerResponse } from 'node:http';
import { withoutDesignDocs } from './design-doc-filter.js';
import { GatewayError } from './gateway-errors.js';
import type { ChangeWatchers } from './change-watcher.js';
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
  /** The database's shared watcher, when the gateway keeps them. */
  watchers?: ChangeWatchers;
  dbName?: string;
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
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), r.timeoutMs);

  try {
    const watched = r.watchers && r.dbName !== undefined && r.query.get('descending') !== 'true';
    const answer = watched
      ? await viaWatcher(r, deadline.signal, poll.signal)
      : await viaEngineLongpoll(r, deadline.signal, poll);
    if (answer === null) return 499;
    const body = answer.status === 200 ? withoutDesignDocs(answer.body, 'results') : answer.body;
    if (!res.headersSent) {
      res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(body.length) });
    }
    res.end(body);
    return answer.status;
  } catch (e) {
    if (r.clientGone.aborted) return 499;
    if (!res.headersSent)
      throw e instanceof GatewayError ? e : new GatewayError('bad_gateway', 'the storage engine is unavailable');
    // a heartbeat already committed a 200: end with a body the client rejects as incomplete
    res.end('{"error":"bad_gateway","reason":"the storage engine is unavailable"}');
    return 502;
  } finally {
    clearTimeout(timer);
    clearInterval(beat);
    r.clientGone.removeEventListener('abort', onGone);
  }
}

function seqParam(seq: unknown): string {
  return typeof seq === 'string' ? seq : JSON.stringify(seq);
}

/** Through the shared watcher; null when the client left. */
async function viaWatcher(r: LongpollRequest, deadline: AbortSignal, gone: AbortSignal): Promise<Answer | null> {
  const watch = r.watchers!.attach(r.dbName!);
  let unlisten = (): void => undefined;
  try {
    try {
      await watch.ready;
    } catch {
      return await viaEngineLongpoll(r, deadline, null);
    }
    // one signal for "stop waiting": the deadline passed or the client left
    const wake = new AbortController();
    const stopWaiting = (): void => wake.abort();
    deadline.addEventListener('abort', stopWaiting, { once: true });
    gone.addEventListener('abort', stopWaiting, { once: true });
    unlisten = () => {
      deadline.removeEventListener('abort', stopWaiting);
      gone.removeEventListener('abort', stopWaiting);
    };
    if (deadline.aborted || gone.aborted) wake.abort();
    const asked = r.query.get('since');
    // `since` as a raw query value; the watcher's seq as JSON, as the engine wrote it
    let since: { param: string; json: string };
    let gen = watch.generation();
    let behind: boolean;
    if (asked === 'now' || asked === seqParam(watch.seq())) {
      since = { param: seqParam(watch.seq()), json: JSON.stringify(watch.seq()) };
      behind = false;
    } else {
      since = { param: asked ?? '0', json: asked === null ? '0' : /^\d+$/.test(asked) ? asked : JSON.stringify(asked) };
      behind = true;
    }
    for (;;) {
      if (gone.aborted) return null;
      if (behind) {
        gen = watch.generation();
        const answer = await fetchChanges(r, { feed: 'normal', since: since.param }, gone);
        if (answer.status !== 200) return answer;
        const parsed = JSON.parse(answer.body.toString('utf8')) as { results?: unknown[]; last_seq?: unknown };
        if (!Array.isArray(parsed.results) || parsed.results.length > 0 || parsed.last_seq === undefined) return answer;
        // nothing for this client (its filter left every change out): wait on from where that read ended
        since = { param: seqParam(parsed.last_seq), json: JSON.stringify(parsed.last_seq) };
        behind = false;
      }
      if (deadline.aborted) return { status: 200, body: Buffer.from(`{"results":[],"last_seq":${since.json}}\n`) };
      await watch.changedAfter(gen, wake.signal);
      behind = watch.generation() > gen;
    }
  } finally {
    unlisten();
    watch.release();
  }
}

/** The engine's own longpoll, abandoned at the deadline for a normal `_changes`; null when the client left. */
async function viaEngineLongpoll(
  r: LongpollRequest,
  deadline: AbortSignal,
  poll: AbortController | null,
): Promise<Answer | null> {
  const ctl = poll ?? new AbortController();
  const onGone = (): void => ctl.abort();
  r.clientGone.addEventListener('abort', onGone, { once: true });
  try {
    const timedOut = new Promise<'timeout'>((resolve) => {
      if (deadline.aborted) resolve('timeout');
      deadline.addEventListener('abort', () => resolve('timeout'), { once: true });
    });
    // CouchDB honours the timeout itself; express-pouchdb ignores it, hence the race
    const longpoll = fetchChanges(r, { feed: 'longpoll', timeout: String(r.timeoutMs) }, ctl.signal);
    longpoll.catch(() => undefined); // settled below or abandoned on timeout
    const answer = await Promise.race([longpoll, timedOut]);
    if (answer !== 'timeout') return answer;
    ctl.abort();
    if (r.clientGone.aborted) return null;
    return await fetchChanges(r, { feed: 'normal' }, r.clientGone);
  } finally {
    r.clientGone.removeEventListener('abort', onGone);
  }
}

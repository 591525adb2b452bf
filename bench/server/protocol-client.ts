/**
 * One simulated agent speaking the CouchDB replication protocol exactly as
 * the real agent's RxDB replication-couchdb does (rxdb/plugins/replication-
 * couchdb, index.js), without an RxDB database behind it:
 *
 *   push cycle   POST <records>/_all_docs  {keys, include_docs: true, deleted: 'ok'}
 *                POST <records>/_bulk_docs {docs}         (docs absent remotely)
 *   inbox pull   GET  <inbox>/_changes?style=all_docs&feed=normal&include_docs=true&since=0&heartbeat=20000&limit=100&seq_interval=100
 *   inbox live   GET  <inbox>/_changes?…&feed=longpoll&since=now…, re-sent from last_seq after every answer
 *
 * RxDB keeps its checkpoints in the local database, so a cycle makes no
 * `_local` requests. Each agent has its own keep-alive connection pool, as
 * each device has its own: one socket held by the longpoll, one for pushes.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { emptySamples, type LongpollStats, type PhaseSamples } from './messages.js';

export type WireDoc = Record<string, unknown> & { _id: string };

/** The real agent's timeouts (agent/src/sync/authorized-fetch.ts): 30 s, longpolls 70 s more. */
const REQUEST_TIMEOUT_MS = 30_000;
const LONGPOLL_TIMEOUT_MS = REQUEST_TIMEOUT_MS + 70_000;
/** agent-sync.ts: pull heartbeat 20 s, batch 100; retry after 1 s. */
const HEARTBEAT_MS = 20_000;
const PULL_BATCH = 100;
const RETRY_MS = 1000;
const MAX_EXAMPLES = 5;

interface Answer {
  status: number;
  body: Buffer;
}

class RequestFailed extends Error {}

export const epochNow = (): number => performance.timeOrigin + performance.now();

export interface SimAgentOptions {
  baseUrl: string;
  employeeId: string;
  authorization: string;
  /** The sealed records this device will push, in order. */
  docs: readonly WireDoc[];
  batch: number;
}

export class SimAgent {
  /**
   * `timeout` matters for idle sockets: Node's Agent shortens a free
   * socket's life to the server's announced Keep-Alive timeout less a
   * second only when it has a timeout of its own to shorten, and otherwise
   * keeps it until the server closes it, racing any request sent that
   * moment ("socket hang up"). The real agent's fetch (undici) honours the
   * announcement, so this client does too. Requests set their own timeouts.
   */
  private readonly agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000, timeout: LONGPOLL_TIMEOUT_MS });
  private readonly url: URL;
  private readonly records: string;
  private readonly inbox: string;
  private cursor = 0;
  /** Due times of records queued but not yet pushed (a push waits for the one before, as RxDB's does). */
  private readonly due: number[] = [];
  private pushing: Promise<void> | null = null;
  private stopped = false;
  private longpollReq: http.ClientRequest | null = null;
  private longpollLoop: Promise<void> | null = null;
  samples: PhaseSamples = emptySamples();
  readonly longpoll: LongpollStats = { answered: 0, clientTimeouts: 0, errors: 0, errorExamples: [] };

  constructor(private readonly opts: SimAgentOptions) {
    this.url = new URL(opts.baseUrl);
    this.records = `/st-emp-${opts.employeeId}-records`;
    this.inbox = `/st-emp-${opts.employeeId}-inbox`;
  }

  /** Hands back what was measured since the last call and starts afresh. */
  takeSamples(): PhaseSamples {
    const s = this.samples;
    this.samples = emptySamples();
    return s;
  }

  private error(where: string, message: string): void {
    this.samples.errors++;
    if (this.samples.errorExamples.length < MAX_EXAMPLES) this.samples.errorExamples.push(`${where}: ${message}`);
  }

  private request(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = REQUEST_TIMEOUT_MS,
    longpoll = false,
  ): Promise<Answer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { authorization: this.opts.authorization, accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    return new Promise<Answer>((resolve, reject) => {
      const req = http.request(
        {
          hostname: this.url.hostname,
          port: this.url.port,
          method,
          path,
          headers,
          agent: this.agent,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.once('error', (e) => reject(e));
          res.once('aborted', () => reject(new RequestFailed('answer cut short')));
        },
      );
      req.once('timeout', () => req.destroy(new RequestFailed(`no answer within ${timeoutMs} ms`)));
      req.once('error', reject);
      if (longpoll) this.longpollReq = req;
      req.end(payload);
    });
  }

  /** A request that must answer 2xx with JSON; timed under `kind` when given. */
  private async json(
    kind: keyof PhaseSamples['requests'] | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const t0 = performance.now();
    const start = epochNow();
    const a = await this.request(method, path, body);
    const ms = performance.now() - t0;
    this.samples.firstStart = Math.min(this.samples.firstStart, start);
    this.samples.lastEnd = Math.max(this.samples.lastEnd, start + ms);
    if (a.status < 200 || a.status >= 300)
      throw new RequestFailed(
        `${method} ${path.split('?')[0]} answered ${a.status} ${a.body.toString('utf8').slice(0, 200)}`,
      );
    if (kind) this.samples.requests[kind].push(ms);
    return JSON.parse(a.body.toString('utf8')) as unknown;
  }

  private changesUrl(feed: 'normal' | 'longpoll', since: string): string {
    // parameter order and values as RxDB's mergeUrlQueryParams produces them
    const q = `style=all_docs&feed=${feed}&include_docs=true&since=${since}&heartbeat=${HEARTBEAT_MS}&limit=${PULL_BATCH}&seq_interval=${PULL_BATCH}`;
    return `${this.inbox}/_changes?${q}`;
  }

  /** The inbox replication's start: the live longpoll and the initial pull, concurrently as RxDB starts them. */
  async connect(): Promise<void> {
    this.longpollLoop = this.runLongpoll();
    try {
      const r = (await this.json('changes', 'GET', this.changesUrl('normal', '0'))) as { results?: unknown[] };
      if (!Array.isArray(r.results)) throw new RequestFailed('_changes answered without results');
    } catch (e) {
      this.error('inbox pull', (e as Error).message);
    }
  }

  private async runLongpoll(): Promise<void> {
    let since = 'now';
    while (!this.stopped) {
      try {
        const a = await this.request('GET', this.changesUrl('longpoll', since), undefined, LONGPOLL_TIMEOUT_MS, true);
        if (this.stopped) return;
        if (a.status !== 200)
          throw new RequestFailed(`longpoll answered ${a.status} ${a.body.toString('utf8').slice(0, 200)}`);
        const r = JSON.parse(a.body.toString('utf8')) as { results?: unknown[]; last_seq?: unknown };
        if (!Array.isArray(r.results) || r.last_seq === undefined)
          throw new RequestFailed('longpoll answered without results');
        since = String(r.last_seq);
        this.longpoll.answered++;
      } catch (e) {
        if (this.stopped) return;
        const message = (e as Error).message;
        if (message.startsWith('no answer within')) {
          this.longpoll.clientTimeouts++; // the agent's own timeout: it simply polls again
          continue;
        }
        this.longpoll.errors++;
        if (this.longpoll.errorExamples.length < MAX_EXAMPLES) this.longpoll.errorExamples.push(message);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  /** Queues `n` records as due now and pushes them (waiting for any push in progress, as RxDB does). */
  enqueue(n: number, dueAt = epochNow()): Promise<void> {
    for (let i = 0; i < n; i++) this.due.push(dueAt);
    return (this.pushing ??= this.drain().finally(() => {
      this.pushing = null;
    }));
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    while (this.pushing) await this.pushing;
  }

  private async drain(): Promise<void> {
    while (this.due.length > 0 && !this.stopped) {
      const n = Math.min(this.opts.batch, this.due.length);
      const dueAt = this.due[0]!;
      this.due.splice(0, n);
      const docs = this.opts.docs.slice(this.cursor, this.cursor + n);
      this.cursor += docs.length;
      if (docs.length < n) {
        this.error('push', 'the bench ran out of sealed records for this agent');
        return;
      }
      try {
        await this.pushCycle(docs);
        this.samples.cycles.push(epochNow() - dueAt);
        this.samples.cycleDue.push(dueAt);
      } catch (e) {
        this.error('push', (e as Error).message);
      }
    }
  }

  private async pushCycle(docs: readonly WireDoc[]): Promise<void> {
    const found = (await this.json('all-docs', 'POST', `${this.records}/_all_docs?`, {
      keys: docs.map((d) => d._id),
      include_docs: true,
      deleted: 'ok',
    })) as {
      rows?: Array<{ key: string; doc?: unknown }>;
    };
    if (!Array.isArray(found.rows)) throw new RequestFailed('_all_docs answered without rows');
    const absent = new Set(found.rows.filter((r) => !r.doc).map((r) => r.key));
    // a record already on the server is an (equal) master state: RxDB would not send it again
    const send = docs.filter((d) => absent.has(d._id)).map((d) => ({ ...d, _deleted: false }));
    if (send.length === 0) return;
    const written = (await this.json('bulk-docs', 'POST', `${this.records}/_bulk_docs?`, { docs: send })) as Array<{
      ok?: boolean;
      id?: string;
      error?: string;
      reason?: string;
    }>;
    if (!Array.isArray(written)) throw new RequestFailed('_bulk_docs answered without a list');
    for (const w of written) {
      if (w.ok === true) this.samples.records++;
      else this.error('push', `${w.id ?? '?'} refused: ${w.error ?? '?'} ${w.reason ?? ''}`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.longpollReq?.destroy();
    await this.longpollLoop?.catch(() => undefined);
    await this.pushing?.catch(() => undefined);
    this.agent.destroy();
  }
}

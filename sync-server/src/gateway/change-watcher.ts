/**
 * One shared change watcher per database, held by the gateway for as long
 * as some client longpolls that database: a single engine longpoll from the
 * last seq it knows, re-armed after every answer. Client longpolls attach to
 * it instead of each holding (and, on timeout, abandoning and repeating)
 * their own engine longpoll, so waiting, timing out and polling again cost
 * the engine nothing; only a change (or a client that is behind) makes a
 * client's `_changes` reach the engine.
 *
 * Correctness does not depend on comparing seqs (CouchDB's are opaque):
 * `generation` counts the watcher's answers that carried changes (or its
 * failures). Any change committed after a client read its `_changes` reaches
 * the engine after the watcher's armed seq, so it bumps the generation after
 * that read began: a client that saw the generation unchanged since before
 * its read has missed nothing.
 */
import { readUpstream, dbPath, type Upstream } from './upstream.js';

export interface ChangeWatch {
  /** Resolves once the watcher knows a seq to watch from; rejects if the database cannot be read. */
  readonly ready: Promise<void>;
  /** The seq the watcher is armed from: a client at exactly this seq is up to date. */
  seq(): unknown;
  generation(): number;
  /** Resolves at the next generation after `gen` (at once if already past), or when `signal` aborts. */
  changedAfter(gen: number, signal: AbortSignal): Promise<void>;
  /** Detaches this client; the watcher stops `idleMs` after its last client leaves. */
  release(): void;
}

export interface ChangeWatchers {
  attach(dbName: string): ChangeWatch;
  /** Databases currently watched (for tests and diagnostics). */
  size(): number;
  close(): void;
}

export interface ChangeWatcherOptions {
  /** How long a watcher outlives its last client, so an immediate re-poll finds it armed (default 5 s). */
  idleMs?: number;
  /** Pause after a failed engine longpoll before re-arming (default 1 s). */
  retryMs?: number;
}

/** Asked of the engine with the longpoll: CouchDB answers empty after it and the watcher re-arms; express-pouchdb ignores it. */
const ENGINE_TIMEOUT_MS = 60_000;

class Watcher {
  seq: unknown = null;
  generation = 0;
  clients = 0;
  readonly ready: Promise<void>;
  private readonly listeners = new Set<() => void>();
  private poll: AbortController | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly upstream: Upstream,
    private readonly dbName: string,
    private readonly opts: Required<ChangeWatcherOptions>,
    private readonly onStop: (w: Watcher) => void,
  ) {
    this.ready = this.start();
    this.ready.catch(() => this.stop()); // the next client makes a new one
  }

  private async start(): Promise<void> {
    const info = await this.request('', new URLSearchParams());
    const seq = (info as { update_seq?: unknown } | null)?.update_seq;
    if (seq === undefined) throw new Error('the database answered without update_seq');
    this.seq = seq;
    void this.loop();
  }

  private async request(rest: string, query: URLSearchParams): Promise<unknown> {
    const ctl = new AbortController();
    this.poll = ctl;
    try {
      const res = await this.upstream.request({
        method: 'GET',
        path: dbPath(this.dbName, rest),
        query,
        signal: ctl.signal,
      });
      const body = await readUpstream(res);
      if (res.statusCode !== 200) throw new Error(`the engine answered ${res.statusCode}`);
      return JSON.parse(body.toString('utf8'));
    } finally {
      if (this.poll === ctl) this.poll = null;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const q = new URLSearchParams({
          feed: 'longpoll',
          since: typeof this.seq === 'string' ? this.seq : JSON.stringify(this.seq),
          timeout: String(ENGINE_TIMEOUT_MS),
          heartbeat: String(ENGINE_TIMEOUT_MS),
        });
        const answer = (await this.request('/_changes', q)) as { results?: unknown[]; last_seq?: unknown };
        if (this.stopped) return;
        if (answer.last_seq !== undefined) this.seq = answer.last_seq;
        if (Array.isArray(answer.results) && answer.results.length > 0) this.bump();
      } catch {
        if (this.stopped) return;
        // unsure what was missed: wake every client to read for itself (and meet the engine's error if it is down)
        this.bump();
        await new Promise<void>((done) => (this.retryTimer = setTimeout(done, this.opts.retryMs)));
        this.retryTimer = null;
      }
    }
  }

  private bump(): void {
    this.generation++;
    const waiting = [...this.listeners];
    this.listeners.clear();
    for (const l of waiting) l();
  }

  changedAfter(gen: number, signal: AbortSignal): Promise<void> {
    if (this.generation > gen || signal.aborted) return Promise.resolve();
    return new Promise((done) => {
      const finish = (): void => {
        this.listeners.delete(finish);
        signal.removeEventListener('abort', finish);
        done();
      };
      this.listeners.add(finish);
      signal.addEventListener('abort', finish, { once: true });
    });
  }

  attach(): void {
    this.clients++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  release(): void {
    this.clients--;
    if (this.clients > 0 || this.stopped) return;
    this.idleTimer = setTimeout(() => this.stop(), this.opts.idleMs);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.poll?.abort();
    this.bump(); // nobody may wait on a stopped watcher
    this.onStop(this);
  }
}

export function createChangeWatchers(upstream: Upstream, options: ChangeWatcherOptions = {}): ChangeWatchers {
  const opts: Required<ChangeWatcherOptions> = { idleMs: options.idleMs ?? 5000, retryMs: options.retryMs ?? 1000 };
  const watchers = new Map<string, Watcher>();

  return {
    attach(dbName) {
      let w = watchers.get(dbName);
      if (!w) {
        const created: Watcher = new Watcher(upstream, dbName, opts, (stopped) => {
          if (watchers.get(dbName) === stopped) watchers.delete(dbName);
        });
        watchers.set(dbName, (w = created));
      }
      const watcher = w;
      watcher.attach();
      let released = false;
      return {
        ready: watcher.ready,
        seq: () => watcher.seq,
        generation: () => watcher.generation,
        changedAfter: (gen, signal) => watcher.changedAfter(gen, signal),
        release() {
          if (released) return;
          released = true;
          watcher.release();
        },
      };
    },
    size: () => watchers.size,
    close() {
      for (const w of [...watchers.values()]) w.stop();
      watchers.clear();
    },
  };
}

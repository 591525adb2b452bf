/**
 * One source database pulled into the replica: its `_changes` feed from the
 * stored checkpoint with whole documents in each page (`include_docs`), the
 * next page fetched while the last one is written, then long polls.
 *
 * Not RxDB's replication: for every pulled document it also reads and writes
 * an "assumed master state" copy (envelope included) in a meta store, so a
 * pull wrote each record twice. Reviewers never write records, so there is
 * nothing to reconcile: a server document is stored as it is, and a row that
 * is already stored unchanged (the recent window's, replica-window.ts) is
 * neither written nor counted again.
 *
 * The checkpoint (`last_seq`) is written after each page's rows: a restart
 * re-reads at most one page. Failures are retried with exponential backoff;
 * `wake()` ends a backoff wait or a long poll at once.
 */
import type { RxCollection } from 'rxdb';
import type { ReplicaDoc } from './replica-store.js';

/** Where each source's checkpoint is kept (the replica's meta collection). */
export interface CheckpointStore {
  get(source: string): Promise<string | number | null>;
  put(source: string, seq: string | number): Promise<void>;
}

export interface SourcePullOptions {
  /** Gateway base URL (no trailing slash). */
  base: string;
  source: string;
  fetch: typeof fetch;
  collection: RxCollection<ReplicaDoc>;
  checkpoints: CheckpointStore;
  /** A server document as a replica row; `_deleted` for anything that is not a sealed record. */
  toRow: (source: string, raw: Record<string, unknown>) => ReplicaDoc & { _deleted: boolean };
  batchSize: number;
  /** How long a long poll waits for a change before it answers empty. */
  longpollMs: number;
  minRetryMs: number;
  maxRetryMs: number;
  stop: AbortSignal;
  /** Rows newly written (not those already stored unchanged). */
  onWritten(n: number): void;
  /** A page came and was stored: the link works. */
  onPage(): void;
  onError(err: unknown): void;
}

interface ChangesPage {
  results: Array<{ id?: string; deleted?: boolean; doc?: Record<string, unknown> }>;
  last_seq: string | number;
}

interface Fetched {
  page: ChangesPage;
  /** The wake count when the request was sent: it answers awaitInSync calls made before. */
  epoch: number;
}

/**
 * Stores server documents as replica rows, skipping those stored unchanged
 * and dropping deleted ones; the count newly written.
 */
export async function storeServerDocs(
  collection: RxCollection<ReplicaDoc>,
  source: string,
  toRow: SourcePullOptions['toRow'],
  docs: ReadonlyArray<Record<string, unknown>>,
): Promise<number> {
  const rows = new Map<string, ReplicaDoc & { _deleted: boolean }>();
  for (const doc of docs) {
    const row = toRow(source, doc);
    if (row.id) rows.set(row.id, row); // the last state of a doc wins
  }
  if (rows.size === 0) return 0;
  const have = await collection.findByIds([...rows.keys()]).exec();
  const fresh: ReplicaDoc[] = [];
  const gone: string[] = [];
  for (const { _deleted, ...row } of rows.values()) {
    const old = have.get(row.id);
    if (_deleted) {
      if (old) gone.push(row.id);
    } else if (!old || old.envelope !== row.envelope || old.source !== row.source || old.hour !== row.hour) {
      fresh.push(row);
    }
  }
  if (fresh.length > 0) {
    const { error } = await collection.bulkUpsert(fresh);
    if (error.length > 0) throw new Error(`storing ${error.length} rows of ${source} failed: ${error[0]!.status}`);
  }
  if (gone.length > 0) await collection.bulkRemove(gone);
  return fresh.length;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

export class SourcePull {
  retryMs: number;
  private epoch = 0;
  private waiters: Array<{ epoch: number; resolve: () => void }> = [];
  /** Aborted by wake(): ends the current long poll or backoff wait. */
  private waking = new AbortController();
  readonly done: Promise<void>;

  constructor(private readonly o: SourcePullOptions) {
    this.retryMs = o.minRetryMs;
    this.done = this.run();
  }

  /** Pull now: a waiting long poll or backoff ends, the retry delay starts over. */
  wake(): void {
    this.epoch++;
    this.retryMs = this.o.minRetryMs;
    this.waking.abort();
  }

  /** Resolves once a page asked after this call came back short: the server's state then is stored. */
  awaitInSync(): Promise<void> {
    return new Promise((resolve) => {
      this.wake();
      this.waiters.push({ epoch: this.epoch, resolve });
    });
  }

  private async fetchPage(since: string | number, longpoll: boolean): Promise<Fetched> {
    const epoch = this.epoch;
    const q = new URLSearchParams({
      feed: longpoll ? 'longpoll' : 'normal',
      style: 'main_only',
      include_docs: 'true',
      since: String(since),
      limit: String(this.o.batchSize),
    });
    if (longpoll) {
      q.set('timeout', String(this.o.longpollMs));
      q.set('heartbeat', String(Math.max(1000, Math.floor(this.o.longpollMs / 2))));
    }
    const signal = longpoll ? AbortSignal.any([this.o.stop, this.waking.signal]) : this.o.stop;
    const res = await this.o.fetch(`${this.o.base}/${this.o.source}/_changes?${q}`, { signal });
    const page = (await res.json()) as Partial<ChangesPage>;
    if (!Array.isArray(page.results) || (typeof page.last_seq !== 'string' && typeof page.last_seq !== 'number'))
      throw new Error(`GET _changes of ${this.o.source}: an answer without results or last_seq`);
    return { page: page as ChangesPage, epoch };
  }

  private async store(page: ChangesPage): Promise<number> {
    return storeServerDocs(
      this.o.collection,
      this.o.source,
      this.o.toRow,
      page.results.flatMap((r) => (r.doc ? [r.doc] : [])),
    );
  }

  private settle(fetched: Fetched): void {
    const ready = this.waiters.filter((w) => w.epoch <= fetched.epoch);
    this.waiters = this.waiters.filter((w) => w.epoch > fetched.epoch);
    for (const w of ready) w.resolve();
  }

  private async run(): Promise<void> {
    const { o } = this;
    let since: string | number | null = null;
    let live = false;
    let ahead: Promise<Fetched> | null = null;
    while (!o.stop.aborted) {
      try {
        since ??= (await o.checkpoints.get(o.source)) ?? 0;
        if (this.waking.signal.aborted) {
          this.waking = new AbortController();
          live = false; // asked to pull now: a normal read, not a wait
        }
        const fetched: Fetched = await (ahead ?? this.fetchPage(since, live));
        ahead = null;
        const { page } = fetched;
        const full = page.results.length >= o.batchSize;
        // the next page travels while this one is written
        if (full) {
          ahead = this.fetchPage(page.last_seq, false);
          ahead.catch(() => undefined); // its failure is met when it is awaited
        }
        const written = await this.store(page);
        if (String(page.last_seq) !== String(since)) await o.checkpoints.put(o.source, page.last_seq);
        since = page.last_seq;
        this.retryMs = o.minRetryMs;
        o.onPage();
        if (written > 0) o.onWritten(written);
        live = !full;
        if (!full) this.settle(fetched);
      } catch (err) {
        ahead = null;
        if (o.stop.aborted) return;
        if (this.waking.signal.aborted) continue; // a long poll ended by wake(): not a failure
        o.onError(err);
        await sleep(this.retryMs, AbortSignal.any([o.stop, this.waking.signal]));
        this.retryMs = Math.min(o.maxRetryMs, Math.max(o.minRetryMs, this.retryMs * 2));
        live = false;
      }
    }
  }
}

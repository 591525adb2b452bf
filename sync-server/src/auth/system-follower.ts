/**
 * Follows st-system's changes feed so a cache of its documents hears of
 * every change, whichever process made it (another gateway on the same
 * CouchDB, an ops tool writing through the engine). With the feed followed,
 * a revocation made elsewhere reaches this process's cache in milliseconds
 * rather than after a TTL, and cached entries can live long: an agent idle
 * for a while no longer pays a lookup on its next push.
 *
 * `healthy` says whether the feed can be trusted right now. Each longpoll is
 * ended by this side after `pollMs` (express-pouchdb ignores `timeout`), so a
 * connection that died silently is noticed within that period; the next poll
 * resumes from the last sequence seen, so no change is skipped. Any failure
 * marks the feed unhealthy (the cache then falls back to its short TTL) and
 * it retries with backoff.
 */
import type { DocumentScope } from 'nano';
import { splitCredentials } from '../engine/url-credentials.js';

export interface FollowerOptions {
  /** Called with the documents that changed and their new (winning) revisions. */
  onChange(changes: readonly DocChange[]): void;
  /** How long one longpoll is held before this side restarts it (default 25 s). */
  pollMs?: number;
  /** Most time between retries after failures (default 30 s). */
  maxBackoffMs?: number;
  onError?(message: string): void;
}

export interface DocChange {
  id: string;
  rev: string | null;
}

export interface SystemFollower {
  readonly healthy: boolean;
  close(): void;
}

interface ChangesAnswer {
  results?: Array<{ id?: unknown; changes?: Array<{ rev?: unknown }> }>;
  last_seq?: unknown;
}

/** The database's URL without its userinfo (fetch refuses credentials in URLs), and the Basic header it carried. */
function endpoint(db: DocumentScope<unknown>): { base: string; authorization: string | null } {
  const { base, authorization } = splitCredentials(new URL(db.config.url));
  return { base: `${base}/${encodeURIComponent(db.config.db)}`, authorization };
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    t.unref();
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Starts following from the database's current sequence; resolves once that
 * starting point is known, so no change after the call can be missed.
 */
export async function followSystemChanges(db: DocumentScope<unknown>, opts: FollowerOptions): Promise<SystemFollower> {
  const { base, authorization } = endpoint(db);
  const headers: Record<string, string> = { accept: 'application/json', ...(authorization ? { authorization } : {}) };
  const pollMs = opts.pollMs ?? 25_000;
  const maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  const stop = new AbortController();

  const info = (await db.info()) as { update_seq?: unknown };
  let since = String(info.update_seq ?? 'now');
  let healthy = true;

  async function pollOnce(): Promise<void> {
    const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(pollMs + 5_000)]);
    const q = new URLSearchParams({ feed: 'longpoll', since, timeout: String(pollMs) });
    let res: Response;
    try {
      res = await fetch(`${base}/_changes?${q}`, { headers, signal });
    } catch (e) {
      // our own restart of a held longpoll: the feed is fine, there was nothing to say
      if ((e as Error)?.name === 'TimeoutError') return;
      throw e;
    }
    if (!res.ok) throw new Error(`the changes feed answered ${res.status}`);
    let body: ChangesAnswer;
    try {
      body = (await res.json()) as ChangesAnswer;
    } catch (e) {
      if ((e as Error)?.name === 'TimeoutError') return;
      throw e;
    }
    const changes: DocChange[] = [];
    for (const r of body.results ?? []) {
      const rev = r.changes?.[0]?.rev;
      if (typeof r.id === 'string') changes.push({ id: r.id, rev: typeof rev === 'string' ? rev : null });
    }
    if (body.last_seq !== undefined && body.last_seq !== null) since = String(body.last_seq);
    if (changes.length > 0) opts.onChange(changes);
  }

  void (async () => {
    let backoff = 0;
    while (!stop.signal.aborted) {
      try {
        await pollOnce();
        healthy = true;
        backoff = 0;
      } catch (e) {
        if (stop.signal.aborted) return;
        healthy = false;
        opts.onError?.((e as Error)?.message ?? String(e));
        backoff = Math.min(maxBackoffMs, backoff ? backoff * 2 : 1_000);
        await sleep(backoff, stop.signal);
      }
    }
  })();

  return {
    get healthy() {
      return healthy && !stop.signal.aborted;
    },
    close() {
      stop.abort();
    },
  };
}

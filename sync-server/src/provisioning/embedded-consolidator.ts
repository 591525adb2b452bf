/**
 * Consolidation on the embedded engine, the server's equivalent of CouchDB's
 * `_replicator`: one in-process live changes feed per employee fans each
 * record out to the consolidated databases routed for its kind.
 *
 * Why not one PouchDB replication per route: three replications per
 * employee each read, diff, write and checkpoint every record separately.
 * Here each record is read once, and writes are batched across employees:
 * one `bulkDocs` (new_edits: false, revisions kept) per target database per
 * flush, then one checkpoint document. A crash between the two replays a few
 * records, which is harmless: writing a revision the target has is a no-op.
 *
 * Checkpoints are per route (source, target, kinds), in st-provisioning's
 * `_local/sealtime-consolidation`, so a route that is new or whose kinds
 * changed starts from the beginning (as a new `_replicator` document would)
 * while the employee's other routes continue where they were.
 */
import type { Logger } from 'pino';
import type { EmbeddedEngine } from '../engine/embedded-engine.js';
import type { ConsolidationRoute } from './consolidation-routes.js';
import { routeId } from './consolidation-routes.js';
import type { Consolidator, RouteState, RouteStatus } from './consolidator.js';
import { dbNames } from './db-names.js';

export interface EmbeddedConsolidatorOptions {
  logger?: Logger;
  /** Longest a copied record waits in memory before being written (default 50 ms). */
  flushDelayMs?: number;
  /** Buffered records that trigger a write at once (default 500). */
  flushAtDocs?: number;
}

type Doc = Record<string, unknown> & { _id: string; _rev?: string };

interface PouchChanges {
  on(event: 'change', cb: (c: { id: string; seq: number; doc?: Doc }) => void): PouchChanges;
  on(event: 'error', cb: (e: unknown) => void): PouchChanges;
  cancel(): void;
}

interface LocalDb {
  changes(opts: Record<string, unknown>): PouchChanges;
  get(id: string, opts?: Record<string, unknown>): Promise<Doc>;
  put(doc: object): Promise<{ rev: string }>;
  bulkDocs(docs: object[], opts: { new_edits: false }): Promise<Array<{ error?: string; reason?: string }>>;
}

interface Route extends ConsolidationRoute {
  key: string;
  kinds: string[];
  written: number;
}

interface Feed {
  employeeId: string;
  routes: Route[];
  changes: PouchChanges | null;
  /** Highest source seq fully handed to the buffer. */
  seen: number;
  chain: Promise<void>;
  failed: string | null;
  restart: NodeJS.Timeout | null;
}

const CHECKPOINT_ID = '_local/sealtime-consolidation';

/** A route's checkpoint key: a change of kinds or classes makes it a new route. */
function keyOf(r: ConsolidationRoute): string {
  return `${routeId(r)}:${[...r.kinds].sort().join(',')}:${[...r.classes].sort().join(',')}`;
}

/** Version 1 records show their kind, version 2 records only their routing class. */
function carries(r: Route, doc: Doc): boolean {
  return typeof doc.class === 'string'
    ? r.classes.includes(doc.class)
    : typeof doc.kind === 'string' && r.kinds.includes(doc.kind);
}

function revisionsOf(rev: string): { start: number; ids: string[] } | null {
  const m = /^1-([0-9a-f]+)$/.exec(rev);
  return m ? { start: 1, ids: [m[1]!] } : null;
}

export function createEmbeddedConsolidator(
  engine: EmbeddedEngine,
  opts: EmbeddedConsolidatorOptions = {},
): Consolidator {
  const log = opts.logger;
  const flushDelay = opts.flushDelayMs ?? 50;
  const flushAt = opts.flushAtDocs ?? 500;
  const open = (name: string): LocalDb => new engine.PouchDB(name) as unknown as LocalDb;
  const dbs = new Map<string, LocalDb>();
  const db = (name: string): LocalDb => {
    let d = dbs.get(name);
    if (!d) dbs.set(name, (d = open(name)));
    return d;
  };

  const feeds = new Map<string, Feed>();
  /** Feeds whose `seen` moved since the last flush took its snapshot (a flush reads only these, not all 500). */
  const advanced = new Set<Feed>();
  /** target -> docId -> doc and the route it came by */
  let pending = new Map<string, Map<string, { doc: Doc; route: Route }>>();
  let pendingCount = 0;
  let checkpoints: Record<string, number> | null = null;
  let checkpointRev: string | undefined;
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;
  let retryMs = 0;
  let lastFlushError: string | null = null;
  let persistTimer: NodeJS.Timeout | null = null;
  let closed = false;
  /** Set while exclusive() runs: no writes, no feeds, no open handles. */
  let exclusive = false;

  async function loadCheckpoints(): Promise<Record<string, number>> {
    if (checkpoints) return checkpoints;
    try {
      const doc = await db(dbNames.provisioning).get(CHECKPOINT_ID);
      checkpointRev = doc._rev;
      checkpoints ??= { ...(doc.routes as Record<string, number>) };
    } catch {
      checkpoints ??= {};
    }
    return checkpoints;
  }

  async function persistCheckpoints(): Promise<void> {
    persistTimer = null;
    if (!checkpoints) return;
    try {
      const res = await db(dbNames.provisioning).put({
        _id: CHECKPOINT_ID,
        ...(checkpointRev ? { _rev: checkpointRev } : {}),
        routes: checkpoints,
      });
      checkpointRev = res.rev;
    } catch (e) {
      // a lost checkpoint only means replaying records, which is idempotent
      log?.warn({ err: (e as Error).message }, 'consolidation checkpoint not saved');
      checkpointRev = undefined;
      await db(dbNames.provisioning)
        .get(CHECKPOINT_ID)
        .then(
          (d) => (checkpointRev = d._rev),
          () => undefined,
        );
    }
  }

  function schedulePersist(): void {
    if (!persistTimer && !closed) persistTimer = setTimeout(() => void persistCheckpoints(), 1000);
  }

  function scheduleFlush(now = false): void {
    if (closed && !now) return;
    if (now || pendingCount >= flushAt) {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      void flush();
    } else if (!flushTimer) {
      flushTimer = setTimeout(
        () => {
          flushTimer = null;
          void flush();
        },
        Math.max(flushDelay, retryMs),
      );
    }
  }

  async function flush(): Promise<void> {
    if (flushing) return flushing.then(() => (pendingCount > 0 ? flush() : undefined));
    if (pendingCount === 0 || exclusive) return; // records wait in the buffer; exclusive() flushes after
    const batch = pending;
    pending = new Map();
    pendingCount = 0;
    // everything each feed has seen so far is in this batch
    const seen = new Map<Feed, number>();
    for (const f of advanced) if (feeds.get(f.employeeId) === f) seen.set(f, f.seen);
    advanced.clear();
    flushing = (async () => {
      try {
        for (const [target, docs] of batch) {
          const results = await db(target).bulkDocs(
            [...docs.values()].map((d) => d.doc),
            { new_edits: false },
          );
          const refused = results.find((r) => r.error);
          if (refused) throw new Error(`${target} refused a record: ${refused.reason ?? refused.error}`);
          for (const { route } of docs.values()) route.written++;
        }
        const cp = await loadCheckpoints();
        for (const [feed, seq] of seen) for (const r of feed.routes) cp[r.key] = Math.max(cp[r.key] ?? 0, seq);
        schedulePersist();
        retryMs = 0;
        lastFlushError = null;
      } catch (e) {
        for (const f of seen.keys()) advanced.add(f); // their positions wait for the retry
        lastFlushError = String((e as Error).message ?? e).slice(0, 300);
        retryMs = Math.min(60_000, retryMs === 0 ? 1000 : retryMs * 2);
        log?.warn({ err: lastFlushError, retryInMs: retryMs }, 'consolidation write failed; will retry');
        // put the batch back under anything newer buffered meanwhile
        for (const [target, docs] of batch) {
          const now = pending.get(target) ?? new Map();
          for (const [id, d] of docs) if (!now.has(id)) now.set(id, d);
          pending.set(target, now);
        }
        pendingCount = [...pending.values()].reduce((n, m) => n + m.size, 0);
      } finally {
        flushing = null;
      }
    })();
    await flushing;
    if (pendingCount > 0) scheduleFlush(closed);
  }

  async function handle(
    feed: Feed,
    change: { id: string; seq: number; doc?: Doc },
    cp: Record<string, number>,
  ): Promise<void> {
    const doc = change.doc;
    if (doc && !doc._id.startsWith('_design/') && (typeof doc.kind === 'string' || typeof doc.class === 'string')) {
      let prepared: Doc | null = null;
      for (const r of feed.routes) {
        if (change.seq <= (cp[r.key] ?? 0) || !carries(r, doc)) continue;
        prepared ??= await withRevisions(r.source, doc);
        let forTarget = pending.get(r.target);
        if (!forTarget) pending.set(r.target, (forTarget = new Map()));
        if (!forTarget.has(doc._id)) pendingCount++;
        forTarget.set(doc._id, { doc: prepared, route: r });
      }
    }
    feed.seen = Math.max(feed.seen, change.seq);
    advanced.add(feed);
    scheduleFlush();
  }

  /** new_edits: false needs the revision history; a first revision carries it in its own id. */
  async function withRevisions(source: string, doc: Doc): Promise<Doc> {
    const rev = doc._rev ?? '';
    const own = revisionsOf(rev);
    if (own) return { ...doc, _revisions: own };
    return db(source).get(doc._id, { rev, revs: true });
  }

  async function startFeed(feed: Feed): Promise<void> {
    const cp = await loadCheckpoints();
    if (closed || feeds.get(feed.employeeId) !== feed) return;
    const since = Math.min(...feed.routes.map((r) => cp[r.key] ?? 0), feed.seen || Number.POSITIVE_INFINITY);
    const source = feed.routes[0]!.source;
    feed.failed = null;
    feed.changes = db(source)
      .changes({ since: Number.isFinite(since) ? since : 0, live: true, include_docs: true, return_docs: false })
      .on('change', (c) => {
        // in order, even when a change needs an extra read
        feed.chain = feed.chain.then(() => handle(feed, c, cp)).catch((e: unknown) => fail(feed, e));
      })
      .on('error', (e) => fail(feed, e));
  }

  function fail(feed: Feed, e: unknown): void {
    feed.failed = String((e as Error)?.message ?? e).slice(0, 300);
    log?.error({ employee: feed.employeeId, err: feed.failed }, 'consolidation feed failed; restarting');
    feed.changes?.cancel();
    feed.changes = null;
    if (closed || feed.restart) return;
    feed.restart = setTimeout(() => {
      feed.restart = null;
      if (feeds.get(feed.employeeId) === feed) void startFeed(feed);
    }, 5000);
  }

  function stopFeed(feed: Feed): void {
    feed.changes?.cancel();
    feed.changes = null;
    if (feed.restart) clearTimeout(feed.restart);
    feed.restart = null;
  }

  function stateOf(feed: Feed, r: Route): RouteState {
    if (feed.failed) return 'error';
    if (lastFlushError && pending.get(r.target)?.size) return 'retrying';
    return [...(pending.get(r.target)?.values() ?? [])].some((d) => d.route === r) ? 'running' : 'idle';
  }

  return {
    kind: 'embedded',
    async apply(employeeId, routes) {
      if (closed) throw new Error('consolidator is closed');
      const wanted: Route[] = routes.map((r) => ({
        ...r,
        kinds: [...r.kinds].sort(),
        classes: [...r.classes].sort(),
        key: keyOf(r),
        written: 0,
      }));
      const current = feeds.get(employeeId);
      const same =
        current &&
        current.routes
          .map((r) => r.key)
          .sort()
          .join('|') ===
          wanted
            .map((r) => r.key)
            .sort()
            .join('|');
      if (same) return;
      if (current) {
        stopFeed(current);
        // a change the old feed already took is routed the old way, before the new routes count as applied
        await current.chain;
      }
      if (wanted.length === 0) {
        feeds.delete(employeeId);
        return;
      }
      const feed: Feed = {
        employeeId,
        routes: wanted,
        changes: null,
        seen: 0,
        chain: Promise.resolve(),
        failed: null,
        restart: null,
      };
      feeds.set(employeeId, feed);
      await startFeed(feed);
    },
    async remove(employeeId) {
      const feed = feeds.get(employeeId);
      if (!feed) return;
      feeds.delete(employeeId);
      advanced.delete(feed);
      stopFeed(feed);
      await feed.chain;
      // records already buffered for reviewers are still written: they were routed while the employee existed
      await flush();
      // a later employee of the same id starts from empty databases: forget these positions
      const cp = await loadCheckpoints();
      for (const r of feed.routes) delete cp[r.key];
      schedulePersist();
      // the source is about to be deleted; an instance kept open would outlive its store
      dbs.delete(feed.routes[0]!.source);
    },
    async exclusive<T>(run: () => Promise<T>): Promise<T> {
      // Databases are about to be closed and changed under us (a purge while the server runs):
      // a write or a changes feed left running on a closed store would never finish.
      while (exclusive) await new Promise((done) => setTimeout(done, 20));
      exclusive = true;
      const running = [...feeds.values()];
      try {
        for (const feed of running) stopFeed(feed);
        await Promise.all(running.map((f) => f.chain));
        await (flushing ?? Promise.resolve());
        dbs.clear();
        return await run();
      } finally {
        dbs.clear();
        exclusive = false;
        // each feed resumes where it was (its checkpoint or what it had handed on)
        for (const feed of running) if (!closed && feeds.get(feed.employeeId) === feed) await startFeed(feed);
        scheduleFlush(pendingCount > 0);
      }
    },
    async status(): Promise<RouteStatus[]> {
      return [...feeds.values()].flatMap((feed) =>
        feed.routes.map((r) => ({
          id: routeId(r),
          source: r.source,
          target: r.target,
          state: stateOf(feed, r),
          docsWritten: r.written,
          pending: [...(pending.get(r.target)?.values() ?? [])].filter((d) => d.route === r).length,
          lastError: feed.failed ?? lastFlushError,
        })),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const feed of feeds.values()) stopFeed(feed);
      await Promise.all([...feeds.values()].map((f) => f.chain));
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      await flush().catch(() => undefined);
      if (persistTimer) clearTimeout(persistTimer);
      await persistCheckpoints();
      feeds.clear();
    },
  };
}

/**
 * Consolidation on Apache CouchDB: one continuous `_replicator` document per
 * route with a Mango selector on `kind` (v1) or `class` (v2). CouchDB 3 needs full URLs for both
 * ends; the admin credential travels as a header (CouchDB hides it from
 * non-admin readers). `replicationBaseUrl` is how CouchDB reaches itself,
 * which behind Docker or a cluster may differ from how this server reaches it.
 */
import type { Logger } from 'pino';
import type { CouchDBEngine } from '../engine/couchdb-engine.js';
import { routeId, type ConsolidationRoute } from './consolidation-routes.js';
import type { Consolidator, RouteStatus } from './consolidator.js';
import { ensureDb, ensureSecurity, statusOf } from './engine-ops.js';
import { ADMIN_ONLY_SECURITY } from './design-docs.js';

export interface CouchDBConsolidatorOptions {
  /** Base URL CouchDB uses to reach itself (default: the engine URL without credentials). */
  replicationBaseUrl?: string;
  logger?: Logger;
}

interface ReplicatorDoc {
  _id: string;
  _rev?: string;
  source: { url: string; headers: Record<string, string> };
  target: { url: string; headers: Record<string, string> };
  continuous: true;
  create_target: false;
  selector: { $or: [{ kind: { $in: string[] } }, { class: { $in: string[] } }] };
}

interface SchedulerDoc {
  doc_id: string;
  state?: string;
  info?: {
    docs_written?: number;
    changes_pending?: number | null;
    through_seq?: string | number;
    error?: string;
  } | null;
}

/** How many routes' lag is read at once by status (two small requests each). */
const LAG_READS_AT_ONCE = 8;

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const REPLICATOR = '_replicator';
/** Longest wait for a deleted route's job to stop (a cluster node may be slow to see the deletion). */
const STOP_TIMEOUT_MS = 30_000;

export class ConsolidationError extends Error {
  override readonly name = 'ConsolidationError';
}

export function createCouchDBConsolidator(engine: CouchDBEngine, opts: CouchDBConsolidatorOptions = {}): Consolidator {
  const fixedBase = opts.replicationBaseUrl?.replace(/\/+$/, '');
  /**
   * Where the replications point: the operator's replication URL (a load
   * balancer) when given, else the endpoint this server uses now. With
   * several endpoints and no such URL, routes are re-pointed when the
   * current endpoint changes, or a dead node would stall every route.
   */
  const target = (): { base: string; authorization: string } => {
    const e = engine.replicationEndpoint();
    return { base: fixedBase ?? e.base, authorization: e.authorization };
  };
  const db = engine.nano.use<ReplicatorDoc>(REPLICATOR);
  let ready: Promise<void> | null = null;

  const ensureReplicator = (): Promise<void> =>
    (ready ??= (async () => {
      // a single-node CouchDB that never ran its setup wizard has no _replicator yet
      await ensureDb(engine.nano, REPLICATOR);
      await ensureSecurity(engine.nano, REPLICATOR, ADMIN_ONLY_SECURITY);
    })().catch((e: unknown) => {
      ready = null;
      throw e;
    }));

  function docFor(route: ConsolidationRoute): ReplicatorDoc {
    const { base: replBase, authorization } = target();
    const headers = { Authorization: authorization };
    return {
      _id: routeId(route),
      source: { url: `${replBase}/${route.source}`, headers },
      target: { url: `${replBase}/${route.target}`, headers },
      continuous: true,
      create_target: false,
      // version 1 records show their kind, version 2 records only their routing class
      selector: { $or: [{ kind: { $in: [...route.kinds] } }, { class: { $in: [...route.classes] } }] },
    };
  }

  function same(a: ReplicatorDoc, b: ReplicatorDoc): boolean {
    return (
      a.source.url === b.source.url &&
      a.target.url === b.target.url &&
      JSON.stringify(a.selector) === JSON.stringify(b.selector) &&
      a.continuous === b.continuous
    );
  }

  async function ofEmployee(employeeId: string): Promise<ReplicatorDoc[]> {
    const prefix = `sealtime:st-emp-${employeeId}-records:`;
    const res = await db.list({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true });
    return res.rows.map((r) => r.doc as unknown as ReplicatorDoc).filter((d) => d !== undefined && d !== null);
  }

  /** Points every route at the current endpoint (after a failover): CouchDB restarts a job only when its document is replaced. */
  async function repoint(): Promise<void> {
    const { base, authorization } = target();
    const res = await db.list({ startkey: 'sealtime:', endkey: 'sealtime:\ufff0', include_docs: true });
    for (const row of res.rows) {
      const doc = row.doc as unknown as ReplicatorDoc | undefined;
      if (!doc || doc.source.url.startsWith(`${base}/`)) continue;
      const dbOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);
      const headers = { Authorization: authorization };
      const { _rev, ...rest } = doc;
      await db.destroy(doc._id, _rev!).catch((e: unknown) => {
        if (statusOf(e) !== 404 && statusOf(e) !== 409) throw e;
      });
      await db
        .insert({
          ...rest,
          source: { url: `${base}/${dbOf(doc.source.url)}`, headers },
          target: { url: `${base}/${dbOf(doc.target.url)}`, headers },
        })
        .catch((e: unknown) => {
          if (statusOf(e) !== 409) throw e;
        });
    }
    opts.logger?.info({ routes: res.rows.length }, 'consolidation routes re-pointed at the current CouchDB endpoint');
  }
  /**
   * Waits until no job runs for the given `_replicator` documents. Deleting a
   * document does not stop its job at once (measured: records written right
   * after a team change were still copied into the old team's database), and
   * a route's change is acknowledged only after this. CouchDB forgets the
   * document (`_scheduler/docs`) before it stops the job (`_scheduler/jobs`,
   * every node's), so both are read, in that order. A batch the job read
   * before it stopped may still land; it holds only records stored before.
   */
  async function awaitStopped(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const left = new Set(ids);
    const until = Date.now() + STOP_TIMEOUT_MS;
    for (;;) {
      for (const id of [...left]) {
        const known = await engine.nano
          .request({ path: `_scheduler/docs/${REPLICATOR}/${encodeURIComponent(id)}` })
          .then(
            () => true,
            (e: unknown) => (statusOf(e) === 404 ? false : Promise.reject(e)),
          );
        if (!known) left.delete(id);
      }
      if (left.size === 0) {
        const jobs = (await engine.nano.request({ path: '_scheduler/jobs', qs: { limit: 1_000_000 } })) as {
          jobs?: Array<{ doc_id?: string | null; database?: string | null }>;
        };
        const running = (jobs.jobs ?? []).filter(
          (j) => j.database === REPLICATOR && typeof j.doc_id === 'string' && ids.includes(j.doc_id),
        );
        if (running.length === 0) return;
        for (const j of running) left.add(j.doc_id!);
      }
      if (Date.now() > until)
        throw new ConsolidationError(
          `the replication of ${[...left].join(', ')} did not stop within ${STOP_TIMEOUT_MS / 1000} s of its document's deletion; the change was not applied: try again`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function selectorsOf(docs: readonly SchedulerDoc[]): Promise<Map<string, ReplicatorDoc['selector']>> {
    if (docs.length === 0) return new Map();
    const res = await db.fetch({ keys: docs.map((d) => d.doc_id) });
    const out = new Map<string, ReplicatorDoc['selector']>();
    for (const row of res.rows) {
      const doc = 'doc' in row ? (row.doc as unknown as ReplicatorDoc | null) : null;
      if (doc?.selector) out.set(doc._id, doc.selector);
    }
    return out;
  }

  /**
   * A route's lag: records of its kinds or classes in the source that the
   * target lacks. Not CouchDB's `changes_pending`, which counts every change
   * after the job's position, skipped ones included (the HR route showed 33
   * with every attendance record copied). Read only when CouchDB reports
   * something pending (0 there is 0 here): the source's changes matching the
   * selector since the job's position, then `_revs_diff` on the target.
   */
  async function missingInTarget(
    source: string,
    targetDb: string,
    selector: ReplicatorDoc['selector'],
    since: string | number | null,
    reported: number | null,
  ): Promise<number> {
    if (reported === 0) return 0;
    const changes = (await engine.nano.request({
      db: source,
      path: '_changes',
      method: 'POST',
      qs: { filter: '_selector', since: since ?? 0, style: 'all_docs' },
      body: { selector },
    })) as { results: Array<{ id: string; deleted?: boolean; changes: Array<{ rev: string }> }> };
    const asked: Record<string, string[]> = {};
    for (const c of changes.results) if (!c.deleted) asked[c.id] = c.changes.map((r) => r.rev);
    if (Object.keys(asked).length === 0) return 0;
    const diff = (await engine.nano.request({
      db: targetDb,
      path: '_revs_diff',
      method: 'POST',
      body: asked,
    })) as Record<string, { missing?: string[] }>;
    return Object.values(diff).filter((d) => (d.missing?.length ?? 0) > 0).length;
  }

  let repointing: Promise<void> = Promise.resolve();
  const onEndpointChange = (): void => {
    repointing = repointing
      .then(repoint)
      .catch((e: unknown) =>
        opts.logger?.warn(
          { err: (e as Error).message },
          'could not re-point consolidation routes; retried at the next endpoint change',
        ),
      );
  };
  if (!fixedBase) engine.endpoints?.on('change', onEndpointChange);

  return {
    kind: 'couchdb',
    async apply(employeeId, routes) {
      await ensureReplicator();
      const wanted = new Map(routes.map((r) => [routeId(r), docFor(r)]));
      const stopping: string[] = [];
      for (const existing of await ofEmployee(employeeId)) {
        const want = wanted.get(existing._id);
        if (want && same(want, existing)) {
          wanted.delete(existing._id);
          continue;
        }
        // CouchDB restarts a replication only when its document is replaced
        await db.destroy(existing._id, existing._rev!).catch((e: unknown) => {
          if (statusOf(e) !== 404 && statusOf(e) !== 409) throw e;
        });
        stopping.push(existing._id);
      }
      // a route that goes (a team left) must have stopped before the change counts as made
      await awaitStopped(stopping);
      for (const doc of wanted.values()) {
        await db.insert(doc).catch((e: unknown) => {
          if (statusOf(e) !== 409) throw e; // a concurrent apply wrote the same route
        });
        opts.logger?.info({ route: doc._id }, 'consolidation route installed');
      }
    },
    async remove(employeeId) {
      await ensureReplicator();
      const gone = await ofEmployee(employeeId);
      for (const d of gone) {
        await db.destroy(d._id, d._rev!).catch((e: unknown) => {
          if (statusOf(e) !== 404) throw e;
        });
      }
      await awaitStopped(gone.map((d) => d._id));
    },
    async status(): Promise<RouteStatus[]> {
      await ensureReplicator();
      const res = (await engine.nano.request({ path: `_scheduler/docs/${REPLICATOR}`, qs: { limit: 10_000 } })) as {
        docs?: SchedulerDoc[];
      };
      const ours = (res.docs ?? []).filter((d) => d.doc_id.startsWith('sealtime:'));
      const selectors = await selectorsOf(ours);
      return mapLimited(ours, LAG_READS_AT_ONCE, async (d) => {
        const [, source = '', target = ''] = d.doc_id.split(':');
        const selector = selectors.get(d.doc_id);
        const pending = selector
          ? await missingInTarget(
              source,
              target,
              selector,
              d.info?.through_seq ?? null,
              d.info?.changes_pending ?? null,
            ).catch(() => null)
          : null;
        const state =
          d.state === 'running'
            ? pending
              ? 'running'
              : 'idle'
            : d.state === 'crashing'
              ? 'retrying'
              : d.state === 'failed'
                ? 'error'
                : d.state === 'pending' || d.state === 'initializing'
                  ? 'pending'
                  : 'unknown';
        return {
          id: d.doc_id,
          source,
          target,
          state,
          docsWritten: d.info?.docs_written ?? 0,
          pending,
          lastError: d.info?.error ?? null,
        } satisfies RouteStatus;
      });
    },
    async close() {
      // replications belong to CouchDB and keep running without this server
      engine.endpoints?.off('change', onEndpointChange);
      await repointing;
    },
  };
}

/**
 * Live, pull-only replication of the role's databases into the replica
 * through the gateway (replica-pull.ts: one pull per source database, all
 * into one collection). Reviewers never write records, so nothing is pushed.
 * Each source keeps its own checkpoint in the replica, so a restart resumes
 * where it stopped instead of pulling everything again. Retries forever with
 * exponential backoff (min … max, reset on success).
 */
import type { RxCollection } from 'rxdb';
import type { DatabaseSyncStatus } from '../api/admin-api.js';
import { gatewayFetch } from './gateway-fetch.js';
import { SourcePull, type CheckpointStore } from './replica-pull.js';
import { hourOfHint, type MetaDoc, type ReplicaDoc } from './replica-store.js';
import { pullHistory } from './replica-history.js';
import { pullRecentWindow } from './replica-window.js';

export interface ReplicaSyncOptions {
  serverUrl: string;
  token: string;
  sources: readonly string[];
  collection: RxCollection<ReplicaDoc>;
  minRetryMs?: number;
  maxRetryMs?: number;
  batchSize?: number;
  /** How long a live pull's long poll waits for a change (default 20 s). */
  longpollMs?: number;
  /** Where each source's checkpoint is kept; default the replica database's `meta` collection. */
  checkpoints?: CheckpointStore;
  baseFetch?: typeof fetch;
  /** Called after documents arrived (debounce on the caller's side). */
  onChange?: () => void;
  /** Called when a database's status changed (online, error, count). */
  onStatus?: () => void;
  /**
   * Cold start, newest first: a source that is still empty first gets these
   * devices' newest records (replica-window.ts), then the live replication
   * starts. Without it the replication starts at once.
   */
  recentFirst?: { deviceIds: Promise<readonly string[]>; timeZone: string };
}

export interface ReplicaSync {
  status(): DatabaseSyncStatus[];
  /** Resolves once every source has been pulled up to the server's current state. */
  awaitInSync(): Promise<void>;
  reSync(): void;
  stop(): Promise<void>;
}

const KNOWN = new Set([
  'id',
  '_id',
  '_rev',
  '_deleted',
  '_attachments',
  '_revisions',
  '_meta',
  'employeeId',
  'deviceId',
  'seq',
  'envelope',
]);

/**
 * The server document as a replica row. Anything that is not a sealed record
 * (no envelope, e.g. a design document) is stored as deleted: kept out of
 * every view without stalling the pull.
 */
export function toReplicaDoc(source: string, raw: Record<string, unknown>): ReplicaDoc & { _deleted: boolean } {
  const hint: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw))
    if (!KNOWN.has(k) && (typeof v === 'string' || typeof v === 'number')) hint[k] = v;
  const isRecord =
    typeof raw.envelope === 'string' &&
    typeof raw.employeeId === 'string' &&
    typeof raw.deviceId === 'string' &&
    Number.isSafeInteger(raw.seq);
  return {
    id: String(raw.id ?? raw._id ?? ''),
    source,
    employeeId: isRecord ? (raw.employeeId as string) : '',
    deviceId: isRecord ? (raw.deviceId as string) : '',
    seq: isRecord ? Math.max(0, raw.seq as number) : 0,
    envelope: isRecord ? (raw.envelope as string) : '',
    hint,
    hour: hourOfHint(hint),
    _deleted: raw._deleted === true || !isRecord,
  };
}

export function startReplicaSync(options: ReplicaSyncOptions): ReplicaSync {
  const minRetry = options.minRetryMs ?? 1000;
  const maxRetry = options.maxRetryMs ?? 60_000;
  const stopping = new AbortController();
  const statuses = new Map<string, DatabaseSyncStatus>(
    options.sources.map((db) => [db, { db, pulled: 0, lastSyncAt: null, online: false, lastError: null }]),
  );
  // any 2xx answer means the server is back: without this a database whose last pull failed stayed
  // 'offline' until a new document arrived (a quiet organisation after a server restart never did)
  const answered = () => {
    let changed = false;
    for (const st of statuses.values()) {
      if (st.online && st.lastError === null) continue;
      st.online = true;
      st.lastError = null;
      st.lastSyncAt = Date.now();
      changed = true;
    }
    if (!changed) return;
    for (const { state } of states) state.retryMs = minRetry;
    options.onStatus?.();
  };
  const fetch = gatewayFetch({
    token: options.token,
    stopSignal: stopping.signal,
    onAnswer: answered,
    ...(options.baseFetch ? { baseFetch: options.baseFetch } : {}),
  });
  const base = options.serverUrl.replace(/\/+$/, '');

  const checkpoints = options.checkpoints ?? metaCheckpoints(options.collection);
  const states: Array<{ db: string; state: SourcePull }> = [];
  const replicate = (db: string): SourcePull => {
    const st = statuses.get(db)!;
    return new SourcePull({
      base,
      source: db,
      fetch,
      collection: options.collection,
      checkpoints,
      toRow: toReplicaDoc,
      batchSize: options.batchSize ?? 1000,
      longpollMs: options.longpollMs ?? 20_000,
      minRetryMs: minRetry,
      maxRetryMs: maxRetry,
      stop: stopping.signal,
      // a row the recent window wrote comes again unchanged and is not written or counted twice (replica-window.int.test.ts)
      onWritten: (n) => {
        st.pulled += n;
        options.onChange?.();
      },
      onPage: () => {
        // a page stored without error: the link works, even with nothing new
        st.online = true;
        st.lastSyncAt = Date.now();
        st.lastError = null;
        options.onStatus?.();
      },
      onError: (err) => {
        if (stopping.signal.aborted) return; // requests cancelled by stop() are not failures
        st.online = false;
        st.lastError = { message: errorMessage(err), at: Date.now() };
        options.onStatus?.();
      },
    });
  };

  const startSource = async (db: string): Promise<void> => {
    const n = await options.collection.count({ selector: { source: db } }).exec();
    statuses.get(db)!.pulled += n;
    options.onStatus?.();
    if (n === 0 && options.recentFirst && !stopping.signal.aborted) {
      const st = statuses.get(db)!;
      try {
        // where the changes feed will start once window and history are in: nothing older is missed
        const info = (await (await fetch(`${base}/${db}`)).json()) as { update_seq?: unknown };
        const since = info.update_seq;
        const deviceIds = await Promise.race([
          options.recentFirst.deviceIds,
          new Promise<never>((_, no) => stopping.signal.addEventListener('abort', () => no(new Error('stopped')))),
        ]);
        const covered = new Map<string, string>();
        const written = await pullRecentWindow({
          base,
          fetch,
          source: db,
          deviceIds,
          timeZone: options.recentFirst.timeZone,
          collection: options.collection,
          toRow: toReplicaDoc,
          covered,
        });
        st.pulled += written.size;
        options.onChange?.();
        options.onStatus?.();
        if (typeof since === 'string' || typeof since === 'number') {
          await pullHistory({
            base,
            fetch,
            source: db,
            collection: options.collection,
            toRow: toReplicaDoc,
            covered,
            onWritten: (k) => {
              st.pulled += k;
              options.onChange?.();
              options.onStatus?.();
            },
          });
          await checkpoints.put(db, since);
        }
      } catch {
        // only a head start: without its checkpoint the pull below reads everything (and reports a failure)
      }
    }
    if (stopping.signal.aborted) return; // stop() came meanwhile: nothing to start, nothing to cancel
    states.push({ db, state: replicate(db) });
  };
  const started = Promise.all(options.sources.map(startSource));

  return {
    status: () => [...statuses.values()].map((s) => ({ ...s, lastError: s.lastError ? { ...s.lastError } : null })),
    async awaitInSync() {
      await started;
      await Promise.all(states.map(({ state }) => state.awaitInSync()));
      for (const { db } of states) {
        const st = statuses.get(db)!;
        st.online = true;
        st.lastSyncAt = Date.now();
        st.lastError = null;
      }
    },
    reSync() {
      for (const { state } of states) state.wake();
    },
    async stop() {
      stopping.abort();
      await Promise.all(states.map(({ state }) => state.done));
      // a source still in its recent window starts no replication once stopped (startSource)
      await started.catch(() => undefined);
    },
  };
}

/** Checkpoints as rows of the replica database's `meta` collection (openReplicaStore makes it). */
function metaCheckpoints(collection: RxCollection<ReplicaDoc>): CheckpointStore {
  const meta = (collection.database.collections as Record<string, RxCollection<MetaDoc> | undefined>).meta;
  if (!meta) throw new Error('the replica database has no meta collection for pull checkpoints');
  const id = (source: string) => `pull-checkpoint:${source}`;
  return {
    async get(source) {
      const seq = (await meta.findOne(id(source)).exec())?.data.seq;
      return typeof seq === 'string' || typeof seq === 'number' ? seq : null;
    },
    async put(source, seq) {
      await meta.upsert({ id: id(source), data: { seq }, updatedAt: Date.now() });
    },
  };
}

/** RxDB wraps the real failure (our GatewayError) in its parameters; dig it out, bounded. */
function errorMessage(err: unknown): string {
  const seen: string[] = [];
  const walk = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 4) return;
    const x = e as { message?: unknown; parameters?: { errors?: unknown; error?: unknown } };
    if (x.parameters) {
      const inner = [
        ...(Array.isArray(x.parameters.errors) ? x.parameters.errors : []),
        ...(x.parameters.error ? [x.parameters.error] : []),
      ];
      for (const i of inner) walk(i, depth + 1);
    }
    if (typeof x.message === 'string' && /HTTP|unreachable/.test(x.message)) seen.push(x.message);
  };
  walk(err, 0);
  const msg = seen[0] ?? (err instanceof Error ? err.message.split('\n')[0]! : String(err));
  return msg.replace(/\b(bearer)\s+\S+/gi, '$1 ***').slice(0, 300);
}

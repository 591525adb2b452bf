/**
 * Live replication of the agent's store with the gateway, over the CouchDB
 * protocol (RxDB replication-couchdb):
 *
 *   records → st-emp-<employee>-records   push only: the device never reads back
 *   blobs   → st-emp-<employee>-blobs     push only
 *   inbox   ← st-emp-<employee>-inbox     pull only: policies, key rings, decisions
 *
 * Retries forever with exponential backoff (1 s … 5 min, reset on success) and
 * reports what the employee's backlog view needs: acknowledged records, last
 * error, last successful exchange.
 */
import type { RxCollection } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { replicateCouchDB } from 'rxdb/plugins/replication-couchdb';
import { dbNames, type BlobDoc, type InboxDoc, type RecordDoc } from '@sealtime/shared';
import { authorizedFetch } from './authorized-fetch.js';
import { appendOnlyPushHandler } from './records-push.js';
import { syncErrorMessage } from './sync-error.js';

export interface AgentSyncOptions {
  serverUrl: string;
  employeeId: string;
  authorization: string;
  collections: { records: RxCollection<RecordDoc>; blobs: RxCollection<BlobDoc>; inbox: RxCollection<InboxDoc> };
  /** Called for each record the server acknowledged (seq order is not guaranteed). */
  onRecordAcked?: (doc: RecordDoc) => void;
  /** Called for each screenshot image the server acknowledged. */
  onBlobAcked?: (doc: BlobDoc) => void;
  /** The fetch under the credential (serverFetch with an enrollment CA); default global fetch. */
  baseFetch?: typeof fetch;
  minRetryMs?: number;
  maxRetryMs?: number;
  batchSize?: number;
}

export interface SyncStatus {
  connected: boolean;
  lastSuccessAt: number | null;
  lastError: { message: string; at: number } | null;
  pushed: number;
  pulled: number;
}

export interface AgentSync {
  status(): SyncStatus;
  /** Resolves once everything local has been pushed and the inbox pulled. */
  awaitInSync(): Promise<void>;
  /** Resolves once every record and image written so far has been pushed. */
  awaitPushed(): Promise<void>;
  /** Wake the retry loop now (e.g. network came back). */
  reSync(): void;
  stop(): Promise<void>;
}

const dbUrl = (server: string, name: string) => `${server.replace(/\/+$/, '')}/${name}/`;

export function startAgentSync(options: AgentSyncOptions): AgentSync {
  const minRetry = options.minRetryMs ?? 1000;
  const maxRetry = options.maxRetryMs ?? 300_000;
  const stopping = new AbortController();
  const status: SyncStatus = { connected: false, lastSuccessAt: null, lastError: null, pushed: 0, pulled: 0 };
  // any answer from the server means the link works: with nothing to push and
  // a quiet inbox no document event would ever say so after an error
  const answered = () => {
    status.connected = true;
    status.lastSuccessAt = Date.now();
  };
  const fetch = authorizedFetch({
    authorization: options.authorization,
    stopSignal: stopping.signal,
    onAnswer: answered,
    ...(options.baseFetch ? { baseFetch: options.baseFetch } : {}),
  });
  const e = options.employeeId;
  const batchSize = options.batchSize ?? 250;
  // a week offline (~300 records, ~1.5 KB each) in one request; well under the gateway's 4 MiB body
  const recordsBatchSize = options.batchSize ?? 500;

  // a cancelled replication may never report in-sync: waiters end with stop()
  const stopped = new Promise<never>((_, reject) =>
    stopping.signal.addEventListener('abort', () => reject(new Error('sync stopped')), { once: true }),
  );
  stopped.catch(() => undefined);
  const untilStopped = async <T>(p: Promise<T>): Promise<T> => Promise.race([p, stopped]);

  // any: three document types in one list, each typed where it is created
  const states: RxReplicationState<any, any>[] = [
    // the couchdb plugin's push, without its pre-read (records-push.ts); the same identifier, so the same checkpoint
    replicateRxCollection<RecordDoc, unknown>({
      replicationIdentifier: `sealtime-records-${e}`,
      collection: options.collections.records,
      live: true,
      retryTime: minRetry,
      push: {
        handler: appendOnlyPushHandler(
          options.collections.records,
          dbUrl(options.serverUrl, dbNames.employeeRecords(e)),
          fetch,
        ),
        batchSize: recordsBatchSize,
      },
    }),
    replicateCouchDB<BlobDoc>({
      replicationIdentifier: `sealtime-blobs-${e}`,
      collection: options.collections.blobs,
      url: dbUrl(options.serverUrl, dbNames.employeeBlobs(e)),
      fetch,
      live: true,
      retryTime: minRetry,
      push: { batchSize: 5 },
    }),
    replicateCouchDB<InboxDoc>({
      replicationIdentifier: `sealtime-inbox-${e}`,
      collection: options.collections.inbox,
      url: dbUrl(options.serverUrl, dbNames.employeeInbox(e)),
      fetch,
      live: true,
      retryTime: minRetry,
      pull: { batchSize, heartbeat: 20_000 },
    }),
  ];

  const succeeded = () => {
    answered();
    for (const s of states) s.retryTime = minRetry;
  };
  const subs = states.flatMap((state, i) => [
    state.error$.subscribe((err) => {
      if (stopping.signal.aborted) return; // requests cancelled by stop() are not failures
      status.connected = false;
      status.lastError = { message: syncErrorMessage(err), at: Date.now() };
      state.retryTime = Math.min(maxRetry, Math.max(minRetry, (state.retryTime ?? minRetry) * 2));
    }),
    state.sent$.subscribe((doc) => {
      status.pushed++;
      succeeded();
      if (i === 0) options.onRecordAcked?.(doc as RecordDoc);
      if (i === 1) options.onBlobAcked?.(doc as BlobDoc);
    }),
    state.received$.subscribe(() => {
      status.pulled++;
      succeeded();
    }),
  ]);

  return {
    status: () => ({ ...status }),
    async awaitInSync() {
      await untilStopped(Promise.all(states.map((s) => s.awaitInSync())));
      succeeded();
    },
    async awaitPushed() {
      await untilStopped(Promise.all([states[0]!.awaitInSync(), states[1]!.awaitInSync()]));
      succeeded();
    },
    reSync() {
      for (const s of states) {
        s.retryTime = minRetry;
        s.reSync();
      }
    },
    async stop() {
      for (const s of subs) s.unsubscribe();
      const cancelled = Promise.all(states.map((s) => s.cancel()));
      stopping.abort();
      await cancelled;
    },
  };
}

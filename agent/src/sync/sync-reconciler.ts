/**
 * Keeps the backlog in step with replication: copies sync errors and
 * successes into the backlog's checkpoint, and settles acknowledgements the
 * replication cannot give again.
 *
 * Acknowledgements of a previous run may be lost in a crash (the checkpoint
 * is lazy) and replication does not resend what it pushed: once the push
 * side is in sync, every record and image stored before it is on the server.
 */
import type { Recorder } from '../recorder/recorder.js';
import type { Backlog, SyncErrorInfo } from '../store/backlog.js';
import type { Logger } from '../store/logger.js';
import type { AgentSync } from './agent-sync.js';

export interface SyncReconcilerOptions {
  backlog: Backlog;
  log: Logger;
  /** The recorder once the organisation keys are known (it says how far the store is durable). */
  recorder(): Recorder | undefined;
  /** True once the agent is stopping: no new backlog writes start. */
  stopped(): boolean;
}

export class SyncReconciler {
  private sync: AgentSync | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> | undefined;
  private noting: Promise<void> = Promise.resolve();
  private seenError: SyncErrorInfo | null = null;
  private seenSuccess: number | null = null;

  constructor(private readonly o: SyncReconcilerOptions) {}

  /** Starts reconciling `sync` every `everyMs`. */
  start(sync: AgentSync, everyMs: number): void {
    this.sync = sync;
    this.timer = setInterval(() => void this.reconcile().catch(() => undefined), everyMs);
  }

  private readonly noteSync = async (): Promise<void> => {
    const { sync } = this;
    if (!sync || this.o.stopped()) return;
    const st = sync.status();
    if (st.lastError && st.lastError.at !== this.seenError?.at) {
      this.seenError = st.lastError;
      await this.o.backlog.noteSyncError(st.lastError.message, st.lastError.at);
    }
    if (st.lastSuccessAt !== null && st.lastSuccessAt !== this.seenSuccess) {
      this.seenSuccess = st.lastSuccessAt;
      await this.o.backlog.noteSyncSuccess(st.lastSuccessAt);
    }
  };

  async reconcile(): Promise<void> {
    this.noting = this.noting.then(this.noteSync, this.noteSync);
    await this.noting;
    const { sync } = this;
    const rec = this.o.recorder();
    if (this.reconciling || !sync || !rec || this.o.stopped()) return;
    const { backlog } = this.o;
    const pending = backlog.status();
    if (pending.records.count + pending.blobs.count === 0) return; // nothing waits for an acknowledgement: nothing to settle
    // Not gated on `connected`: with nothing new to send no event would set it again.
    this.reconciling = rec
      .durableHeads()
      .then(async (through) => {
        await sync.awaitPushed();
        if (this.o.stopped()) return; // the store is closing: the next start reconciles again
        if (through.records >= 0) await backlog.markSynced(through.records);
        if (through.images >= 0) await backlog.markBlobsSynced(through.images);
        await backlog.noteSyncSuccess();
      })
      .catch((err: unknown) => this.o.log.debug({ err: (err as Error).message }, 'reconcile interrupted'))
      .finally(() => (this.reconciling = undefined));
  }

  /** Waits for a reconcile in flight (tests settle on it). */
  async settled(): Promise<void> {
    await this.reconciling;
  }

  /** Stops the timer and the replication; their last backlog writes land before the store closes. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sync?.stop();
    await this.noting.catch(() => undefined);
    await this.reconciling;
  }
}

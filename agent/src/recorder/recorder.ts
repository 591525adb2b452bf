/**
 * The recorder: the one place a device's records are sealed, chained and
 * stored. Each call encodes a typed payload, seals it to the recipients its
 * kind names, and resolves only once the record is durable on disk — the
 * record is the chain head, so a crash can never leave the two disagreeing.
 * Calls are serialised: one write at a time per device, so seq never forks.
 *
 * Screenshots: the image is sealed as its own envelope on a separate image
 * chain (kind 'screenshot-image') into `blobs`; the metadata record in the
 * main chain carries the image envelope's hash, binding one to the other.
 *
 * Record time comes from the monotonic clock; clock jumps, a disk budget
 * passed and a head that did not verify become integrity-alert records.
 */
import {
  DeviceSealer,
  initSodium,
  isValidId,
  type BlobDoc,
  type ChainHead,
  type DeviceIdentity,
  type IntegrityAlertPayload,
  type PayloadByKind,
  type RecordDoc,
  type RecordKind,
  type SealerOptions,
} from '@sealtime/shared';
import type { AgentStore } from '../store/agent-store.js';
import { Backlog } from '../store/backlog.js';
import { budgetAlertDetail, type BudgetDecision, type ScreenshotMode } from '../store/disk-budget.js';
import { silentLogger, type Logger } from '../store/logger.js';
import { ForeignChainError, recoverBlobHead, recoverRecordHead } from './chain-recovery.js';
import { DiskBudgetGuard } from './disk-budget-guard.js';
import {
  MonotonicClock,
  systemTimeSources,
  type ClockAnchor,
  type ClockJump,
  type ClockOptions,
  type TimeSources,
} from './monotonic-clock.js';
import type { RecipientDirectory } from './recipients.js';
import { recorderFail, type RecorderResult } from './recorder-errors.js';
import { sealImageBlob, sealRecordDoc, screenshotPayload, type ScreenshotMeta } from './record-sealing.js';

export { IMAGE_KIND } from './record-sealing.js';
const CLOCK_STATE = 'clock';

export interface RecorderOptions {
  store: AgentStore;
  device: DeviceIdentity;
  recipients: RecipientDirectory;
  time?: TimeSources;
  clock?: ClockOptions;
  sealer?: SealerOptions;
  logger?: Logger;
  /** Shared with sync; created here when not given. */
  backlog?: Backlog;
  /** Local disk budget in bytes, or a function reading it from the current policy. */
  diskBudgetBytes?: number | (() => number);
  /** How often disk use is measured at most (default 10 s; image writes always measure). */
  diskCheckIntervalMs?: number;
}

export interface RecordedRef {
  id: string;
  kind: RecordKind;
  seq: number;
  createdAt: number;
  /** Chain hash (hex) of the envelope: the next record's prevHash. */
  hash: string;
  bytes: number;
}

export interface RecordedScreenshot extends RecordedRef {
  blobId: string;
  blobHash: string;
}

/** A payload, or a function of the record's time (so payload times equal createdAt). */
export type PayloadInput<K extends RecordKind> = PayloadByKind[K] | ((createdAt: number) => PayloadByKind[K]);

export interface RecordOptions {
  /**
   * Runs inside the write slot after sealing and before the durable write,
   * with the seq and time the record will have (e.g. to note an intent). If
   * it throws, nothing is written and the chain does not advance.
   */
  beforeWrite?: (ref: RecordedRef) => Promise<void>;
}

export type { ScreenshotMeta } from './record-sealing.js';

export class Recorder {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly store: AgentStore,
    private readonly device: DeviceIdentity,
    private readonly recipients: RecipientDirectory,
    private sealer: DeviceSealer,
    private imageSealer: DeviceSealer,
    readonly clock: MonotonicClock,
    readonly backlog: Backlog,
    private readonly budget: DiskBudgetGuard,
    private readonly sealerOptions: SealerOptions,
    private readonly log: Logger,
  ) {}

  static async open(options: RecorderOptions): Promise<Recorder> {
    await initSodium();
    const { store, device } = options;
    if (!isValidId(device.deviceId) || !isValidId(device.employeeId))
      throw new TypeError('deviceId and employeeId must be short identifiers');
    const log = options.logger ?? silentLogger;
    const recovered = await recoverRecordHead(store, device.deviceId, device.signPublicKey);
    const images = await recoverBlobHead(store, device.deviceId, device.signPublicKey);
    const anchor = await store.getState<ClockAnchor>(CLOCK_STATE);
    const clock = new MonotonicClock(options.time ?? systemTimeSources, anchor, recovered.lastCreatedAt, options.clock);
    await store.putState(CLOCK_STATE, clock.anchor());
    const backlog = options.backlog ?? (await Backlog.open(store, device.deviceId, log));
    const budget = await DiskBudgetGuard.open(store, options.diskBudgetBytes, options.diskCheckIntervalMs);
    const sealerOptions = options.sealer ?? {};
    const recorder = new Recorder(
      store,
      device,
      options.recipients,
      new DeviceSealer(device, recovered.head, sealerOptions),
      new DeviceSealer(device, images.head, sealerOptions),
      clock,
      backlog,
      budget,
      sealerOptions,
      log,
    );
    log.info(
      { deviceId: device.deviceId, nextSeq: recovered.head.nextSeq, nextImageSeq: images.head.nextSeq },
      'recorder open',
    );
    // problems found while opening become records before anything else is recorded
    await recorder.serialised(async () => {
      for (const [what, r] of [
        ['record', recovered],
        ['image', images],
      ] as const) {
        if (!r.problem) continue;
        const issue = r.problem.error.code === 'bad-signature' ? 'altered' : 'malformed';
        await recorder.writeAlert(
          issue,
          `stored ${what} #${r.problem.seq} at the chain head did not verify (${r.problem.error.code}); the chain continues after it`,
          r.problem.seq,
        );
      }
      for (const jump of clock.startJumps) await recorder.writeAlert('clock-jump', jump.detail);
      await recorder.applyBudget(true);
    });
    return recorder;
  }

  get deviceId(): string {
    return this.device.deviceId;
  }

  /** Where the main chain stands (next seq, hash of the last record). */
  get head(): ChainHead {
    return this.sealer.chainHead;
  }

  /**
   * The last record and image seq whose writes completed (-1: none), read
   * behind any write in flight: a sealer's head moves before its document is
   * stored, so the bare heads may name one that is not in the store yet.
   */
  durableHeads(): Promise<{ records: number; images: number }> {
    return this.serialised(async () => ({
      records: this.sealer.chainHead.nextSeq - 1,
      images: this.imageSealer.chainHead.nextSeq - 1,
    }));
  }

  /** Trusted record time (ms since epoch); use it for payload times too. */
  now(): number {
    return this.clock.now();
  }

  /** What the disk budget allows for screenshots right now. */
  screenshotMode(): { mode: ScreenshotMode; quality: number } {
    const d = this.budget.decision;
    return { mode: d.mode, quality: d.quality };
  }

  /** Seals and stores one record; resolves once it is durable. */
  record<K extends RecordKind>(
    kind: K,
    payload: PayloadInput<K>,
    options: RecordOptions = {},
  ): Promise<RecorderResult<RecordedRef>> {
    return this.serialised(async () => {
      if (this.closed) return recorderFail('closed', 'the recorder is closed');
      await this.checkClock();
      const result = await this.writeRecord(kind, payload, options);
      if (result.ok) await this.applyBudget(false);
      return result;
    });
  }

  /**
   * Seals the image into `blobs` (its own envelope on the image chain), then
   * the metadata record that names it. Both are durable when this resolves.
   */
  recordScreenshot(meta: ScreenshotMeta, image: Uint8Array): Promise<RecorderResult<RecordedScreenshot>> {
    return this.serialised(async (): Promise<RecorderResult<RecordedScreenshot>> => {
      if (this.closed) return recorderFail('closed', 'the recorder is closed');
      if (this.budget.decision.mode === 'paused')
        return recorderFail('screenshots-paused', 'screenshots are paused: local storage is over its budget');
      if (!(image instanceof Uint8Array) || image.length === 0)
        return recorderFail('bad-payload', 'screenshot: the image is empty');
      await this.checkClock();
      const createdAt = this.clock.now();
      const before = this.imageSealer.chainHead;
      const sealed = sealImageBlob(this.imageSealer, this.device, this.recipients, image, createdAt);
      if (!sealed.ok) return sealed;
      const { blob } = sealed.value;
      const stored = await this.insertDurably('blobs', blob);
      if (!stored.ok) {
        this.imageSealer = new DeviceSealer(this.device, before, this.sealerOptions);
        if (stored.conflict) await this.resyncImageHead();
        return recorderFail('write-failed', `screenshot image: ${stored.message}`);
      }
      this.backlog.onBlobStored(blob, createdAt);
      const blobHash = sealed.value.hash;
      const result = await this.writeRecord('screenshot', screenshotPayload(meta, sealed.value));
      // an image without its metadata record stays stored (and syncs); it is
      // reported as the failure it is and never silently reused
      if (!result.ok) return result;
      await this.applyBudget(true);
      return { ok: true, value: { ...result.value, blobId: blob.id, blobHash } };
    });
  }

  /** Compares the system clock with the monotonic one now (also done before every record). */
  checkClockNow(): Promise<ClockJump | undefined> {
    return this.serialised(() => this.checkClock());
  }

  /** Waits for queued writes, then refuses new ones. The store stays open (its owner closes it). */
  async close(): Promise<void> {
    await this.serialised(async () => {
      this.closed = true;
      this.sealer.endEpochs();
      this.imageSealer.endEpochs();
    });
    await this.backlog.flush();
  }

  // ── inside the write slot ────────────────────────────────────────────────

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeRecord<K extends RecordKind>(
    kind: K,
    input: PayloadInput<K>,
    options: RecordOptions = {},
  ): Promise<RecorderResult<RecordedRef>> {
    const createdAt = this.clock.now();
    let payload: PayloadByKind[K];
    try {
      payload = typeof input === 'function' ? input(createdAt) : input;
    } catch (err) {
      return recorderFail('bad-payload', `${kind}: building the payload failed: ${(err as Error).message}`);
    }
    const before = this.sealer.chainHead;
    const sealed = sealRecordDoc(this.sealer, this.recipients, kind, payload, createdAt);
    if (!sealed.ok) {
      // sealed but not turned into a document: the chain must not keep that seq
      if (this.sealer.chainHead.nextSeq !== before.nextSeq)
        this.sealer = new DeviceSealer(this.device, before, this.sealerOptions);
      return sealed;
    }
    const doc = { value: sealed.value.doc };
    const ref: RecordedRef = {
      id: doc.value.id,
      kind,
      seq: sealed.value.seq,
      createdAt,
      hash: sealed.value.hash,
      bytes: doc.value.bytes,
    };
    if (options.beforeWrite) {
      try {
        await options.beforeWrite(ref);
      } catch (err) {
        this.sealer = new DeviceSealer(this.device, before, this.sealerOptions);
        return recorderFail('hook-failed', `${kind}: ${(err as Error).message}`);
      }
    }
    const stored = await this.insertDurably('records', doc.value);
    if (!stored.ok) {
      // the chain must not advance past a record that is not on disk
      this.sealer = new DeviceSealer(this.device, before, this.sealerOptions);
      if (stored.conflict) await this.resyncHead();
      this.log.error({ kind, seq: ref.seq, reason: stored.message }, 'record write failed');
      return recorderFail('write-failed', `${kind} #${ref.seq}: ${stored.message}`);
    }
    this.backlog.onRecorded(doc.value, createdAt);
    return { ok: true, value: ref };
  }

  /** Inserts; a write that failed after reaching disk counts as done (same bytes under the same id). */
  private async insertDurably(
    collection: 'records' | 'blobs',
    doc: RecordDoc | BlobDoc,
  ): Promise<{ ok: true } | { ok: false; conflict: boolean; message: string }> {
    const insert = () =>
      collection === 'records' ? this.store.records.insert(doc as RecordDoc) : this.store.blobs.insert(doc as BlobDoc);
    const stored = async () =>
      collection === 'records' ? this.store.records.findOne(doc.id).exec() : this.store.blobs.findOne(doc.id).exec();
    try {
      await insert();
      return { ok: true };
    } catch (err) {
      const message = (err as { code?: string }).code ?? (err as Error).message ?? String(err);
      try {
        const found = await stored();
        if (found && found.envelope === doc.envelope) return { ok: true };
        return {
          ok: false,
          conflict: found !== null,
          message: found ? `another envelope is already stored as ${doc.id}` : message,
        };
      } catch {
        return { ok: false, conflict: false, message };
      }
    }
  }

  /** Someone else wrote into this chain: continue from what is really stored. */
  private async resyncHead(): Promise<void> {
    try {
      const r = await recoverRecordHead(this.store, this.device.deviceId, this.device.signPublicKey);
      this.sealer = new DeviceSealer(this.device, r.head, this.sealerOptions);
    } catch (err) {
      if (err instanceof ForeignChainError) this.closed = true;
      this.log.error({ reason: (err as Error).message }, 'cannot resynchronise the chain head');
    }
  }

  private async resyncImageHead(): Promise<void> {
    try {
      const r = await recoverBlobHead(this.store, this.device.deviceId, this.device.signPublicKey);
      this.imageSealer = new DeviceSealer(this.device, r.head, this.sealerOptions);
    } catch (err) {
      this.log.error({ reason: (err as Error).message }, 'cannot resynchronise the image chain head');
    }
  }

  private async writeAlert(issue: IntegrityAlertPayload['issue'], detail: string, fromSeq?: number): Promise<void> {
    const result = await this.writeRecord('integrity-alert', (at) => {
      const p: IntegrityAlertPayload = {
        v: 1,
        at,
        deviceId: this.device.deviceId,
        issue,
        detail: detail.slice(0, 2000),
      };
      if (fromSeq !== undefined) p.fromSeq = fromSeq;
      return p;
    });
    if (!result.ok) this.log.error({ issue, code: result.error.code }, 'could not record an integrity alert');
    else this.log.warn({ issue, seq: result.value.seq }, 'integrity alert recorded');
  }

  private async checkClock(): Promise<ClockJump | undefined> {
    const jump = this.clock.check();
    if (!jump) return undefined;
    await this.writeAlert('clock-jump', jump.detail);
    await this.store
      .putState(CLOCK_STATE, this.clock.anchor())
      .catch((err: Error) => this.log.error({ reason: err.message }, 'could not persist the clock anchor'));
    return jump;
  }

  private async applyBudget(force: boolean): Promise<BudgetDecision> {
    const check = await this.budget.check(force);
    const d = check.decision;
    for (const alert of d.raise)
      await this.writeAlert('dropped-capture', budgetAlertDetail(alert, check.usedBytes, check.budgetBytes));
    if (d.raise.length > 0)
      this.log.warn({ mode: d.mode, usedBytes: check.usedBytes, budgetBytes: check.budgetBytes }, 'disk budget');
    await this.budget.commit(d);
    return d;
  }
}

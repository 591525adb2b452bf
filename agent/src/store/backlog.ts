/**
 * The employee's view of what has not reached the server yet: count, oldest
 * record, size and the last sync error. Sync reports progress as a seq
 * checkpoint (`markSynced(upToSeq)`) or per acknowledged document
 * (`noteRecordAcked`, in any order: the checkpoint advances over contiguous
 * acknowledgements only). Screenshot images are tracked the same way by
 * their blob seq.
 *
 * The checkpoint is persisted lazily in local state: after a crash some
 * records may count as unsynced again, never the other way round.
 */
import type { BlobDoc, RecordDoc } from '@sealtime/shared';
import type { AgentStore } from './agent-store.js';
import { blobIdRange, blobSeqOf } from './ids.js';
import { silentLogger, type Logger } from './logger.js';

export interface SyncErrorInfo {
  message: string;
  at: number;
}

export interface BacklogStatus {
  /** Records not yet confirmed by the server. */
  count: number;
  /** createdAt of the oldest of them, or null when there are none. */
  oldestCreatedAt: number | null;
  /** Bytes waiting: unsynced records plus unsynced screenshot images. */
  bytes: number;
  records: { count: number; bytes: number };
  blobs: { count: number; bytes: number };
  /** Highest seq the server confirmed with everything before it (-1: none). */
  syncedThroughSeq: number;
  syncedThroughBlobSeq: number;
  lastError: SyncErrorInfo | null;
  lastSyncAt: number | null;
}

interface PersistedSync {
  recordsThrough: number;
  blobsThrough: number;
  lastError: SyncErrorInfo | null;
  lastSyncAt: number | null;
}

const STATE_ID = 'sync';
const PAGE = 500;

/** Unsynced items by seq, in ascending insertion order, with running totals. */
class Pending {
  private readonly items = new Map<number, { bytes: number; createdAt: number }>();
  private totalBytes = 0;
  through: number;
  private readonly acked = new Set<number>();

  constructor(through: number) {
    this.through = through;
  }

  add(seq: number, bytes: number, createdAt: number): void {
    if (seq <= this.through || this.items.has(seq)) return;
    this.items.set(seq, { bytes, createdAt });
    this.totalBytes += bytes;
  }

  /** Returns true when the checkpoint moved. */
  markThrough(upTo: number): boolean {
    if (!Number.isSafeInteger(upTo) || upTo <= this.through) return false;
    this.through = upTo;
    for (const [seq, item] of this.items) {
      if (seq > upTo) break; // ascending: nothing further is covered
      this.items.delete(seq);
      this.totalBytes -= item.bytes;
    }
    for (const s of this.acked) if (s <= upTo) this.acked.delete(s);
    // acknowledgements that arrived ahead of the checkpoint may now be contiguous
    while (this.acked.delete(this.through + 1)) this.through++;
    for (const [seq, item] of this.items) {
      if (seq > this.through) break;
      this.items.delete(seq);
      this.totalBytes -= item.bytes;
    }
    return true;
  }

  ack(seq: number): boolean {
    if (!Number.isSafeInteger(seq) || seq <= this.through) return false;
    this.acked.add(seq);
    let upTo = this.through;
    while (this.acked.has(upTo + 1)) upTo++;
    return this.markThrough(upTo);
  }

  get count(): number {
    return this.items.size;
  }
  get bytes(): number {
    return this.totalBytes;
  }
  /** Items are kept in seq order and the recorder's clock never runs backwards: the first is the oldest. */
  get oldestCreatedAt(): number | null {
    for (const item of this.items.values()) return item.createdAt;
    return null;
  }
}

/** How stale the last-sync time on disk may get while the link is steady (status reads memory). */
const SYNC_TIME_PERSIST_MS = 60_000;

export class Backlog {
  private lastError: SyncErrorInfo | null;
  private lastSyncAt: number | null;
  /** lastSyncAt as last written to disk. */
  private persistedSyncAt: number | null = null;
  private dirty = false;
  private writing: Promise<void> | null = null;
  private closed = false;

  private constructor(
    private readonly store: AgentStore,
    readonly deviceId: string,
    private readonly records: Pending,
    private readonly blobs: Pending,
    saved: PersistedSync,
    private readonly log: Logger,
  ) {
    this.lastError = saved.lastError;
    this.lastSyncAt = saved.lastSyncAt;
  }

  /** Reads the checkpoint and scans what lies beyond it (once, at start). */
  static async open(store: AgentStore, deviceId: string, logger: Logger = silentLogger): Promise<Backlog> {
    const raw = await store.getState<Partial<PersistedSync>>(STATE_ID);
    const saved: PersistedSync = {
      recordsThrough: Number.isSafeInteger(raw?.recordsThrough) ? raw!.recordsThrough! : -1,
      blobsThrough: Number.isSafeInteger(raw?.blobsThrough) ? raw!.blobsThrough! : -1,
      lastError: raw?.lastError ?? null,
      lastSyncAt: raw?.lastSyncAt ?? null,
    };
    const records = new Pending(saved.recordsThrough);
    for (let after = saved.recordsThrough; ;) {
      const page = await store.records
        .find({ selector: { deviceId, seq: { $gt: after } }, sort: [{ deviceId: 'asc' }, { seq: 'asc' }], limit: PAGE })
        .exec();
      // stored documents show only the hour: after a restart "oldest" is exact to the hour
      for (const d of page) records.add(d.seq, d.bytes, d.hour);
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    const blobs = new Pending(saved.blobsThrough);
    const range = blobIdRange(deviceId);
    for (
      let after = saved.blobsThrough >= 0 ? `${range.min}${String(saved.blobsThrough).padStart(12, '0')}` : range.min;
      ;
    ) {
      const page = await store.blobs
        .find({ selector: { id: { $gt: after, $lt: range.max } }, sort: [{ id: 'asc' }], limit: 50 })
        .exec();
      for (const d of page) {
        const seq = blobSeqOf(deviceId, d.id);
        if (seq !== undefined) blobs.add(seq, d.bytes, d.hour);
      }
      if (page.length < 50) break;
      after = page[page.length - 1]!.id;
    }
    return new Backlog(store, deviceId, records, blobs, saved, logger);
  }

  /** The recorder reports each durable record, with its exact time (the document shows only the hour). */
  onRecorded(doc: Pick<RecordDoc, 'deviceId' | 'seq' | 'bytes'>, createdAt: number): void {
    if (doc.deviceId === this.deviceId) this.records.add(doc.seq, doc.bytes, createdAt);
  }

  onBlobStored(doc: Pick<BlobDoc, 'id' | 'bytes'>, createdAt: number): void {
    const seq = blobSeqOf(this.deviceId, doc.id);
    if (seq !== undefined) this.blobs.add(seq, doc.bytes, createdAt);
  }

  /** The server holds every record of this device up to and including `upToSeq`. */
  markSynced(upToSeq: number): Promise<void> {
    return this.records.markThrough(upToSeq) ? this.persist() : (this.writing ?? Promise.resolve());
  }

  /** One record confirmed (acknowledgements may arrive in any order). */
  noteRecordAcked(seq: number): Promise<void> {
    return this.records.ack(seq) ? this.persist() : (this.writing ?? Promise.resolve());
  }

  markBlobsSynced(upToBlobSeq: number): Promise<void> {
    return this.blobs.markThrough(upToBlobSeq) ? this.persist() : (this.writing ?? Promise.resolve());
  }

  noteBlobAcked(blobId: string): Promise<void> {
    const seq = blobSeqOf(this.deviceId, blobId);
    return seq !== undefined && this.blobs.ack(seq) ? this.persist() : (this.writing ?? Promise.resolve());
  }

  noteSyncError(error: unknown, at = Date.now()): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    // URLs in errors may carry credentials: strip userinfo before keeping the text
    this.lastError = { message: message.replace(/\/\/[^/@\s]+@/g, '//***@').slice(0, 500), at };
    return this.persist();
  }

  noteSyncSuccess(at = Date.now()): Promise<void> {
    this.lastSyncAt = at;
    // A steady link reports success every few seconds; an fsynced write each time was most of
    // the idle agent's CPU. The time on disk only has to survive a restart roughly.
    if (this.persistedSyncAt !== null && at - this.persistedSyncAt < SYNC_TIME_PERSIST_MS)
      return this.writing ?? Promise.resolve();
    return this.persist();
  }

  status(): BacklogStatus {
    const r = this.records;
    const b = this.blobs;
    return {
      count: r.count,
      oldestCreatedAt: r.oldestCreatedAt,
      bytes: r.bytes + b.bytes,
      records: { count: r.count, bytes: r.bytes },
      blobs: { count: b.count, bytes: b.bytes },
      syncedThroughSeq: r.through,
      syncedThroughBlobSeq: b.through,
      lastError: this.lastError,
      lastSyncAt: this.lastSyncAt,
    };
  }

  /** Resolves when the latest checkpoint is durable. */
  async flush(): Promise<void> {
    await (this.writing ?? Promise.resolve());
  }

  /**
   * Last write, then no more: the store closes next. A change noted after
   * this stays in memory only (the checkpoint is lazy by design).
   */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  // One write in flight; changes made meanwhile go out in the next one.
  private persist(): Promise<void> {
    if (this.closed) {
      this.log.debug('sync checkpoint change after close: not persisted');
      return Promise.resolve();
    }
    this.dirty = true;
    if (!this.writing) {
      this.writing = (async () => {
        try {
          while (this.dirty) {
            this.dirty = false;
            const snapshot: PersistedSync = {
              recordsThrough: this.records.through,
              blobsThrough: this.blobs.through,
              lastError: this.lastError,
              lastSyncAt: this.lastSyncAt,
            };
            await this.store.putState(STATE_ID, snapshot);
            this.persistedSyncAt = snapshot.lastSyncAt;
          }
        } catch (err) {
          this.log.error({ err: (err as Error).message }, 'could not persist the sync checkpoint');
        } finally {
          this.writing = null;
        }
      })();
    }
    return this.writing;
  }
}

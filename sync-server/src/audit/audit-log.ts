/**
 * The append-only audit trail (st-audit): who did what to what, a small
 * before/after diff, from which IP and user agent.
 *
 * `record()` is synchronous and never throws or waits: the mutation it
 * describes has already happened and must not be held up or undone by the
 * audit database being slow or down. Entries go to a bounded memory queue
 * that a background pump writes with `_bulk_docs`; when the database is
 * unreachable (or the queue is full) they are spilled to a local file and
 * sent once it is back, with exponential backoff between attempts. Each entry
 * gets its final id when recorded, so re-sending one the database already has
 * is answered "conflict" and counted as delivered: nothing is lost or doubled.
 */
import type { DocumentScope } from 'nano';
import { pino, type Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import { jsonDiff, redactSecrets, type DiffEntry } from './json-diff.js';
import { SpillFile } from './spill-file.js';

export interface AuditEvent {
  /** 'user:<id>', 'device:<id>', 'system:<what>' or 'anonymous'. */
  actor: string;
  /** Dotted verb, e.g. 'login.failure', 'user.create', 'inbox.write'. */
  action: string;
  /** What was acted on, e.g. 'user:bob', 'db:st-emp-e1-inbox/policy:1'. */
  target: string;
  /** State before and after, reduced to a diff (secret fields redacted). */
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  userAgent?: string | null;
  /** Small extra facts, e.g. a failure reason. Never secrets. */
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  _id: string;
  type: 'audit';
  at: number;
  atIso: string;
  actor: string;
  action: string;
  target: string;
  diff: DiffEntry[];
  ip: string | null;
  userAgent: string | null;
  details?: Record<string, unknown>;
}

/** What other modules depend on: a place to record events. */
export interface AuditSink {
  record(event: AuditEvent): string;
}

/** Second wall in CouchDB: nothing in st-audit can be changed or deleted, even by the server. */
export const AUDIT_DESIGN_DOC = {
  _id: '_design/sealtime-audit',
  validate_doc_update:
    "function (newDoc, oldDoc) { if (newDoc._id.indexOf('_design/') === 0) return; if (oldDoc || newDoc._deleted) throw({ forbidden: 'the audit trail is append-only' }); if (newDoc.type !== 'audit' || typeof newDoc.at !== 'number' || typeof newDoc.action !== 'string') throw({ forbidden: 'not an audit entry' }); }",
} as const;

export interface AuditLogOptions {
  /** Local file for entries that could not be written yet (kept across restarts). */
  spillPath: string;
  clock?: { now(): number };
  logger?: Logger;
  /** Entries held in memory before spilling to disk. */
  maxQueue?: number;
  batchSize?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** A write that takes longer counts as failed (it is retried; ids make that safe). */
  sendTimeoutMs?: number;
}

export interface AuditStats {
  recorded: number;
  delivered: number;
  spilled: number;
  rejected: number;
  failures: number;
  queued: number;
  down: boolean;
  lastError: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class AuditLog implements AuditSink {
  private readonly spill: SpillFile;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly maxQueue: number;
  private readonly batchSize: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly sendTimeoutMs: number;
  private queue: AuditEntry[] = [];
  private toSpill: AuditEntry[] = [];
  private spillScheduled = false;
  private pumping = false;
  private timer: NodeJS.Timeout | null = null;
  private backoff: number;
  private seq = 0;
  private closed = false;
  private readonly counters = { recorded: 0, delivered: 0, spilled: 0, rejected: 0, failures: 0 };
  private down = false;
  private lastError: string | null = null;

  private constructor(
    private readonly db: DocumentScope<unknown>,
    opts: AuditLogOptions,
  ) {
    this.spill = new SpillFile(opts.spillPath);
    this.log = (opts.logger ?? pino({ name: 'sealtime-audit' })).child({ module: 'audit' });
    const clock = opts.clock;
    this.now = clock ? () => clock.now() : () => Date.now();
    this.maxQueue = opts.maxQueue ?? 5_000;
    this.batchSize = opts.batchSize ?? 200;
    this.retryMinMs = opts.retryMinMs ?? 250;
    this.retryMaxMs = opts.retryMaxMs ?? 15_000;
    this.sendTimeoutMs = opts.sendTimeoutMs ?? 10_000;
    this.backoff = this.retryMinMs;
  }

  /**
   * Binds to the st-audit database. Installing the append-only validator is
   * best effort (the database may be down right now); entries left on disk by
   * an earlier run are sent in the background.
   */
  static async open(db: DocumentScope<unknown>, opts: AuditLogOptions): Promise<AuditLog> {
    const log = new AuditLog(db, opts);
    try {
      await log.installValidator();
    } catch (e) {
      log.log.warn({ err: (e as Error).message }, 'could not install the audit validator yet');
    }
    log.schedule(0);
    return log;
  }

  private async installValidator(): Promise<void> {
    let rev: string | undefined;
    try {
      const cur = (await this.db.get(AUDIT_DESIGN_DOC._id)) as unknown as {
        _rev: string;
        validate_doc_update?: string;
      };
      if (cur.validate_doc_update === AUDIT_DESIGN_DOC.validate_doc_update) return;
      rev = cur._rev;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404) throw e;
    }
    await this.db.insert({ ...AUDIT_DESIGN_DOC, ...(rev ? { _rev: rev } : {}) } as never);
  }

  record(event: AuditEvent): string {
    const at = this.now();
    const entry: AuditEntry = {
      // Time-ordered and fixed now, so retries are idempotent.
      _id: `${String(at).padStart(15, '0')}-${(this.seq++ % 1e6).toString().padStart(6, '0')}-${randomBytes(6).toString('hex')}`,
      type: 'audit',
      at,
      atIso: new Date(at).toISOString(),
      actor: event.actor,
      action: event.action,
      target: event.target,
      diff: event.before === undefined && event.after === undefined ? [] : jsonDiff(event.before, event.after),
      ip: event.ip ?? null,
      userAgent: event.userAgent ?? null,
    };
    if (event.details !== undefined) entry.details = redactSecrets(event.details) as Record<string, unknown>;
    this.counters.recorded++;
    if (this.closed || this.down || this.queue.length >= this.maxQueue) {
      this.spillSoon(entry);
    } else {
      this.queue.push(entry);
      this.schedule(0);
    }
    return entry._id;
  }

  stats(): AuditStats {
    return {
      ...this.counters,
      queued: this.queue.length + this.toSpill.length,
      down: this.down,
      lastError: this.lastError,
    };
  }

  /** Resolves once everything recorded so far reached the database; retries right away instead of waiting out the backoff. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.idle()) return;
      if (Date.now() > deadline)
        throw new Error(
          `audit flush timed out with ${this.stats().queued} entries queued (${this.lastError ?? 'no error'})`,
        );
      if (!this.pumping && !this.closed) this.schedule(0);
      await sleep(25);
    }
  }

  /** Tries to deliver for up to `timeoutMs`, then leaves whatever remains on disk for the next start. */
  async close(timeoutMs = 2_000): Promise<void> {
    try {
      await this.flush(timeoutMs);
    } catch {
      this.log.warn({ queued: this.stats().queued }, 'audit database unreachable at shutdown; entries kept on disk');
    }
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.pumping) await sleep(10); // a failing pump hands its batch back first
    const rest = this.queue.splice(0).concat(this.toSpill.splice(0));
    await this.spill.append(rest);
    this.counters.spilled += rest.length;
  }

  private async idle(): Promise<boolean> {
    return (
      this.queue.length === 0 &&
      this.toSpill.length === 0 &&
      !this.pumping &&
      !this.spill.busy &&
      !(await this.spill.hasPending())
    );
  }

  private spillSoon(entry: AuditEntry): void {
    this.toSpill.push(entry);
    if (this.spillScheduled) return;
    this.spillScheduled = true;
    // One durable append per burst rather than per entry.
    setImmediate(() => {
      this.spillScheduled = false;
      const batch = this.toSpill.splice(0);
      this.spill.append(batch).then(
        () => {
          this.counters.spilled += batch.length;
        },
        (e: unknown) => {
          // Disk refused too: keep them in memory, however long the queue.
          this.log.error({ err: (e as Error).message }, 'could not spill audit entries to disk');
          this.queue.push(...batch);
        },
      );
    });
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pump();
    }, delayMs);
    this.timer.unref();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        if (await this.spill.hasPending()) {
          const ok = await this.spill.drain(
            this.batchSize,
            (b) => this.send(b as AuditEntry[]),
            (line) => {
              this.counters.rejected++;
              void this.spill.reject([{ corruptLine: line }]);
            },
          );
          if (!ok) throw new Error(this.lastError ?? 'audit database unreachable');
        }
        while (this.queue.length > 0) {
          const batch = this.queue.slice(0, this.batchSize);
          await this.send(batch);
          this.queue.splice(0, batch.length);
        }
        if (this.queue.length === 0 && this.toSpill.length === 0 && !(await this.spill.hasPending())) break;
        if (this.toSpill.length > 0) await sleep(1); // let the pending spill land, then drain it
      }
      if (this.down) this.log.info('audit database reachable again; backlog delivered');
      this.down = false;
      this.backoff = this.retryMinMs;
    } catch (e) {
      this.counters.failures++;
      if (!this.down)
        this.log.warn(
          { err: this.lastError ?? (e as Error).message },
          'audit database unreachable; spilling to disk and retrying',
        );
      this.down = true;
      // While down, memory is moved to disk so a crash loses nothing.
      for (const entry of this.queue.splice(0)) this.spillSoon(entry);
      this.pumping = false;
      this.schedule(this.backoff);
      this.backoff = Math.min(this.backoff * 2, this.retryMaxMs);
      return;
    }
    this.pumping = false;
  }

  private async send(batch: AuditEntry[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const res = await Promise.race([
        this.db.bulk({ docs: batch }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`audit write timed out after ${this.sendTimeoutMs} ms`)),
            this.sendTimeoutMs,
          );
        }),
      ]);
      const rejected: unknown[] = [];
      // Match results by id: engines do not all answer in request order.
      const byId = new Map(batch.map((e) => [e._id, e]));
      for (const r of res as Array<{ id?: string; error?: string; reason?: string }>) {
        if (!r.error || r.error === 'conflict') this.counters.delivered++;
        else rejected.push({ entry: byId.get(r.id ?? '') ?? r.id, error: r.error, reason: r.reason });
      }
      if (rejected.length > 0) {
        // Permanent refusals (validation) are kept aside for an operator, not retried forever.
        this.counters.rejected += rejected.length;
        this.log.error({ count: rejected.length }, 'audit database refused entries; kept in the rejected file');
        await this.spill.reject(rejected);
      }
    } catch (e) {
      this.lastError = (e as Error).message;
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}

/**
 * Attendance that follows idleness, when the policy says so
 * (attendance.autoBreakOnIdle): an idle period opening while the employee is
 * working starts a break; the period closing (input is back) ends the break
 * this started — never one the employee started by hand.
 *
 *   working ──idle opens──► on break (ours) ──input back──► working
 *   on break (theirs) ──idle opens / closes──► unchanged
 */
import type { CapturePolicy } from '@sealtime/shared';
import type { AttendanceBook } from './attendance-book.js';

export interface AutoBreakLog {
  warn(obj: object, msg: string): void;
}

export class AutoBreak {
  /** A break this started and has not ended yet. */
  private ours = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly book: AttendanceBook,
    private readonly policy: () => CapturePolicy,
    private readonly log: AutoBreakLog,
  ) {}

  /** An idle period opened. */
  idleStarted(): Promise<void> {
    return this.serial(async () => {
      const p = this.policy().attendance;
      if (!p.enabled || !p.autoBreakOnIdle || this.book.status().state !== 'working') return;
      const r = await this.book.startBreak('agent', 'idle: automatic break');
      if (r.ok) this.ours = true;
      else this.log.warn({ code: r.error.code }, 'automatic break on idle failed');
    });
  }

  /** The idle period closed (input is back). */
  idleEnded(): Promise<void> {
    return this.serial(async () => {
      if (!this.ours) return;
      this.ours = false;
      if (this.book.status().state !== 'on-break') return; // the employee ended it or clocked out meanwhile
      const r = await this.book.endBreak('agent', 'input is back: automatic break ends');
      if (!r.ok) this.log.warn({ code: r.error.code }, 'ending the automatic break failed');
    });
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

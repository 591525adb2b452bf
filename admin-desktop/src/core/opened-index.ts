/**
 * Opened records in memory, per employee and local day (the reviewer's time
 * zone). An employee's records are opened on first use and again after the
 * replica brought something new for them; nothing opened is written to disk.
 */
import { localDateOf, type OpenedRecord } from '@sealtime/shared';
import type { OpenOutcome, RecordProblem } from './record-opening.js';
import type { ReplicaDoc } from './replica-store.js';

export interface EmployeeDays {
  days: Map<string, OpenedRecord[]>;
  /** Problems by local day ('' when not even a coarse time is known). */
  problems: Map<string, RecordProblem[]>;
  cannotOpen: number;
}

/** The time a record is about: when it happened, not when it was sealed. */
export function eventTime(r: OpenedRecord): number {
  switch (r.kind) {
    case 'attendance':
      return r.payload.at;
    case 'activity-slot':
    case 'app-event':
    case 'idle-period':
      return r.payload.start;
    case 'screenshot':
      return r.payload.takenAt;
    default:
      return r.createdAt;
  }
}

export class OpenedIndex {
  private readonly cache = new Map<string, Promise<EmployeeDays>>();

  constructor(
    private readonly load: (employeeId: string) => Promise<ReplicaDoc[]>,
    private readonly open: (docs: readonly ReplicaDoc[]) => OpenOutcome,
    private readonly timeZone: string,
  ) {}

  employee(employeeId: string): Promise<EmployeeDays> {
    let p = this.cache.get(employeeId);
    if (!p) {
      p = this.build(employeeId);
      this.cache.set(employeeId, p);
      p.catch(() => this.cache.delete(employeeId)); // a failed build is retried next time
    }
    return p;
  }

  invalidate(employeeIds: Iterable<string>): void {
    for (const e of employeeIds) this.cache.delete(e);
  }

  clear(): void {
    this.cache.clear();
  }

  private async build(employeeId: string): Promise<EmployeeDays> {
    const docs = await this.load(employeeId);
    const outcome = this.open(docs);
    const days = new Map<string, OpenedRecord[]>();
    for (const r of outcome.records) {
      const day = localDateOf(eventTime(r), this.timeZone);
      const list = days.get(day);
      if (list) list.push(r);
      else days.set(day, [r]);
    }
    for (const list of days.values()) list.sort((a, b) => eventTime(a) - eventTime(b));
    const hintOf = new Map(docs.map((d) => [d.id, d.hint]));
    const problems = new Map<string, RecordProblem[]>();
    for (const p of outcome.problems) {
      // a record that did not open has only its clear hint for a time: good enough to place a warning
      const t = hintOf.get(p.id)?.createdAt;
      const day = typeof t === 'number' ? localDateOf(t, this.timeZone) : '';
      problems.set(day, [...(problems.get(day) ?? []), p]);
    }
    return { days, problems, cannotOpen: outcome.cannotOpen };
  }
}

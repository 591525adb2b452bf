/**
 * A project's manual time as its report counts it: the approved and pending
 * entries that name the project, split into the local days of the person's
 * time zone they touch (an entry across midnight counts on both days) and
 * kept per task. Rejected entries count nowhere; tracked time never mixes in.
 */
import { addDays } from '../attendance/local-date.js';
import { localDateOf } from '../attendance/time-zone.js';
import { overlapMs } from '../manual-time/manual-entry.js';
import type { ManualStatus } from '../views/manual-time.js';
import { dayBounds } from '../views/slot-grid.js';
import type { ManualTimeCell } from './project-report.js';
import type { ProjectRef } from './project-ref.js';

/** What counting needs of an entry: manual-time.ts's ManualEntryView has all of it. */
export interface ProjectManualEntry {
  employeeId: string;
  start: number;
  end: number;
  project?: ProjectRef;
  status: ManualStatus;
}

export function projectManualCells(
  entries: readonly ProjectManualEntry[],
  projectId: string,
  range: { from: string; to: string; timeZoneOf: (employeeId: string) => string },
): ManualTimeCell[] {
  const cells = new Map<string, ManualTimeCell>();
  for (const e of entries) {
    if (e.project?.projectId !== projectId || e.status === 'rejected' || e.end <= e.start) continue;
    const tz = range.timeZoneOf(e.employeeId);
    const taskId = e.project.taskId ?? null;
    for (let date = localDateOf(e.start, tz); date <= localDateOf(e.end - 1, tz); date = addDays(date, 1)) {
      if (date < range.from || date > range.to) continue;
      const ms = overlapMs(e, dayBounds(date, tz));
      if (ms <= 0) continue;
      const key = `${e.employeeId}\u0000${date}\u0000${taskId ?? ''}\u0000${e.status}`;
      const cell = cells.get(key) ?? { personId: e.employeeId, date, taskId, seconds: 0, state: e.status };
      cell.seconds += ms / 1000;
      cells.set(key, cell);
    }
  }
  return [...cells.values()];
}

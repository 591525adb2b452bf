/**
 * Time per project from the opened activity slots of one person: a slot's
 * seconds go to the project its sealed payload names (none: "no project").
 * Cut by the person's local days (their zone, as every view), on the same
 * 10-minute grid as the activity figures, so a person's project seconds add
 * up to the tracked seconds the timesheet report shows for that day.
 *
 *   slot 23:55-00:05, project A    ─► 5 min on day 1, 5 min on day 2 (midnight)
 *   slot 09:00-09:04 A, 09:04-09:10 B (the agent cut the slot at the switch)
 *                                  ─► 4 min A, 6 min B
 *   DST: local days are 23 or 25 hours long; the grid counts real time, so
 *   nothing is lost or counted twice on the days the clocks move.
 *
 * A stretch covered twice counts once (two devices at once, or one device
 * sealing part of a slot again after a restart): per grid cell the time is
 * the union of what any device covered, each project's share the union of
 * its own stretches, scaled down when two projects ran at once on two
 * devices. (Laptop for 5 min then desktop for 5 min is 10 min.)
 */
import { addDays, parseLocalDate } from '../attendance/local-date.js';
import { intactOfKind, type OpenedRecord, type ViewPerson } from '../views/opened-record.js';
import { dayBounds, dayGrid, overlap, slotIndicesOf } from '../views/slot-grid.js';
import type { ProjectRef } from './project-ref.js';

export type ProjectTimeCell = {
  personId: string;
  /** local date in the person's zone */
  date: string;
  /** null: tracked without a project */
  projectId: string | null;
  taskId: string | null;
  seconds: number;
};

const NONE = '';
const keyOf = (ref: ProjectRef | undefined): string => (ref ? `${ref.projectId}\u0000${ref.taskId ?? ''}` : NONE);
function refOf(key: string): { projectId: string | null; taskId: string | null } {
  if (key === NONE) return { projectId: null, taskId: null };
  const [projectId, taskId] = key.split('\u0000') as [string, string];
  return { projectId, taskId: taskId === '' ? null : taskId };
}

/** Length of the union of intervals, ms. */
function unionMs(spans: ReadonlyArray<{ start: number; end: number }>): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const s of sorted) {
    if (s.start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = s.start;
      curEnd = s.end;
    } else curEnd = Math.max(curEnd, s.end);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** One cell per (date, project, task) with time, dates ascending; `from`..`to` inclusive local dates. */
export function projectTime(
  person: ViewPerson,
  records: readonly OpenedRecord[],
  from: string,
  to: string,
): ProjectTimeCell[] {
  parseLocalDate(from);
  parseLocalDate(to);
  const slots = intactOfKind(records, 'activity-slot').filter((r) => r.employeeId === person.id);
  const out: ProjectTimeCell[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const bounds = dayBounds(date, person.timeZone);
    const grid = dayGrid(date, person.timeZone, 10, false);
    // per grid cell: the stretches of real time each project key was covered, any device
    const cells = new Map<number, Array<{ key: string; start: number; end: number }>>();
    for (const r of slots) {
      const p = r.payload;
      const lengthMs = p.slotSeconds * 1000;
      if (!(lengthMs > 0) || !Number.isFinite(p.start)) continue;
      const span = { start: p.start, end: p.start + lengthMs };
      if (span.end <= bounds.start || span.start >= bounds.end) continue;
      const key = keyOf(p.project);
      for (const i of slotIndicesOf(grid, span)) {
        const cell = grid.slots[i];
        if (!cell || overlap(span, cell) <= 0) continue;
        const list = cells.get(i) ?? [];
        cells.set(i, list);
        list.push({ key, start: Math.max(span.start, cell.start), end: Math.min(span.end, cell.end) });
      }
    }
    const day = new Map<string, number>();
    for (const spans of cells.values()) {
      const tracked = unionMs(spans);
      const byKey = new Map<string, Array<{ start: number; end: number }>>();
      for (const s of spans) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
      const shares = [...byKey].map(([k, list]) => [k, unionMs(list)] as const);
      const sum = shares.reduce((n, [, ms]) => n + ms, 0);
      // two devices on different projects at once: the stretch counts once, shared between them
      const scale = sum > tracked ? tracked / sum : 1;
      for (const [k, ms] of shares) day.set(k, (day.get(k) ?? 0) + (ms * scale) / 1000);
    }
    const keys = [...day.keys()].sort();
    for (const k of keys) {
      const seconds = day.get(k)!;
      if (seconds > 0) out.push({ personId: person.id, date, ...refOf(k), seconds });
    }
  }
  return out;
}

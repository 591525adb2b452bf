/**
 * Per-date attendance figures against a person's plans (attendance-day-plan.ts).
 *
 * A work session (clock-in … clock-out) counts whole on one date: the date
 * of the scheduled shift it overlaps most, else the local date it began on.
 * So a night shift is one working day, not two halves cut at midnight:
 *
 *   Sat 22:00 ────────── Sun 00:00 ────────── Sun 06:00
 *   └── Saturday's shift: 8 h expected, 8 h worked on Saturday ──┘
 *   (a clock-in at Sat 23:55 for a Sunday 00:00 shift counts on Sunday)
 *
 *   expected  = Σ shift lengths − break allowance (0 on a day off or holiday)
 *   late      = arrival − shift start, when more than the grace (per shift)
 *   early     = shift end − departure, when more than the grace (per shift)
 *   overtime  = worked − expected; on a day with nothing expected all work
 *   breakOver = breaks taken − allowance
 *   absent    = a shift has begun (before `now`), no session counts on the date
 */
import { buildSessions, type AttendanceAnomaly, type WorkSession } from '../attendance/sessions.js';
import { subtract, totalMs, clip } from '../attendance/intervals.js';
import type { AttendanceEvent, TimeInterval } from '../attendance/types.js';
import { localDateOf } from '../attendance/time-zone.js';
import type { DayPlan } from './attendance-day-plan.js';

export type ScheduledDayFigures = {
  date: string;
  workedMs: number;
  breakMs: number;
  expectedMs: number;
  lateMs: number;
  earlyLeaveMs: number;
  overtimeMs: number;
  breakOverMs: number;
  absent: boolean;
  firstIn?: number;
  lastOut?: number;
  anomalies: AttendanceAnomaly[];
};

type Presence = { start: number; end: number; leftAt?: number; work: TimeInterval[]; breaks: TimeInterval[] };

function presenceOf(s: WorkSession): Presence {
  return {
    start: s.start,
    end: s.end,
    ...(s.closedBy === 'clock-out' ? { leftAt: s.end } : {}),
    work: subtract(s, s.breaks),
    breaks: s.breaks.flatMap((b) => clip(b, s) ?? []),
  };
}

const overlap = (a: TimeInterval, b: TimeInterval): number =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/** The date a session counts on (see the header); ties go to the earlier date. */
function dateOf(p: Presence, plans: readonly DayPlan[], zone: string): string {
  let best: string | undefined;
  let most = 0;
  for (const plan of plans) {
    const o = plan.shifts.reduce((sum, sh) => sum + overlap(p, sh), 0);
    if (o > most) [best, most] = [plan.date, o];
  }
  return best ?? localDateOf(p.start, zone);
}

function lateness(mine: readonly Presence[], shift: TimeInterval, grace: number): number {
  if (mine.some((p) => p.start <= shift.start && p.end > shift.start)) return 0;
  const arrivals = mine.filter((p) => p.start > shift.start && p.start < shift.end).map((p) => p.start);
  if (arrivals.length === 0) return 0; // no arrival in the shift: absence or a missed shift, not lateness
  const late = Math.min(...arrivals) - shift.start;
  return late > grace ? late : 0;
}

function earlyLeave(mine: readonly Presence[], shift: TimeInterval, grace: number): number {
  if (mine.some((p) => p.start < shift.end && p.end >= shift.end)) return 0;
  const departures = mine.flatMap((p) =>
    p.leftAt !== undefined && p.leftAt > shift.start && p.leftAt < shift.end ? [p.leftAt] : [],
  );
  if (departures.length === 0) return 0; // still clocked in (closed by `now`), or never came
  const early = shift.end - Math.max(...departures);
  return early > grace ? early : 0;
}

/**
 * Figures for each plan in `plans` (one per date, ascending). Give plans for
 * the day before and after the range too, so sessions near its edges find
 * their date; only dates in `dates` are returned.
 */
export function scheduledDays(
  events: readonly AttendanceEvent[],
  plans: readonly DayPlan[],
  dates: ReadonlySet<string>,
  personZone: string,
  now?: number,
): ScheduledDayFigures[] {
  const built = buildSessions(events, now);
  const presences = built.sessions.map(presenceOf);
  // still open without `now`: present since the clock-in, nothing counted as worked yet
  if (built.open) presences.push({ start: built.open.start, end: built.open.start, work: [], breaks: [] });
  const byDate = new Map<string, Presence[]>();
  for (const p of presences) {
    const d = dateOf(p, plans, personZone);
    byDate.set(d, [...(byDate.get(d) ?? []), p]);
  }
  const shown = plans.filter((p) => dates.has(p.date));
  return shown.map((plan) => {
    const mine = byDate.get(plan.date) ?? [];
    const workedMs = mine.reduce((s, p) => s + totalMs(p.work), 0);
    const breakMs = mine.reduce((s, p) => s + totalMs(p.breaks), 0);
    const scheduled = plan.shifts.reduce((s, sh) => s + (sh.end - sh.start), 0);
    const expectedMs = plan.shifts.length > 0 ? Math.max(0, scheduled - plan.breakAllowanceMs) : 0;
    const outs = mine.flatMap((p) => (p.leftAt !== undefined ? [p.leftAt] : []));
    const firstShift = plan.shifts[0];
    return {
      date: plan.date,
      workedMs,
      breakMs,
      expectedMs,
      lateMs: plan.shifts.reduce((s, sh) => s + lateness(mine, sh, plan.graceMs), 0),
      earlyLeaveMs: plan.shifts.reduce((s, sh) => s + earlyLeave(mine, sh, plan.graceMs), 0),
      overtimeMs: Math.max(0, workedMs - expectedMs),
      breakOverMs: Math.max(0, breakMs - plan.breakAllowanceMs),
      absent: firstShift !== undefined && firstShift.start < (now ?? Infinity) && mine.length === 0,
      ...(mine.length > 0 ? { firstIn: Math.min(...mine.map((p) => p.start)) } : {}),
      ...(outs.length > 0 ? { lastOut: Math.max(...outs) } : {}),
      // invalid events have no usable time: every date shows them rather than none
      anomalies: built.anomalies.filter(
        (a) => !Number.isFinite(a.at) || localDateOf(a.at, plan.timeZone) === plan.date,
      ),
    };
  });
}

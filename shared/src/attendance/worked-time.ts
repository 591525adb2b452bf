/**
 * Per-day attendance figures in the schedule's time zone.
 *
 * Worked, break and scheduled time are split at local midnight, so each date
 * gets the part that fell on it (DST days have 23 or 25 hours):
 *
 *   Fri 22:00 ────────── Sat 00:00 ────────── Sat 06:00      one session
 *   ├─ Friday: 2 h ─────┤├─ Saturday: 6 h ───────────┤
 *
 * Lateness and early leave belong to the shift, hence to the date the shift
 * starts on, even when the clock-out that decides them falls on the next date.
 * Overtime is per date: worked time beyond dailyOvertimeAfterMinutes (default:
 * that date's scheduled time); a date with no scheduled time has no threshold,
 * so all of its work is overtime. There is no weekly overtime rule here.
 *
 * Throws RangeError only for a malformed date, schedule or time zone
 * (configuration); bad events become anomalies (see sessions.ts).
 */
import type { AttendanceEvent, Schedule, TimeInterval } from './types.js';
import { buildSessions, type AttendanceAnomaly, type AttendanceSessions } from './sessions.js';
import { clip, overlapMs, subtract, totalMs } from './intervals.js';
import { addDays, parseLocalDate } from './local-date.js';
import { localDayBounds } from './time-zone.js';
import { graceMs, overtimeThresholdMs, scheduledShift, shiftsTouching } from './schedule.js';

export type AttendanceDay = {
  date: string;
  workedMs: number;
  breakMs: number;
  /** first clock-in on this date */
  firstIn?: number;
  /** last clock-out on this date (a session closed by `now` has none) */
  lastOut?: number;
  /** clock-in after scheduled start + grace, measured from the scheduled start; 0 when absent */
  lateMs: number;
  /** scheduled end minus a clock-out inside the shift; 0 while still clocked in */
  earlyLeaveMs: number;
  overtimeMs: number;
  scheduledMs: number;
  anomalies: AttendanceAnomaly[];
};

export type AttendanceTotals = Omit<AttendanceDay, 'date' | 'firstIn' | 'lastOut' | 'anomalies'>;

export type AttendanceRange = {
  days: AttendanceDay[];
  totals: AttendanceTotals;
  /** every anomaly of the range once (an undated invalid event appears in each day) */
  anomalies: AttendanceAnomaly[];
};

/** Where the person was clocked in: a session not ended by a clock-out lasts "forever" for presence. */
type Presence = { start: number; end: number; leftAt?: number };

function presenceOf(built: AttendanceSessions): Presence[] {
  const out: Presence[] = built.sessions.map((s) =>
    s.closedBy === 'clock-out' ? { start: s.start, end: s.end, leftAt: s.end } : { start: s.start, end: Infinity },
  );
  if (built.open) out.push({ start: built.open.start, end: Infinity });
  return out;
}

// reduce, not Math.min(...xs): years of sessions must not hit the argument limit.
const smallest = (xs: readonly number[]): number => xs.reduce((a, b) => Math.min(a, b), Infinity);
const largest = (xs: readonly number[]): number => xs.reduce((a, b) => Math.max(a, b), -Infinity);

function lateness(presence: readonly Presence[], shift: TimeInterval, grace: number): number {
  if (presence.some((p) => p.start <= shift.start && p.end > shift.start)) return 0;
  const arrival = smallest(presence.filter((p) => p.start > shift.start && p.start < shift.end).map((p) => p.start));
  // No arrival inside the shift is an absence, not lateness.
  return Number.isFinite(arrival) && arrival - shift.start > grace ? arrival - shift.start : 0;
}

function earlyLeave(presence: readonly Presence[], shift: TimeInterval): number {
  if (presence.some((p) => p.start < shift.end && p.end >= shift.end)) return 0;
  const departure = largest(
    presence.flatMap((p) =>
      p.leftAt !== undefined && p.leftAt > shift.start && p.leftAt < shift.end ? [p.leftAt] : [],
    ),
  );
  return Number.isFinite(departure) ? shift.end - departure : 0;
}

function dayFromSessions(built: AttendanceSessions, schedule: Schedule, date: string): AttendanceDay {
  const day = localDayBounds(date, schedule.timeZone);
  const work = built.sessions.flatMap((s) => subtract(s, s.breaks));
  const breaks = built.sessions.flatMap((s) => s.breaks.flatMap((b) => clip(b, s) ?? []));
  const inDay = (list: TimeInterval[]) => totalMs(list.flatMap((i) => clip(i, day) ?? []));
  const workedMs = inDay(work);

  const presence = presenceOf(built);
  const ins = presence.map((p) => p.start).filter((t) => t >= day.start && t < day.end);
  // A clock-out at exactly midnight ends the earlier date.
  const outs = presence.flatMap((p) =>
    p.leftAt !== undefined && p.leftAt > day.start && p.leftAt <= day.end ? [p.leftAt] : [],
  );

  const scheduledMs = overlapMs(shiftsTouching(schedule, date), day);
  const threshold = scheduledMs === 0 ? 0 : (overtimeThresholdMs(schedule) ?? scheduledMs);
  const ownShift = scheduledShift(schedule, date);

  return {
    date,
    workedMs,
    breakMs: inDay(breaks),
    ...(ins.length > 0 ? { firstIn: smallest(ins) } : {}),
    ...(outs.length > 0 ? { lastOut: largest(outs) } : {}),
    lateMs: ownShift ? lateness(presence, ownShift, graceMs(schedule)) : 0,
    earlyLeaveMs: ownShift ? earlyLeave(presence, ownShift) : 0,
    overtimeMs: Math.max(0, workedMs - threshold),
    scheduledMs,
    // Invalid events have no usable time, so every day shows them rather than none.
    anomalies: built.anomalies.filter((a) => !Number.isFinite(a.at) || (a.at >= day.start && a.at < day.end)),
  };
}

/** Attendance for one local date; `now` closes a still-open session (see buildSessions). */
export function computeDay(
  events: readonly AttendanceEvent[],
  schedule: Schedule,
  date: string,
  now?: number,
): AttendanceDay {
  return dayFromSessions(buildSessions(events, now), schedule, date);
}

/** Every date from `fromDate` to `toDate` inclusive (none when from > to), with totals. */
export function computeRange(
  events: readonly AttendanceEvent[],
  schedule: Schedule,
  fromDate: string,
  toDate: string,
  now?: number,
): AttendanceRange {
  parseLocalDate(fromDate);
  parseLocalDate(toDate);
  const built = buildSessions(events, now);
  const days: AttendanceDay[] = [];
  // 'YYYY-MM-DD' strings compare like the dates they denote.
  for (let d = fromDate; d <= toDate; d = addDays(d, 1)) days.push(dayFromSessions(built, schedule, d));

  const totals: AttendanceTotals = {
    workedMs: 0,
    breakMs: 0,
    lateMs: 0,
    earlyLeaveMs: 0,
    overtimeMs: 0,
    scheduledMs: 0,
  };
  for (const day of days) {
    for (const key of Object.keys(totals) as (keyof AttendanceTotals)[]) totals[key] += day[key];
  }
  const anomalies = [...new Set(days.flatMap((d) => d.anomalies))];
  return { days, totals, anomalies };
}

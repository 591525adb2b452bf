/**
 * Turns a weekly schedule into concrete instants. A shift belongs to the local
 * date it starts on; one whose end is at or before its start runs past
 * midnight into the next date:
 *
 *   Sat 22:00 ────────── Sun 00:00 ────────── Sun 06:00
 *   └──── Saturday's shift, scheduled 2 h on Sat + 6 h on Sun ───┘
 *
 * On the fall-back night (Europe/Berlin 2026-10-25) the same shift lasts 9 h,
 * on the spring-forward night 7 h: lengths come from instants, not wall times.
 */
import type { Schedule, TimeInterval } from './types.js';
import { addDays, parseTimeOfDay, weekdayOf } from './local-date.js';
import { zonedTimeToEpoch } from './time-zone.js';

/** The shift starting on `date`, or undefined when the schedule has none (or it vanishes in a DST gap). */
export function scheduledShift(schedule: Schedule, date: string): TimeInterval | undefined {
  const day = schedule.days[weekdayOf(date)];
  if (!day) return undefined;
  const startMin = parseTimeOfDay(day.start);
  const endMin = parseTimeOfDay(day.end);
  if (startMin === 1440) throw new RangeError(`a shift cannot start at 24:00 (schedule for ${date})`);
  const endDate = endMin > startMin ? date : addDays(date, 1);
  const start = zonedTimeToEpoch(date, day.start, schedule.timeZone);
  const end = zonedTimeToEpoch(endDate, day.end, schedule.timeZone);
  // e.g. 02:00–02:30 on a spring-forward day: both ends resolve to 03:00.
  return end > start ? { start, end } : undefined;
}

/** Shifts that can overlap `date`: the previous date's (if overnight) and its own. */
export function shiftsTouching(schedule: Schedule, date: string): TimeInterval[] {
  return [scheduledShift(schedule, addDays(date, -1)), scheduledShift(schedule, date)].filter(
    (s): s is TimeInterval => s !== undefined,
  );
}

/** ms; negative or non-finite settings count as 0. */
export function graceMs(schedule: Schedule): number {
  const g = schedule.graceMinutes;
  return Number.isFinite(g) && g > 0 ? g * 60_000 : 0;
}

/** ms of work per day after which overtime starts, or undefined for "the scheduled length". */
export function overtimeThresholdMs(schedule: Schedule): number | undefined {
  const m = schedule.dailyOvertimeAfterMinutes;
  return m !== undefined && Number.isFinite(m) ? Math.max(0, m) * 60_000 : undefined;
}

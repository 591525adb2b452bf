/**
 * A person's plan for one local date: the shifts of the schedule in force
 * that date (resolve-schedule.ts) as instants in the schedule's zone, or none
 * on a public holiday or a day off. Lengths come from instants, so a night
 * shift 22:00–06:00 lasts 7 h on the spring-forward night and 9 h on the
 * fall-back night (Europe/Berlin); a shift that falls entirely in a DST gap
 * (02:00–02:30 on 2026-03-29) vanishes.
 */
import type { TimeInterval } from '../attendance/types.js';
import { addDays, parseTimeOfDay, weekdayOf } from '../attendance/local-date.js';
import { zonedTimeToEpoch } from '../attendance/time-zone.js';
import { scheduleOn } from '../schedule/resolve-schedule.js';
import type { ScheduleLayer, ScheduleScope, WorkSchedule } from '../schedule/schedule-types.js';

export type DayPlan = {
  date: string;
  /** the zone the date is cut in: the schedule's, or the person's fallback */
  timeZone: string;
  /** scheduled work, in order; empty on a day off or a holiday */
  shifts: TimeInterval[];
  /** 'HH:mm–HH:mm' per shift as the schedule states them */
  shiftLabels: string[];
  holiday: boolean;
  breakAllowanceMs: number;
  graceMs: number;
  /** the level that set the schedule; absent: no schedule applies */
  source?: ScheduleScope;
};

const MIN = 60_000;

function shiftsOf(schedule: WorkSchedule, date: string): { shifts: TimeInterval[]; labels: string[] } {
  const shifts: TimeInterval[] = [];
  const labels: string[] = [];
  for (const s of schedule.week[weekdayOf(date)] ?? []) {
    const endDate = parseTimeOfDay(s.end) > parseTimeOfDay(s.start) ? date : addDays(date, 1);
    const start = zonedTimeToEpoch(date, s.start, schedule.timeZone);
    const end = zonedTimeToEpoch(endDate, s.end, schedule.timeZone);
    labels.push(`${s.start}–${s.end}`);
    if (end > start) shifts.push({ start, end });
  }
  return { shifts, labels };
}

export function dayPlan(
  date: string,
  chain: readonly ScheduleLayer[],
  holidays: ReadonlySet<string>,
  fallbackZone: string,
): DayPlan {
  const resolved = scheduleOn(chain, date);
  if (!resolved)
    return {
      date,
      timeZone: fallbackZone,
      shifts: [],
      shiftLabels: [],
      holiday: holidays.has(date),
      breakAllowanceMs: 0,
      graceMs: 0,
    };
  const { schedule, source } = resolved;
  const holiday = holidays.has(date);
  const { shifts, labels } = holiday ? { shifts: [], labels: [] } : shiftsOf(schedule, date);
  return {
    date,
    timeZone: schedule.timeZone,
    shifts,
    shiftLabels: labels,
    holiday,
    breakAllowanceMs: schedule.breakMinutes * MIN,
    graceMs: schedule.graceMinutes * MIN,
    source,
  };
}

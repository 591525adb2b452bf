/**
 * Checks a schedule version field by field; each problem names its field so
 * an editor can show it there. Pure; the time zone is checked with Intl.
 */
import { parseLocalDate, parseTimeOfDay } from '../attendance/local-date.js';
import type { ScheduleVersion } from './schedule-types.js';

export type ScheduleProblem = { path: string; message: string };

const MAX_SHIFTS_PER_DAY = 4;
const MAX_MINUTES = 24 * 60;

function isDate(x: unknown): boolean {
  if (typeof x !== 'string') return false;
  try {
    parseLocalDate(x);
    return true;
  } catch {
    return false; // the caller reports the field
  }
}

function minutesOf(x: unknown): number | undefined {
  if (typeof x !== 'string') return undefined;
  try {
    return parseTimeOfDay(x);
  } catch {
    return undefined; // reported as the field's problem
  }
}

export function isTimeZone(x: unknown): boolean {
  if (typeof x !== 'string' || x.length === 0 || x.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: x });
    return true;
  } catch {
    return false; // RangeError: unknown zone
  }
}

const isMinutes = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= MAX_MINUTES;

export function validateScheduleVersion(v: unknown): ScheduleProblem[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return [{ path: '', message: 'a schedule is an object' }];
  const s = v as Record<string, unknown>;
  const out: ScheduleProblem[] = [];
  if (!isDate(s.effectiveFrom))
    out.push({
      path: 'effectiveFrom',
      message: `effective-from must be a date YYYY-MM-DD, got '${String(s.effectiveFrom)}'`,
    });
  if ('inherit' in s) {
    if (s.inherit !== true || Object.keys(s).length !== 2)
      out.push({ path: 'inherit', message: 'an inherit entry has only effectiveFrom and inherit: true' });
    return out;
  }
  const known = new Set(['effectiveFrom', 'timeZone', 'week', 'breakMinutes', 'graceMinutes']);
  for (const k of Object.keys(s)) if (!known.has(k)) out.push({ path: k, message: `unknown field '${k}'` });
  if (!isTimeZone(s.timeZone))
    out.push({ path: 'timeZone', message: `'${String(s.timeZone)}' is not an IANA time zone (e.g. Europe/Berlin)` });
  if (!isMinutes(s.breakMinutes))
    out.push({ path: 'breakMinutes', message: 'break allowance must be whole minutes, 0 to 1440' });
  if (!isMinutes(s.graceMinutes)) out.push({ path: 'graceMinutes', message: 'grace must be whole minutes, 0 to 1440' });
  if (!Array.isArray(s.week) || s.week.length !== 7) {
    out.push({ path: 'week', message: 'the week has 7 days, Sunday first' });
    return out;
  }
  s.week.forEach((day: unknown, wd) => {
    if (!Array.isArray(day) || day.length > MAX_SHIFTS_PER_DAY) {
      out.push({ path: `week.${wd}`, message: `a day has 0 to ${MAX_SHIFTS_PER_DAY} shifts` });
      return;
    }
    let prevEnd = -1;
    day.forEach((shift: unknown, i) => {
      const at = `week.${wd}.${i}`;
      const sh = (typeof shift === 'object' && shift !== null ? shift : {}) as Record<string, unknown>;
      const start = minutesOf(sh.start);
      const end = minutesOf(sh.end);
      if (start === undefined || start === MAX_MINUTES)
        out.push({ path: `${at}.start`, message: `start must be HH:mm before 24:00, got '${String(sh.start)}'` });
      if (end === undefined) out.push({ path: `${at}.end`, message: `end must be HH:mm, got '${String(sh.end)}'` });
      if (Object.keys(sh).length !== 2) out.push({ path: at, message: 'a shift has exactly start and end' });
      if (start === undefined || end === undefined) return;
      if (start === end) out.push({ path: at, message: 'a shift cannot start and end at the same time' });
      // shifts of a split day come in order; only the last may run past midnight
      if (start <= prevEnd) out.push({ path: at, message: 'shifts of a day must be in order and not overlap' });
      const overnight = end <= start;
      if (overnight && i !== day.length - 1)
        out.push({ path: at, message: 'only the last shift of a day may run past midnight' });
      prevEnd = overnight ? MAX_MINUTES : end;
    });
  });
  return out;
}

export function validateHolidayDates(dates: unknown): ScheduleProblem[] {
  if (!Array.isArray(dates) || dates.length > 2000)
    return [{ path: 'dates', message: 'holidays are a list of at most 2000 dates' }];
  const out: ScheduleProblem[] = [];
  dates.forEach((d, i) => {
    if (!isDate(d)) out.push({ path: `dates.${i}`, message: `'${String(d)}' is not a date YYYY-MM-DD` });
  });
  if (new Set(dates).size !== dates.length) out.push({ path: 'dates', message: 'a date is listed twice' });
  return out;
}

/**
 * Calendar arithmetic on local dates ('YYYY-MM-DD') and wall times ('HH:mm'),
 * with no time zone involved: a date is a day of the proleptic Gregorian
 * calendar, computed in UTC where every day has 24 hours.
 * Malformed input throws a RangeError: these strings come from configuration
 * and call sites, not from recorded data.
 */

export type DateParts = { year: number; month: number; day: number };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

/** UTC ms of a calendar date and time; setUTCFullYear keeps years 0–99 literal (Date.UTC maps them to 19xx). */
export function utcMsOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

export function parseLocalDate(date: string): DateParts {
  const m = DATE_RE.exec(date);
  const parts = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
  // Round-tripping through Date rejects 2026-02-30 and month 13.
  if (!parts || formatLocalDate(new Date(utcMsOf(parts.year, parts.month, parts.day))) !== date) {
    throw new RangeError(`expected a calendar date 'YYYY-MM-DD', got '${date}'`);
  }
  return parts;
}

/** The UTC calendar date of a Date, as 'YYYY-MM-DD'. */
export function formatLocalDate(d: Date): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

export function addDays(date: string, days: number): string {
  const { year, month, day } = parseLocalDate(date);
  return formatLocalDate(new Date(utcMsOf(year, month, day + days)));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): 0 | 1 | 2 | 3 | 4 | 5 | 6 {
  const { year, month, day } = parseLocalDate(date);
  return new Date(utcMsOf(year, month, day)).getUTCDay() as 0 | 1 | 2 | 3 | 4 | 5 | 6;
}

/** Minutes since local midnight, 0…1440; '24:00' (= end of day) is the only hour-24 value accepted. */
export function parseTimeOfDay(time: string): number {
  const m = TIME_RE.exec(time);
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || minute > 59 || hour > 24 || (hour === 24 && minute !== 0)) {
    throw new RangeError(`expected a wall time 'HH:mm' (00:00–24:00), got '${time}'`);
  }
  return hour * 60 + minute;
}

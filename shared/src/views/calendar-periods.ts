/** ISO weeks (Monday first) and calendar months of local dates, for totals. */
import { addDays, parseLocalDate, utcMsOf, weekdayOf } from '../attendance/local-date.js';

export type PeriodKey = { key: string; from: string; to: string };

/** '2026-W23' and its Monday…Sunday. ISO 8601: the week belongs to the year of its Thursday. */
export function isoWeekOf(date: string): PeriodKey {
  const monday = addDays(date, -((weekdayOf(date) + 6) % 7));
  const thursday = addDays(monday, 3);
  const { year, month, day } = parseLocalDate(thursday);
  const dayOfYear = (utcMsOf(year, month, day) - utcMsOf(year, 1, 1)) / 86_400_000 + 1;
  const week = Math.floor((dayOfYear - 1) / 7) + 1;
  return {
    key: `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`,
    from: monday,
    to: addDays(monday, 6),
  };
}

/** '2026-06' and its first and last date. */
export function monthOf(date: string): PeriodKey {
  const { year, month } = parseLocalDate(date);
  const first = `${date.slice(0, 7)}-01`;
  const last = addDays(
    month === 12
      ? `${String(year + 1).padStart(4, '0')}-01-01`
      : `${date.slice(0, 5)}${String(month + 1).padStart(2, '0')}-01`,
    -1,
  );
  return { key: date.slice(0, 7), from: first, to: last };
}

/**
 * Local dates and wall times in an IANA time zone, DST-correct, using only
 * Intl.DateTimeFormat (the engine's tz database; no I/O, no tz library).
 *
 * Two wall-time cases have no single answer; we pick one each:
 *
 *   spring forward (Europe/Berlin 2026-03-29):
 *     wall   01:59 ─┐ 02:00 … 02:59 do not exist ┌─ 03:00
 *     UTC    00:59  └────────── 01:00 ───────────┘  01:00
 *     → a time in the gap resolves to the first instant after it
 *       (02:30 → 03:00 CEST = 01:00Z). Temporal's 'compatible' would give
 *       03:30 instead; for shift starts and day bounds "when the clock next
 *       shows a valid time" is what a person means.
 *
 *   fall back (Europe/Berlin 2026-10-25):
 *     wall   02:00 … 02:59 CEST, then 02:00 … 02:59 CET again
 *     → an ambiguous time resolves to the earlier instant (02:30 → 00:30Z),
 *       so a day starts at its first midnight and a shift at its first 02:30.
 *
 * Consequently a local day lasts 23 or 25 hours on DST days.
 */
import type { TimeInterval } from './types.js';
import { addDays, parseLocalDate, parseTimeOfDay, utcMsOf, formatLocalDate } from './local-date.js';

const DAY_MS = 86_400_000;

// Creating a DateTimeFormat is costly; one per zone is reused (pure memo, no I/O).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone, which is what we want.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at `epochMs`, expressed as if it were UTC (whole seconds). */
function wallClockAsUtc(epochMs: number, timeZone: string): number {
  const fields: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(epochMs)) fields[p.type] = p.value;
  return utcMsOf(
    Number(fields.year),
    Number(fields.month),
    Number(fields.day),
    Number(fields.hour),
    Number(fields.minute),
    Number(fields.second),
  );
}

/** UTC offset of `timeZone` at `epochMs` in ms (east positive). */
function offsetAt(epochMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return wallClockAsUtc(wholeSecond, timeZone) - wholeSecond;
}

function assertFinite(epochMs: number): void {
  if (!Number.isFinite(epochMs)) throw new RangeError(`expected a finite epoch-ms instant, got ${epochMs}`);
}

/** The local calendar date of an instant, 'YYYY-MM-DD'. */
export function localDateOf(epochMs: number, timeZone: string): string {
  assertFinite(epochMs);
  return formatLocalDate(new Date(wallClockAsUtc(epochMs, timeZone)));
}

/** Instant of a wall time given as "UTC ms of the wall fields" (see the header for gaps and overlaps). */
function wallToEpoch(wall: number, timeZone: string): number {
  // Any offset valid near `wall` is one of those a day either side (zones
  // change offset at most once a day), so these are all the candidates.
  const offsets = [
    ...new Set([offsetAt(wall - DAY_MS, timeZone), offsetAt(wall, timeZone), offsetAt(wall + DAY_MS, timeZone)]),
  ];
  const valid = offsets.map((o) => wall - o).filter((t) => offsetAt(t, timeZone) === wall - t);
  if (valid.length > 0) return Math.min(...valid); // ambiguous → earlier

  // In a gap: reading the wall time with the new (larger) offset gives an
  // instant before the transition, with the old offset one after it. The
  // transition is between; bisect to the second (tz transitions are whole seconds).
  let lo = Math.floor((wall - Math.max(...offsets)) / 1000);
  let hi = Math.ceil((wall - Math.min(...offsets)) / 1000);
  const before = offsetAt(lo * 1000, timeZone);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid * 1000, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}

/** The instant a local date and 'HH:mm' denote in `timeZone`; '24:00' is the next day's midnight. */
export function zonedTimeToEpoch(date: string, time: string, timeZone: string): number {
  const { year, month, day } = parseLocalDate(date);
  const minutes = parseTimeOfDay(time);
  formatterFor(timeZone); // validate the zone before doing arithmetic
  return wallToEpoch(utcMsOf(year, month, day) + minutes * 60_000, timeZone);
}

/** [first instant of `date`, first instant of the next date) — 23, 24 or 25 hours. */
export function localDayBounds(date: string, timeZone: string): TimeInterval {
  return {
    start: zonedTimeToEpoch(date, '00:00', timeZone),
    end: zonedTimeToEpoch(addDays(date, 1), '00:00', timeZone),
  };
}

/** Schedules, events as readable [date, time, type] rows, and the row runner for the computeDay tables. */
import { expect, it } from 'vitest';
import { computeDay, type AttendanceDay } from '../worked-time.js';
import { zonedTimeToEpoch } from '../time-zone.js';
import type { AttendanceEvent, AttendanceEventType, Schedule } from '../types.js';

export const H = 3_600_000;
export const MIN = 60_000;
export const BER = 'Europe/Berlin';
export const NYC = 'America/New_York';

export const officeHours = { start: '09:00', end: '17:00' };
export const office: Schedule = {
  timeZone: BER,
  days: { 1: officeHours, 2: officeHours, 3: officeHours, 4: officeHours, 5: officeHours },
  graceMinutes: 5,
};
export const nightsBer: Schedule = { timeZone: BER, days: { 6: { start: '22:00', end: '06:00' } }, graceMinutes: 0 };
export const nightsNyc: Schedule = { ...nightsBer, timeZone: NYC };
export const allDaySundayNyc: Schedule = {
  timeZone: NYC,
  days: { 0: { start: '00:00', end: '24:00' } },
  graceMinutes: 0,
};
export const gapStart: Schedule = { timeZone: BER, days: { 0: { start: '02:30', end: '10:00' } }, graceMinutes: 5 };

export type Ev = [date: string, time: string, type: AttendanceEventType];
export const events = (tz: string, list: Ev[]): AttendanceEvent[] =>
  list.map(([date, time, type]) => ({ at: zonedTimeToEpoch(date, time, tz), type, source: 'agent' }));

// 2026-06-01 is a Monday, 2026-06-06 a Saturday.
export const MON = '2026-06-01';
export const workday = (inAt: string, outAt: string, date = MON): Ev[] => [
  [date, inAt, 'clock-in'],
  [date, outAt, 'clock-out'],
];

export type Row = {
  name: string;
  schedule: Schedule;
  date: string;
  events: AttendanceEvent[];
  now?: number;
  // undefined: the day must have no such value (no first clock-in, no last clock-out)
  expected: { [K in keyof AttendanceDay]?: AttendanceDay[K] | undefined } & { anomalyKinds?: string[] };
};

/** One test per row. */
export function checkDays(rows: Row[]): void {
  it.each(rows)('$name', ({ schedule, date, events: evs, now, expected }) => {
    const { anomalyKinds, ...fields } = expected;
    const day = computeDay(evs, schedule, date, now);
    // `key: undefined` in a row means "absent from the result".
    const present = Object.entries(fields).filter(([, v]) => v !== undefined);
    expect(day).toMatchObject({ date, ...Object.fromEntries(present) });
    for (const [key, value] of Object.entries(fields)) if (value === undefined) expect(day).not.toHaveProperty(key);
    if (anomalyKinds) expect(day.anomalies.map((a) => a.kind)).toEqual(anomalyKinds);
  });
}

/** computeDay across midnight, on night shifts and on DST nights (Berlin and New York). */
import { describe } from 'vitest';
import { zonedTimeToEpoch } from './time-zone.js';
import {
  allDaySundayNyc,
  BER,
  checkDays,
  events,
  gapStart,
  H,
  MIN,
  nightsBer,
  nightsNyc,
  NYC,
  office,
  type Row,
  workday,
} from './test-support/worked-time-rows.js';

const rows: Row[] = [
  // Across midnight: Friday 22:00 → Saturday 02:00 on top of a normal Friday.
  {
    name: 'session across midnight, first part',
    schedule: office,
    date: '2026-06-05',
    events: events(BER, [
      ...workday('09:00', '17:00', '2026-06-05'),
      ['2026-06-05', '22:00', 'clock-in'],
      ['2026-06-06', '02:00', 'clock-out'],
    ]),
    expected: { workedMs: 10 * H, overtimeMs: 2 * H, lastOut: zonedTimeToEpoch('2026-06-05', '17:00', BER) },
  },
  {
    name: 'session across midnight, second part',
    schedule: office,
    date: '2026-06-06',
    events: events(BER, [
      ['2026-06-05', '22:00', 'clock-in'],
      ['2026-06-06', '02:00', 'clock-out'],
    ]),
    expected: {
      workedMs: 2 * H,
      overtimeMs: 2 * H,
      firstIn: undefined,
      lastOut: zonedTimeToEpoch('2026-06-06', '02:00', BER),
    },
  },
  // Night shifts Sat 22:00 → Sun 06:00: normal, fall-back (9 h) and spring-forward (7 h).
  {
    name: 'night shift, Saturday part',
    schedule: nightsBer,
    date: '2026-06-06',
    events: events(BER, [
      ['2026-06-06', '22:00', 'clock-in'],
      ['2026-06-07', '06:00', 'clock-out'],
    ]),
    expected: { workedMs: 2 * H, scheduledMs: 2 * H, overtimeMs: 0, earlyLeaveMs: 0 },
  },
  {
    name: 'night shift, Sunday part',
    schedule: nightsBer,
    date: '2026-06-07',
    events: events(BER, [
      ['2026-06-06', '22:00', 'clock-in'],
      ['2026-06-07', '06:00', 'clock-out'],
    ]),
    expected: { workedMs: 6 * H, scheduledMs: 6 * H, overtimeMs: 0, lateMs: 0 },
  },
  {
    name: 'Berlin fall-back night, Sunday part is 7 h',
    schedule: nightsBer,
    date: '2026-10-25',
    events: events(BER, [
      ['2026-10-24', '22:00', 'clock-in'],
      ['2026-10-25', '06:00', 'clock-out'],
    ]),
    expected: { workedMs: 7 * H, scheduledMs: 7 * H, overtimeMs: 0 },
  },
  {
    name: 'Berlin spring-forward night, Sunday part is 5 h',
    schedule: nightsBer,
    date: '2026-03-29',
    events: events(BER, [
      ['2026-03-28', '22:00', 'clock-in'],
      ['2026-03-29', '06:00', 'clock-out'],
    ]),
    expected: { workedMs: 5 * H, scheduledMs: 5 * H, overtimeMs: 0 },
  },
  {
    name: 'night shift lateness and early leave belong to the start date',
    schedule: nightsBer,
    date: '2026-06-06',
    events: events(BER, [
      ['2026-06-06', '22:30', 'clock-in'],
      ['2026-06-07', '05:00', 'clock-out'],
    ]),
    expected: { lateMs: 30 * MIN, earlyLeaveMs: H, workedMs: 1.5 * H },
  },
  {
    name: 'night shift early leave is not repeated on the end date',
    schedule: nightsBer,
    date: '2026-06-07',
    events: events(BER, [
      ['2026-06-06', '22:30', 'clock-in'],
      ['2026-06-07', '05:00', 'clock-out'],
    ]),
    expected: { lateMs: 0, earlyLeaveMs: 0, workedMs: 5 * H },
  },
  {
    name: 'New York fall-back night, Sunday part is 7 h',
    schedule: nightsNyc,
    date: '2026-11-01',
    events: events(NYC, [
      ['2026-10-31', '22:00', 'clock-in'],
      ['2026-11-01', '06:00', 'clock-out'],
    ]),
    expected: { workedMs: 7 * H, scheduledMs: 7 * H, overtimeMs: 0 },
  },
  {
    name: 'New York spring-forward night, Sunday part is 5 h',
    schedule: nightsNyc,
    date: '2026-03-08',
    events: events(NYC, [
      ['2026-03-07', '22:00', 'clock-in'],
      ['2026-03-08', '06:00', 'clock-out'],
    ]),
    expected: { workedMs: 5 * H, scheduledMs: 5 * H },
  },
  {
    name: 'New York whole spring-forward day is 23 h',
    schedule: allDaySundayNyc,
    date: '2026-03-08',
    events: events(NYC, [
      ['2026-03-08', '00:00', 'clock-in'],
      ['2026-03-09', '00:00', 'clock-out'],
    ]),
    expected: {
      workedMs: 23 * H,
      scheduledMs: 23 * H,
      overtimeMs: 0,
      lastOut: zonedTimeToEpoch('2026-03-09', '00:00', NYC),
    },
  },
  {
    name: 'New York whole fall-back day is 25 h',
    schedule: allDaySundayNyc,
    date: '2026-11-01',
    events: events(NYC, [
      ['2026-11-01', '00:00', 'clock-in'],
      ['2026-11-02', '00:00', 'clock-out'],
    ]),
    expected: { workedMs: 25 * H, scheduledMs: 25 * H, overtimeMs: 0 },
  },
  {
    name: 'shift start inside the DST gap resolves to 03:00',
    schedule: gapStart,
    date: '2026-03-29',
    events: events(BER, [
      ['2026-03-29', '03:00', 'clock-in'],
      ['2026-03-29', '10:00', 'clock-out'],
    ]),
    expected: { lateMs: 0, scheduledMs: 7 * H, workedMs: 7 * H },
  },
  {
    name: 'lateness after a DST-gap start is measured from 03:00',
    schedule: gapStart,
    date: '2026-03-29',
    events: events(BER, [
      ['2026-03-29', '03:10', 'clock-in'],
      ['2026-03-29', '10:00', 'clock-out'],
    ]),
    expected: { lateMs: 10 * MIN },
  },
];

describe('computeDay across midnight and DST', () => {
  checkDays(rows);
});

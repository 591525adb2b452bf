import { describe, it, expect } from 'vitest';
import { computeDay, computeRange, type AttendanceDay } from './worked-time.js';
import { zonedTimeToEpoch } from './time-zone.js';
import type { AttendanceEvent, AttendanceEventType, Schedule } from './types.js';

const H = 3_600_000;
const MIN = 60_000;
const BER = 'Europe/Berlin';
const NYC = 'America/New_York';

const officeHours = { start: '09:00', end: '17:00' };
const office: Schedule = {
  timeZone: BER,
  days: { 1: officeHours, 2: officeHours, 3: officeHours, 4: officeHours, 5: officeHours },
  graceMinutes: 5,
};
const nightsBer: Schedule = { timeZone: BER, days: { 6: { start: '22:00', end: '06:00' } }, graceMinutes: 0 };
const nightsNyc: Schedule = { ...nightsBer, timeZone: NYC };
const allDaySundayNyc: Schedule = { timeZone: NYC, days: { 0: { start: '00:00', end: '24:00' } }, graceMinutes: 0 };
const gapStart: Schedule = { timeZone: BER, days: { 0: { start: '02:30', end: '10:00' } }, graceMinutes: 5 };

type Ev = [date: string, time: string, type: AttendanceEventType];
const events = (tz: string, list: Ev[]): AttendanceEvent[] =>
  list.map(([date, time, type]) => ({ at: zonedTimeToEpoch(date, time, tz), type, source: 'agent' }));

// 2026-06-01 is a Monday, 2026-06-06 a Saturday.
const MON = '2026-06-01';
const workday = (inAt: string, outAt: string, date = MON): Ev[] => [
  [date, inAt, 'clock-in'],
  [date, outAt, 'clock-out'],
];

type Row = {
  name: string;
  schedule: Schedule;
  date: string;
  events: AttendanceEvent[];
  now?: number;
  // undefined: the day must have no such value (no first clock-in, no last clock-out)
  expected: { [K in keyof AttendanceDay]?: AttendanceDay[K] | undefined } & { anomalyKinds?: string[] };
};

const rows: Row[] = [
  {
    name: 'simple 9–17 day with a 30-minute break',
    schedule: office,
    date: MON,
    events: events(BER, [
      [MON, '09:00', 'clock-in'],
      [MON, '12:00', 'break-start'],
      [MON, '12:30', 'break-end'],
      [MON, '17:00', 'clock-out'],
    ]),
    expected: {
      workedMs: 7.5 * H,
      breakMs: 0.5 * H,
      scheduledMs: 8 * H,
      lateMs: 0,
      earlyLeaveMs: 0,
      overtimeMs: 0,
      anomalyKinds: [],
    },
  },
  {
    name: 'late within grace',
    schedule: office,
    date: MON,
    events: events(BER, workday('09:04', '17:00')),
    expected: { lateMs: 0 },
  },
  {
    name: 'late exactly at grace',
    schedule: office,
    date: MON,
    events: events(BER, workday('09:05', '17:00')),
    expected: { lateMs: 0 },
  },
  {
    name: 'late beyond grace counts from the scheduled start',
    schedule: office,
    date: MON,
    events: events(BER, workday('09:20', '17:00')),
    expected: { lateMs: 20 * MIN, workedMs: 7 * H + 40 * MIN },
  },
  {
    name: 'early leave',
    schedule: office,
    date: MON,
    events: events(BER, workday('09:00', '16:30')),
    expected: { earlyLeaveMs: 30 * MIN, lateMs: 0 },
  },
  {
    name: 'overtime beyond the scheduled length',
    schedule: office,
    date: MON,
    events: events(BER, workday('08:00', '18:30')),
    expected: { workedMs: 10.5 * H, overtimeMs: 2.5 * H, lateMs: 0 },
  },
  {
    name: 'overtime beyond dailyOvertimeAfterMinutes',
    schedule: { ...office, dailyOvertimeAfterMinutes: 600 },
    date: MON,
    events: events(BER, workday('08:00', '18:30')),
    expected: { overtimeMs: 0.5 * H },
  },
  {
    name: 'unscheduled day: all work is overtime, nobody is late',
    schedule: office,
    date: '2026-06-06',
    events: events(BER, workday('11:00', '15:00', '2026-06-06')),
    expected: { workedMs: 4 * H, overtimeMs: 4 * H, scheduledMs: 0, lateMs: 0, earlyLeaveMs: 0 },
  },
  {
    name: 'absence is neither lateness nor early leave',
    schedule: office,
    date: MON,
    events: [],
    expected: { workedMs: 0, scheduledMs: 8 * H, lateMs: 0, earlyLeaveMs: 0, firstIn: undefined, lastOut: undefined },
  },
  {
    name: 'lunch taken as clock-out/clock-in',
    schedule: office,
    date: MON,
    events: events(BER, [...workday('09:00', '12:00'), ...workday('13:00', '17:00')]),
    expected: {
      workedMs: 7 * H,
      breakMs: 0,
      earlyLeaveMs: 0,
      firstIn: zonedTimeToEpoch(MON, '09:00', BER),
      lastOut: zonedTimeToEpoch(MON, '17:00', BER),
    },
  },
  {
    name: 'lateness is the first clock-in after the scheduled start',
    schedule: office,
    date: MON,
    events: events(BER, [...workday('07:00', '08:00'), ...workday('10:00', '17:00')]),
    expected: { lateMs: H, firstIn: zonedTimeToEpoch(MON, '07:00', BER) },
  },
  {
    name: 'open session closed by now: no lastOut, no early leave',
    schedule: office,
    date: MON,
    events: events(BER, [[MON, '09:00', 'clock-in']]),
    now: zonedTimeToEpoch(MON, '13:00', BER),
    expected: { workedMs: 4 * H, earlyLeaveMs: 0, lastOut: undefined, anomalyKinds: ['open-session'] },
  },
  {
    name: 'open session without now counts nothing',
    schedule: office,
    date: MON,
    events: events(BER, [[MON, '09:00', 'clock-in']]),
    expected: {
      workedMs: 0,
      lateMs: 0,
      earlyLeaveMs: 0,
      firstIn: zonedTimeToEpoch(MON, '09:00', BER),
      anomalyKinds: ['open-session'],
    },
  },
  {
    name: 'anomalies of the day only',
    schedule: office,
    date: MON,
    events: events(BER, [
      [MON, '09:00', 'clock-in'],
      [MON, '09:01', 'clock-in'],
      [MON, '12:00', 'break-start'],
      [MON, '17:00', 'clock-out'],
      ['2026-06-02', '08:00', 'clock-out'],
    ]),
    expected: { workedMs: 3 * H, breakMs: 5 * H, anomalyKinds: ['double-clock-in', 'unclosed-break-at-clock-out'] },
  },
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

describe('computeDay', () => {
  it.each(rows)('$name', ({ schedule, date, events: evs, now, expected }) => {
    const { anomalyKinds, ...fields } = expected;
    const day = computeDay(evs, schedule, date, now);
    // `key: undefined` in a row means "absent from the result".
    const present = Object.entries(fields).filter(([, v]) => v !== undefined);
    expect(day).toMatchObject({ date, ...Object.fromEntries(present) });
    for (const [key, value] of Object.entries(fields)) if (value === undefined) expect(day).not.toHaveProperty(key);
    if (anomalyKinds) expect(day.anomalies.map((a) => a.kind)).toEqual(anomalyKinds);
  });

  it('gives the same result for shuffled input', () => {
    const evs = events(BER, [
      [MON, '09:00', 'clock-in'],
      [MON, '12:00', 'break-start'],
      [MON, '12:30', 'break-end'],
      [MON, '17:00', 'clock-out'],
    ]);
    const shuffled = [evs[3]!, evs[1]!, evs[0]!, evs[2]!];
    expect(computeDay(shuffled, office, MON)).toEqual(computeDay(evs, office, MON));
  });

  it('shows an undated invalid event on the day asked for', () => {
    const bad = { at: Number.NaN, type: 'clock-in', source: 'agent' } as AttendanceEvent;
    expect(computeDay([bad], office, MON).anomalies.map((a) => a.kind)).toEqual(['invalid-event']);
  });

  it('throws RangeError for a malformed date, time zone or schedule time', () => {
    expect(() => computeDay([], office, '2026-06-31')).toThrow(RangeError);
    expect(() => computeDay([], { ...office, timeZone: 'Not/AZone' }, MON)).toThrow(RangeError);
    expect(() => computeDay([], { ...office, days: { 1: { start: '9am', end: '17:00' } } }, MON)).toThrow(RangeError);
  });
});

describe('computeRange', () => {
  it('splits a night shift over the Berlin fall-back night into 2 h + 7 h = 9 h', () => {
    const evs = events(BER, [
      ['2026-10-24', '22:00', 'clock-in'],
      ['2026-10-25', '06:00', 'clock-out'],
    ]);
    const r = computeRange(evs, nightsBer, '2026-10-24', '2026-10-25');
    expect(r.days.map((d) => [d.date, d.workedMs / H, d.scheduledMs / H])).toEqual([
      ['2026-10-24', 2, 2],
      ['2026-10-25', 7, 7],
    ]);
    expect(r.totals).toEqual({
      workedMs: 9 * H,
      breakMs: 0,
      lateMs: 0,
      earlyLeaveMs: 0,
      overtimeMs: 0,
      scheduledMs: 9 * H,
    });
  });

  it('sums a week and lists each anomaly once', () => {
    const evs = events(BER, [
      ...workday('09:00', '17:00', '2026-06-01'),
      ...workday('09:30', '17:00', '2026-06-02'), // 30 min late
      ...workday('09:00', '18:00', '2026-06-03'), // 1 h overtime
      ['2026-06-04', '09:00', 'clock-in'],
      ['2026-06-04', '09:10', 'clock-in'], // double
      ['2026-06-04', '16:00', 'clock-out'], // 1 h early
      ...workday('09:00', '17:00', '2026-06-05'),
      ...workday('10:00', '12:00', '2026-06-06'), // Saturday: overtime
    ]);
    evs.push({ at: Number.NaN, type: 'clock-out', source: 'manual' });
    const r = computeRange(evs, office, '2026-06-01', '2026-06-07');
    expect(r.days.map((d) => d.date)).toEqual([
      '2026-06-01',
      '2026-06-02',
      '2026-06-03',
      '2026-06-04',
      '2026-06-05',
      '2026-06-06',
      '2026-06-07',
    ]);
    expect(r.totals).toEqual({
      workedMs: 41.5 * H,
      breakMs: 0,
      lateMs: 0.5 * H,
      earlyLeaveMs: H,
      overtimeMs: 3 * H,
      scheduledMs: 40 * H,
    });
    expect(r.anomalies.map((a) => a.kind)).toEqual(['invalid-event', 'double-clock-in']);
  });

  it('is empty when fromDate is after toDate', () => {
    const r = computeRange([], office, '2026-06-07', '2026-06-01');
    expect(r).toEqual({
      days: [],
      totals: { workedMs: 0, breakMs: 0, lateMs: 0, earlyLeaveMs: 0, overtimeMs: 0, scheduledMs: 0 },
      anomalies: [],
    });
  });

  it('closes an open session at now across days', () => {
    const evs = events(BER, [['2026-06-05', '20:00', 'clock-in']]);
    const r = computeRange(evs, office, '2026-06-05', '2026-06-06', zonedTimeToEpoch('2026-06-06', '01:00', BER));
    expect(r.days.map((d) => d.workedMs / H)).toEqual([4, 1]);
    expect(r.anomalies.map((a) => a.kind)).toEqual(['open-session']);
  });
});

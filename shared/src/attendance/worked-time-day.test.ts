/** computeDay on ordinary days: breaks, grace, lateness, early leave, overtime, open sessions, anomalies. */
import { describe, expect, it } from 'vitest';
import type { AttendanceEvent } from './types.js';
import { zonedTimeToEpoch } from './time-zone.js';
import { computeDay } from './worked-time.js';
import { BER, checkDays, events, H, MIN, MON, office, type Row, workday } from './test-support/worked-time-rows.js';

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
];

describe('computeDay', () => {
  checkDays(rows);

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

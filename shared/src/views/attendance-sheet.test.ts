import { describe, it, expect } from 'vitest';
import { buildAttendanceSheet } from './attendance-sheet.js';
import { isoWeekOf, monthOf } from './calendar-periods.js';
import { BER, H, MIN, at, clock, rec } from './test-support/opened-records.js';
import type { ScheduleLayer, WorkSchedule, WorkShift } from '../schedule/schedule-types.js';
import type { OpenedRecord } from './opened-record.js';

const weekdays = (shifts: WorkShift[]): WorkShift[][] => [[], shifts, shifts, shifts, shifts, shifts, []];
const only = (weekday: number, shifts: WorkShift[]): WorkShift[][] =>
  Array.from({ length: 7 }, (_, i) => (i === weekday ? shifts : []));
const office: WorkSchedule = {
  effectiveFrom: '2026-01-01',
  timeZone: BER,
  week: weekdays([{ start: '09:00', end: '17:00' }]),
  breakMinutes: 30,
  graceMinutes: 5,
};
const orgLayer = (...versions: ScheduleLayer['versions']): ScheduleLayer => ({
  level: 'organisation',
  id: 'acme',
  issuedAt: 1,
  versions,
});
const personLayer = (id: string, ...versions: ScheduleLayer['versions']): ScheduleLayer => ({
  level: 'employee',
  id,
  issuedAt: 1,
  versions,
});
const nights: WorkSchedule = {
  effectiveFrom: '2026-01-01',
  timeZone: BER,
  week: only(6, [{ start: '22:00', end: '06:00' }]),
  breakMinutes: 0,
  graceMinutes: 0,
};
const ana = { id: 'ana', name: 'Ana Lima', timeZone: BER };
const bo = { id: 'bo', name: 'Bo Berg', timeZone: BER };
const row = (d: {
  date: string;
  workedMs: number;
  expectedMs: number;
  lateMs: number;
  earlyLeaveMs: number;
  overtimeMs: number;
  absent: boolean;
}) => [d.date, d.workedMs, d.expectedMs, d.lateMs, d.earlyLeaveMs, d.overtimeMs, d.absent];

// 2026-05-28 is a Thursday. Ana's week, office hours 09–17 with 30 min break allowance (7.5 h expected), grace 5:
const tueOut = clock(at('2026-06-02', '16:00'), 'clock-out');
const thuBreak = clock(at('2026-05-28', '12:00'), 'break-start');
const anaRecords: OpenedRecord[] = [
  // Thu: 09:00–17:00 with 12:00–12:30 break → 7.5 h worked, 0.5 h break, no overtime
  clock(at('2026-05-28', '09:00'), 'clock-in'),
  thuBreak,
  clock(at('2026-05-28', '12:30'), 'break-end'),
  clock(at('2026-05-28', '17:00'), 'clock-out'),
  // Fri: 09:20–18:00 → late 20 min (beyond grace 5), worked 8 h 40, overtime 1 h 10 over 7.5 h
  clock(at('2026-05-29', '09:20'), 'clock-in'),
  clock(at('2026-05-29', '18:00'), 'clock-out'),
  // Mon Jun 1: nothing → absent; Tue: 09:00–16:00 → early leave 1 h … until the approved move below
  clock(at('2026-06-02', '09:00'), 'clock-in'),
  tueOut,
  // a tampered clock-in on Monday is not counted: Monday stays absent
  clock(at('2026-06-01', '09:00'), 'clock-in', { integrity: 'bad-signature' }),
];
const corrections: OpenedRecord[] = [
  // approved: Tuesday's clock-out moves to 17:00 → worked 8 h, no early leave, 30 min overtime
  rec(
    'correction-request',
    {
      requestId: 'r1',
      date: '2026-06-02',
      change: 'move',
      eventType: 'clock-out',
      at: at('2026-06-02', '17:00'),
      target: tueOut.id,
      reason: 'stayed for the release',
    },
    { createdAt: at('2026-06-02', '18:00') },
  ),
  rec(
    'correction-decision',
    { requestId: 'r1', decision: 'rejected', decidedBy: 'hr-1', decidedAt: at('2026-06-02', '19:00') },
    { device: 'admin' },
  ),
  rec(
    'correction-decision',
    {
      requestId: 'r1',
      decision: 'approved',
      decidedBy: 'hr-1',
      decidedAt: at('2026-06-02', '20:00'),
      comment: 'checked with the team lead',
    },
    { device: 'admin' },
  ),
  // pending: not applied, Monday stays absent
  rec(
    'correction-request',
    {
      requestId: 'r2',
      date: '2026-06-01',
      change: 'add',
      eventType: 'clock-in',
      at: at('2026-06-01', '09:00'),
      reason: 'badge reader broken',
    },
    { createdAt: at('2026-06-02', '08:00') },
  ),
  // rejected: Thursday's break is not removed
  rec(
    'correction-request',
    {
      requestId: 'r3',
      date: '2026-05-28',
      change: 'remove',
      eventType: 'break-start',
      target: thuBreak.id,
      reason: 'no break',
    },
    { createdAt: at('2026-05-29', '08:00') },
  ),
  rec(
    'correction-decision',
    { requestId: 'r3', decision: 'rejected', decidedBy: 'hr-1', decidedAt: at('2026-05-29', '10:00') },
    { device: 'admin' },
  ),
];

describe('buildAttendanceSheet against a schedule', () => {
  const sheet = buildAttendanceSheet({
    people: [ana],
    schedules: { ana: [orgLayer(office)] },
    from: '2026-05-28',
    to: '2026-06-02',
    records: anaRecords,
    corrections,
    now: at('2026-06-03', '08:00'),
  });
  const days = sheet.people[0]!.days;
  const dayOf = (date: string) => days.find((d) => d.date === date)!;

  it.each([
    [
      '2026-05-28',
      {
        workedMs: 7.5 * H,
        breakMs: 0.5 * H,
        lateMs: 0,
        earlyLeaveMs: 0,
        overtimeMs: 0,
        expectedMs: 7.5 * H,
        breakOverMs: 0,
        absent: false,
        firstInLabel: '09:00',
        lastOutLabel: '17:00',
        shifts: ['09:00–17:00'],
        scheduleSource: 'organisation:acme',
      },
    ],
    [
      '2026-05-29',
      {
        workedMs: 8 * H + 40 * MIN,
        lateMs: 20 * MIN,
        overtimeMs: 70 * MIN,
        absent: false,
        firstInLabel: '09:20',
        lastOutLabel: '18:00',
      },
    ],
    ['2026-05-30', { workedMs: 0, expectedMs: 0, absent: false, shifts: [] }],
    ['2026-05-31', { workedMs: 0, expectedMs: 0, absent: false }],
    ['2026-06-01', { workedMs: 0, expectedMs: 7.5 * H, absent: true, corrected: false }],
    [
      '2026-06-02',
      { workedMs: 8 * H, earlyLeaveMs: 0, overtimeMs: 30 * MIN, absent: false, corrected: true, lastOutLabel: '17:00' },
    ],
  ])('%s', (date, expected) => {
    expect(dayOf(date)).toMatchObject(expected);
  });

  it('totals by ISO week and by month, cut to the range', () => {
    const p = sheet.people[0]!;
    // W22 (Thu–Sun part): 7.5 h + 8 h 40 = 16 h 10 of 15 h; W23 (Mon–Tue part): 8 h of 15 h, one absence
    expect(
      p.weeks.map((w) => [
        w.key,
        w.from,
        w.to,
        w.workedMs,
        w.expectedMs,
        w.lateMs,
        w.overtimeMs,
        w.daysWorked,
        w.absentDays,
        w.lateDays,
      ]),
    ).toEqual([
      ['2026-W22', '2026-05-28', '2026-05-31', 16 * H + 10 * MIN, 15 * H, 20 * MIN, 70 * MIN, 2, 0, 1],
      ['2026-W23', '2026-06-01', '2026-06-02', 8 * H, 15 * H, 0, 30 * MIN, 1, 1, 0],
    ]);
    expect(p.months.map((m) => [m.key, m.from, m.to, m.workedMs])).toEqual([
      ['2026-05', '2026-05-28', '2026-05-31', 16 * H + 10 * MIN],
      ['2026-06', '2026-06-01', '2026-06-02', 8 * H],
    ]);
    expect(p.totals).toMatchObject({
      workedMs: 24 * H + 10 * MIN,
      breakMs: 0.5 * H,
      expectedMs: 30 * H,
      overtimeMs: 100 * MIN,
      daysWorked: 3,
      absentDays: 1,
      lateDays: 1,
    });
    expect(p).toMatchObject({ timeZone: BER, zoneSource: 'schedule', hasSchedule: true });
  });

  it('lists corrections pending first, each with its latest decision', () => {
    expect(sheet.corrections.map((c) => [c.requestId, c.status, c.decidedBy, c.comment, c.employeeName])).toEqual([
      ['r2', 'pending', undefined, undefined, 'Ana Lima'],
      ['r3', 'rejected', 'hr-1', undefined, 'Ana Lima'],
      ['r1', 'approved', 'hr-1', 'checked with the team lead', 'Ana Lima'],
    ]);
    expect(sheet.pendingCorrections).toBe(1);
  });
});

// rows: date, worked, expected, late, early, overtime, absent — each figure hand-checked in the comment beside it
describe('midnight and DST (Europe/Berlin)', () => {
  const nightSheet = (records: OpenedRecord[], from: string, to: string, layer = orgLayer(nights)) =>
    buildAttendanceSheet({ people: [bo], schedules: { bo: [layer] }, from, to, records }).people[0]!.days.map(row);
  const shift = (inAt: number, outAt: number) => [
    clock(inAt, 'clock-in', { employee: 'bo' }),
    clock(outAt, 'clock-out', { employee: 'bo' }),
  ];

  it('a night shift counts whole on the date it starts', () => {
    // Sat 22:15 → Sun 06:00: Saturday 7 h 45 of 8 h, late 15 min; Sunday nothing scheduled, nothing counted
    expect(nightSheet(shift(at('2026-06-06', '22:15'), at('2026-06-07', '06:00')), '2026-06-06', '2026-06-07')).toEqual(
      [
        ['2026-06-06', 7.75 * H, 8 * H, 15 * MIN, 0, 0, false],
        ['2026-06-07', 0, 0, 0, 0, 0, false],
      ],
    );
  });

  it('spring forward: the night of 2026-03-29 lasts 7 h', () => {
    // Sat 22:00 CET = 21:00Z → Sun 06:00 CEST = 04:00Z: 7 h
    expect(nightSheet(shift(at('2026-03-28', '22:00'), at('2026-03-29', '06:00')), '2026-03-28', '2026-03-29')).toEqual(
      [
        ['2026-03-28', 7 * H, 7 * H, 0, 0, 0, false],
        ['2026-03-29', 0, 0, 0, 0, 0, false],
      ],
    );
  });

  it('fall back: the night of 2026-10-25 lasts 9 h, and leaving at 05:00 is 1 h early', () => {
    // Sat 22:00 CEST = 20:00Z → Sun 06:00 CET = 05:00Z: 9 h; out at 05:00 CET = 04:00Z → 8 h worked, 1 h early
    expect(nightSheet(shift(at('2026-10-24', '22:00'), at('2026-10-25', '05:00')), '2026-10-24', '2026-10-25')).toEqual(
      [
        ['2026-10-24', 8 * H, 9 * H, 0, 1 * H, 0, false],
        ['2026-10-25', 0, 0, 0, 0, 0, false],
      ],
    );
  });

  it.each([
    // Sun 00:00 CET = 23:00Z (Sat) → 12:00 CEST = 10:00Z: 11 h
    ['2026-03-29', 11 * H],
    // Sun 00:00 CEST = 22:00Z (Sat) → 12:00 CET = 11:00Z: 13 h
    ['2026-10-25', 13 * H],
  ])('a day shift 00:00–12:00 on the DST Sunday %s lasts %i ms', (date, length) => {
    const sundayMornings: WorkSchedule = { ...nights, week: only(0, [{ start: '00:00', end: '12:00' }]) };
    expect(nightSheet(shift(at(date, '00:00'), at(date, '12:00')), date, date, orgLayer(sundayMornings))).toEqual([
      [date, length, length, 0, 0, 0, false],
    ]);
  });

  it('a clock-in at 23:55 for a shift starting at midnight counts on the shift’s date', () => {
    const sundays: WorkSchedule = { ...nights, week: only(0, [{ start: '00:00', end: '08:00' }]) };
    // Sat 23:55 → Sun 08:00 overlaps Sunday's 00:00–08:00 shift: 8 h 05 on Sunday, 5 min overtime
    expect(
      nightSheet(
        shift(at('2026-06-06', '23:55'), at('2026-06-07', '08:00')),
        '2026-06-06',
        '2026-06-07',
        orgLayer(sundays),
      ),
    ).toEqual([
      ['2026-06-06', 0, 0, 0, 0, 0, false],
      ['2026-06-07', 8 * H + 5 * MIN, 8 * H, 0, 0, 5 * MIN, false],
    ]);
  });
});

describe('zones, schedule changes, holidays, split days, breaks and grace', () => {
  it('uses the schedule’s zone, else the latest device-info zone, else the reviewer’s, and says which', () => {
    // 09:00–17:00 in New York: the same instants are 15:00–23:00 for a Berlin reviewer
    const nyc: WorkSchedule = { ...office, timeZone: 'America/New_York', breakMinutes: 0 };
    const noa = { id: 'noa', name: 'Noa', timeZone: BER };
    const cy = { id: 'cy', name: 'Cy', timeZone: BER };
    const info = (zone: string, createdAt: number) =>
      rec(
        'device-info',
        { hostname: 'h', platform: 'linux', osVersion: 'x', agentVersion: '1', screens: 1, timeZone: zone },
        { employee: 'cy', createdAt },
      );
    const recs = [
      clock(at('2026-06-01', '09:00', 'America/New_York'), 'clock-in', { employee: 'noa' }),
      clock(at('2026-06-01', '17:00', 'America/New_York'), 'clock-out', { employee: 'noa' }),
      info('Europe/Lisbon', at('2026-05-01', '09:00')),
      info('Asia/Tokyo', at('2026-05-20', '09:00')),
    ];
    const s = buildAttendanceSheet({
      people: [noa, cy, ana],
      schedules: { noa: [personLayer('noa', nyc)] },
      teams: { cy: 'ops', ana: null },
      from: '2026-06-01',
      to: '2026-06-01',
      records: recs,
    });
    expect(s.people.map((p) => p.teamId)).toEqual([undefined, 'ops', undefined]);
    expect(s.people.map((p) => [p.name, p.timeZone, p.zoneSource, p.hasSchedule])).toEqual([
      ['Noa', 'America/New_York', 'schedule', true],
      ['Cy', 'Asia/Tokyo', 'device', false],
      ['Ana Lima', BER, 'reviewer', false],
    ]);
    expect(s.people[0]!.days[0]).toMatchObject({
      workedMs: 8 * H,
      expectedMs: 8 * H,
      lateMs: 0,
      overtimeMs: 0,
      firstInLabel: '09:00',
      lastOutLabel: '17:00',
      scheduleSource: 'employee:noa',
    });
    // no schedule: nothing expected, so no absence
    expect(s.people[2]!.days[0]).toMatchObject({ absent: false, workedMs: 0, expectedMs: 0 });
  });

  it('a schedule change mid-month applies from its date and leaves the days before as they were', () => {
    // team ops starts at 08:00 from Mon 2026-06-15; the organisation's 09:00 stays for the days before
    const early: WorkSchedule = {
      ...office,
      effectiveFrom: '2026-06-15',
      week: weekdays([{ start: '08:00', end: '16:00' }]),
    };
    const team: ScheduleLayer = { level: 'team', id: 'ops', issuedAt: 2, versions: [early] };
    const cy = { id: 'cy', name: 'Cy', timeZone: BER, teamId: 'ops' };
    const day = (date: string) => [
      clock(at(date, '09:00'), 'clock-in', { employee: 'cy' }),
      clock(at(date, '17:00'), 'clock-out', { employee: 'cy' }),
    ];
    const s = buildAttendanceSheet({
      people: [cy],
      schedules: { cy: [orgLayer(office), team] },
      from: '2026-06-12',
      to: '2026-06-15',
      records: [...day('2026-06-12'), ...day('2026-06-15')],
    });
    const p = s.people[0]!;
    // Fri 09–17 against 09–17: 8 h of 7.5 h; Mon 09–17 against 08–16: late 60 min, 8 h of 7.5 h
    expect(p.days.map(row)).toEqual([
      ['2026-06-12', 8 * H, 7.5 * H, 0, 0, 30 * MIN, false],
      ['2026-06-13', 0, 0, 0, 0, 0, false],
      ['2026-06-14', 0, 0, 0, 0, 0, false],
      ['2026-06-15', 8 * H, 7.5 * H, 60 * MIN, 0, 30 * MIN, false],
    ]);
    expect(p.days.map((d) => d.scheduleSource)).toEqual([
      'organisation:acme',
      'organisation:acme',
      'organisation:acme',
      'team:ops',
    ]);
    expect(p.months[0]).toMatchObject({ key: '2026-06', expectedMs: 15 * H, lateMs: 60 * MIN, lateDays: 1 });
  });

  it('a holiday is not a working day: nothing expected, no absence, work on it is overtime', () => {
    // Wed 06-03 and Thu 06-04 are holidays; Ana works 10–12 on the Wednesday
    const s = buildAttendanceSheet({
      people: [ana],
      schedules: { ana: [orgLayer(office)] },
      holidays: ['2026-06-03', '2026-06-04'],
      from: '2026-06-03',
      to: '2026-06-05',
      records: [clock(at('2026-06-03', '10:00'), 'clock-in'), clock(at('2026-06-03', '12:00'), 'clock-out')],
      now: at('2026-06-06', '08:00'),
    });
    const p = s.people[0]!;
    expect(p.days.map((d) => [...row(d), d.holiday])).toEqual([
      ['2026-06-03', 2 * H, 0, 0, 0, 2 * H, false, true],
      ['2026-06-04', 0, 0, 0, 0, 0, false, true],
      ['2026-06-05', 0, 7.5 * H, 0, 0, 0, true, false],
    ]);
    expect(p.totals).toMatchObject({ holidays: 2, absentDays: 1 });
  });

  it('a split day: lateness after lunch, grace on both ends, breaks over the allowance', () => {
    const split: WorkSchedule = {
      ...office,
      week: weekdays([
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ]),
      breakMinutes: 0,
    };
    const ed = { id: 'ed', name: 'Ed', timeZone: BER };
    const c = (date: string, time: string, type: 'clock-in' | 'clock-out' | 'break-start' | 'break-end') =>
      clock(at(date, time), type, { employee: 'ed' });
    const s = buildAttendanceSheet({
      people: [ed, { ...ed, id: 'eve', name: 'Eve' }],
      schedules: { ed: [personLayer('ed', split)], eve: [orgLayer(office)] },
      from: '2026-06-08',
      to: '2026-06-10',
      records: [
        // Mon: 08–12, back 13:30 → late 30 min on the second shift; 7.5 h of 8 h
        c('2026-06-08', '08:00', 'clock-in'),
        c('2026-06-08', '12:00', 'clock-out'),
        c('2026-06-08', '13:30', 'clock-in'),
        c('2026-06-08', '17:00', 'clock-out'),
        // Tue: in 08:04 (grace 5: not late), out 16:57 (grace: not early), no lunch clock-out → 8 h 53 of 8 h
        c('2026-06-09', '08:04', 'clock-in'),
        c('2026-06-09', '16:57', 'clock-out'),
        // Wed: out 16:50 → 10 min early
        c('2026-06-10', '08:00', 'clock-in'),
        c('2026-06-10', '16:50', 'clock-out'),
        // Eve, office hours with 30 min allowance: Mon 09–17 with a 45 min break → 15 min over the allowance
        clock(at('2026-06-08', '09:00'), 'clock-in', { employee: 'eve' }),
        clock(at('2026-06-08', '12:00'), 'break-start', { employee: 'eve' }),
        clock(at('2026-06-08', '12:45'), 'break-end', { employee: 'eve' }),
        clock(at('2026-06-08', '17:00'), 'clock-out', { employee: 'eve' }),
      ],
    });
    expect(s.people[0]!.days.map(row)).toEqual([
      ['2026-06-08', 7.5 * H, 8 * H, 30 * MIN, 0, 0, false],
      ['2026-06-09', 8 * H + 53 * MIN, 8 * H, 0, 0, 53 * MIN, false],
      ['2026-06-10', 8 * H + 50 * MIN, 8 * H, 0, 10 * MIN, 50 * MIN, false],
    ]);
    expect(s.people[0]!.days[0]!.shifts).toEqual(['08:00–12:00', '13:00–17:00']);
    expect(s.people[1]!.days[0]).toMatchObject({
      workedMs: 7.25 * H,
      breakMs: 0.75 * H,
      breakOverMs: 15 * MIN,
      expectedMs: 7.5 * H,
      overtimeMs: 0,
    });
  });

  it('does not call a shift that has not begun an absence', () => {
    const s = buildAttendanceSheet({
      people: [ana],
      schedules: { ana: [orgLayer(office)] },
      from: '2026-06-01',
      to: '2026-06-01',
      records: [],
      now: at('2026-06-01', '08:00'),
    });
    expect(s.people[0]!.days[0]!.absent).toBe(false);
  });
});

describe('calendar periods', () => {
  it.each([
    ['2026-05-28', '2026-W22', '2026-05-25', '2026-05-31'],
    ['2026-06-01', '2026-W23', '2026-06-01', '2026-06-07'],
    // 2027-01-01 is a Friday: its week's Thursday is 2026-12-31, so it is 2026-W53
    ['2027-01-01', '2026-W53', '2026-12-28', '2027-01-03'],
    // 2024-12-30 is a Monday whose Thursday is 2025-01-02: 2025-W01
    ['2024-12-30', '2025-W01', '2024-12-30', '2025-01-05'],
  ])('%s is in %s (%s…%s)', (date, key, from, to) => {
    expect(isoWeekOf(date)).toEqual({ key, from, to });
  });
  it.each([
    ['2026-02-10', '2026-02', '2026-02-01', '2026-02-28'],
    ['2028-02-10', '2028-02', '2028-02-01', '2028-02-29'],
    ['2026-12-31', '2026-12', '2026-12-01', '2026-12-31'],
  ])('%s is in month %s', (date, key, from, to) => {
    expect(monthOf(date)).toEqual({ key, from, to });
  });
});

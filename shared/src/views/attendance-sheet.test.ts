import { describe, it, expect } from 'vitest';
import { buildAttendanceSheet } from './attendance-sheet.js';
import { isoWeekOf, monthOf } from './calendar-periods.js';
import { BER, H, MIN, at, clock, rec } from './test-support/opened-records.js';
import type { Schedule } from '../attendance/types.js';
import type { OpenedRecord } from './opened-record.js';

const nine2five = { start: '09:00', end: '17:00' };
const office: Schedule = { timeZone: BER, days: { 1: nine2five, 2: nine2five, 3: nine2five, 4: nine2five, 5: nine2five }, graceMinutes: 5 };
const nights: Schedule = { timeZone: BER, days: { 6: { start: '22:00', end: '06:00' } }, graceMinutes: 0 };
const ana = { id: 'ana', name: 'Ana Lima', timeZone: BER };
const bo = { id: 'bo', name: 'Bo Berg', timeZone: BER };

// 2026-05-28 is a Thursday. Ana's week:
const tueOut = clock(at('2026-06-02', '16:00'), 'clock-out');
const thuBreak = clock(at('2026-05-28', '12:00'), 'break-start');
const anaRecords: OpenedRecord[] = [
  // Thu: 09:00–17:00 with 12:00–12:30 break → 7.5 h worked, 0.5 h break, no overtime (8 h scheduled)
  clock(at('2026-05-28', '09:00'), 'clock-in'),
  thuBreak,
  clock(at('2026-05-28', '12:30'), 'break-end'),
  clock(at('2026-05-28', '17:00'), 'clock-out'),
  // Fri: 09:20–18:00 → late 20 min (grace 5), worked 8 h 40, overtime 40 min
  clock(at('2026-05-29', '09:20'), 'clock-in'),
  clock(at('2026-05-29', '18:00'), 'clock-out'),
  // Mon Jun 1: nothing → absent; Tue: 09:00–16:00 → early leave 1 h … until the approved move below
  clock(at('2026-06-02', '09:00'), 'clock-in'),
  tueOut,
  // a tampered clock-in on Monday is not counted: Monday stays absent
  clock(at('2026-06-01', '09:00'), 'clock-in', { integrity: 'bad-signature' }),
];
const corrections: OpenedRecord[] = [
  // approved: Tuesday's clock-out moves to 17:00 → worked 8 h, no early leave
  rec('correction-request', { requestId: 'r1', date: '2026-06-02', change: 'move', eventType: 'clock-out', at: at('2026-06-02', '17:00'), target: tueOut.id, reason: 'stayed for the release' }, { createdAt: at('2026-06-02', '18:00') }),
  rec('correction-decision', { requestId: 'r1', decision: 'rejected', decidedBy: 'hr-1', decidedAt: at('2026-06-02', '19:00') }, { device: 'admin' }),
  rec('correction-decision', { requestId: 'r1', decision: 'approved', decidedBy: 'hr-1', decidedAt: at('2026-06-02', '20:00'), comment: 'checked with the team lead' }, { device: 'admin' }),
  // pending: not applied, Monday stays absent
  rec('correction-request', { requestId: 'r2', date: '2026-06-01', change: 'add', eventType: 'clock-in', at: at('2026-06-01', '09:00'), reason: 'badge reader broken' }, { createdAt: at('2026-06-02', '08:00') }),
  // rejected: Thursday's break is not removed
  rec('correction-request', { requestId: 'r3', date: '2026-05-28', change: 'remove', eventType: 'break-start', target: thuBreak.id, reason: 'no break' }, { createdAt: at('2026-05-29', '08:00') }),
  rec('correction-decision', { requestId: 'r3', decision: 'rejected', decidedBy: 'hr-1', decidedAt: at('2026-05-29', '10:00') }, { device: 'admin' }),
];

describe('buildAttendanceSheet', () => {
  const sheet = buildAttendanceSheet({
    people: [ana],
    schedules: { ana: office },
    from: '2026-05-28',
    to: '2026-06-02',
    records: anaRecords,
    corrections,
    now: at('2026-06-03', '08:00'),
  });
  const days = sheet.people[0]!.days;
  const dayOf = (date: string) => days.find((d) => d.date === date)!;

  it.each([
    ['2026-05-28', { workedMs: 7.5 * H, breakMs: 0.5 * H, lateMs: 0, earlyLeaveMs: 0, overtimeMs: 0, scheduledMs: 8 * H, absent: false, firstInLabel: '09:00', lastOutLabel: '17:00' }],
    ['2026-05-29', { workedMs: 8 * H + 40 * MIN, lateMs: 20 * MIN, overtimeMs: 40 * MIN, absent: false, firstInLabel: '09:20', lastOutLabel: '18:00' }],
    ['2026-05-30', { workedMs: 0, scheduledMs: 0, absent: false }],
    ['2026-05-31', { workedMs: 0, scheduledMs: 0, absent: false }],
    ['2026-06-01', { workedMs: 0, scheduledMs: 8 * H, absent: true, corrected: false }],
    ['2026-06-02', { workedMs: 8 * H, earlyLeaveMs: 0, overtimeMs: 0, absent: false, corrected: true, lastOutLabel: '17:00' }],
  ])('%s', (date, expected) => {
    expect(dayOf(date)).toMatchObject(expected);
  });

  it('totals by ISO week and by month, cut to the range', () => {
    const p = sheet.people[0]!;
    // W22 (Thu–Sun part): 7.5 h + 8 h 40 = 16 h 10; W23 (Mon–Tue part): 0 + 8 h, one absence
    expect(p.weeks.map((w) => [w.key, w.from, w.to, w.workedMs, w.scheduledMs, w.lateMs, w.overtimeMs, w.daysWorked, w.absentDays])).toEqual([
      ['2026-W22', '2026-05-28', '2026-05-31', 16 * H + 10 * MIN, 16 * H, 20 * MIN, 40 * MIN, 2, 0],
      ['2026-W23', '2026-06-01', '2026-06-02', 8 * H, 16 * H, 0, 0, 1, 1],
    ]);
    expect(p.months.map((m) => [m.key, m.from, m.to, m.workedMs])).toEqual([
      ['2026-05', '2026-05-28', '2026-05-31', 16 * H + 10 * MIN],
      ['2026-06', '2026-06-01', '2026-06-02', 8 * H],
    ]);
    expect(p.totals).toMatchObject({ workedMs: 24 * H + 10 * MIN, breakMs: 0.5 * H, scheduledMs: 32 * H, daysWorked: 3, absentDays: 1 });
  });

  it('lists corrections pending first, each with its latest decision', () => {
    expect(sheet.corrections.map((c) => [c.requestId, c.status, c.decidedBy, c.comment, c.employeeName])).toEqual([
      ['r2', 'pending', undefined, undefined, 'Ana Lima'],
      ['r3', 'rejected', 'hr-1', undefined, 'Ana Lima'],
      ['r1', 'approved', 'hr-1', 'checked with the team lead', 'Ana Lima'],
    ]);
    expect(sheet.pendingCorrections).toBe(1);
  });

  it('splits a night shift at midnight and keeps lateness with its start date', () => {
    // Sat 22:15 → Sun 06:00: Saturday 1 h 45 worked of 2 h scheduled, late 15 min; Sunday 6 h of 6 h
    const s = buildAttendanceSheet({
      people: [bo],
      schedules: { bo: nights },
      from: '2026-06-06',
      to: '2026-06-07',
      records: [clock(at('2026-06-06', '22:15'), 'clock-in', { employee: 'bo' }), clock(at('2026-06-07', '06:00'), 'clock-out', { employee: 'bo' })],
    });
    expect(s.people[0]!.days.map((d) => [d.date, d.workedMs, d.scheduledMs, d.lateMs, d.absent])).toEqual([
      ['2026-06-06', 1.75 * H, 2 * H, 15 * MIN, false],
      ['2026-06-07', 6 * H, 6 * H, 0, false],
    ]);
    expect(s.people[0]!.weeks).toHaveLength(1);
  });

  it('uses each person’s own zone, and no schedule means no absence', () => {
    // 09:00–17:00 in New York; the same instants are 15:00–23:00 in Berlin
    const nyc: Schedule = { ...office, timeZone: 'America/New_York' };
    const noa = { id: 'noa', name: 'Noa', timeZone: 'America/New_York' };
    const recs = [clock(at('2026-06-01', '09:00', 'America/New_York'), 'clock-in', { employee: 'noa' }), clock(at('2026-06-01', '17:00', 'America/New_York'), 'clock-out', { employee: 'noa' })];
    const s = buildAttendanceSheet({ people: [noa, ana], schedules: { noa: nyc }, from: '2026-06-01', to: '2026-06-01', records: recs });
    expect(s.people[0]!.days[0]).toMatchObject({ workedMs: 8 * H, lateMs: 0, firstInLabel: '09:00', absent: false });
    expect(s.people[1]!).toMatchObject({ hasSchedule: false });
    expect(s.people[1]!.days[0]).toMatchObject({ absent: false, workedMs: 0 });
  });

  it('does not call a shift that has not begun an absence', () => {
    const s = buildAttendanceSheet({ people: [ana], schedules: { ana: office }, from: '2026-06-01', to: '2026-06-01', records: [], now: at('2026-06-01', '08:00') });
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

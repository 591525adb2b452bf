import { describe, it, expect } from 'vitest';
import { buildAttendanceSheet } from './attendance-sheet.js';
import { BER, H, MIN, at, clock, rec } from './test-support/opened-records.js';
import { ana, office, orgLayer } from './test-support/schedule-layers.js';
import type { OpenedRecord } from './opened-record.js';

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

/** The attendance sheet across zones, schedule changes, holidays, split days, breaks and grace. */
import { describe, it, expect } from 'vitest';
import { buildAttendanceSheet } from './attendance-sheet.js';
import { BER, H, MIN, at, clock, rec } from './test-support/opened-records.js';
import { ana, office, orgLayer, personLayer, row, weekdays } from './test-support/schedule-layers.js';
import type { ScheduleLayer, WorkSchedule } from '../schedule/schedule-types.js';

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

/** The attendance sheet at midnight and over the Berlin DST nights: night shifts count on the date they start. */
import { describe, it, expect } from 'vitest';
import { buildAttendanceSheet } from './attendance-sheet.js';
import { BER, H, MIN, at, clock } from './test-support/opened-records.js';
import { orgLayer, row } from './test-support/schedule-layers.js';
import type { WorkSchedule, WorkShift } from '../schedule/schedule-types.js';
import type { OpenedRecord } from './opened-record.js';

const only = (weekday: number, shifts: WorkShift[]): WorkShift[][] =>
  Array.from({ length: 7 }, (_, i) => (i === weekday ? shifts : []));
const nights: WorkSchedule = {
  effectiveFrom: '2026-01-01',
  timeZone: BER,
  week: only(6, [{ start: '22:00', end: '06:00' }]),
  breakMinutes: 0,
  graceMinutes: 0,
};
const bo = { id: 'bo', name: 'Bo Berg', timeZone: BER };

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

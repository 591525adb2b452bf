/** computeRange: days split at midnight and DST, week totals, anomalies listed once, open sessions closed at now. */
import { describe, expect, it } from 'vitest';
import { computeRange } from './worked-time.js';
import { zonedTimeToEpoch } from './time-zone.js';
import { BER, events, H, nightsBer, office, workday } from './test-support/worked-time-rows.js';

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

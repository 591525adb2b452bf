import { describe, it, expect } from 'vitest';
import { isoWeekOf, monthOf } from './calendar-periods.js';

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

import { describe, it, expect } from 'vitest';
import { clip, overlapMs, subtract, totalMs, union } from './intervals.js';

const i = (start: number, end: number) => ({ start, end });

describe('intervals', () => {
  it('clips, dropping empty results', () => {
    expect(clip(i(0, 10), i(5, 20))).toEqual(i(5, 10));
    expect(clip(i(0, 5), i(5, 20))).toBeUndefined();
  });

  it('unions overlapping and touching intervals, dropping empty ones', () => {
    expect(union([i(5, 8), i(0, 3), i(3, 4), i(7, 10), i(12, 12)])).toEqual([i(0, 4), i(5, 10)]);
  });

  it('subtracts holes, including overlapping and out-of-range ones', () => {
    expect(subtract(i(0, 100), [i(10, 20), i(15, 30), i(-5, 2), i(90, 120)])).toEqual([i(2, 10), i(30, 90)]);
    expect(subtract(i(0, 10), [i(0, 10)])).toEqual([]);
    expect(subtract(i(0, 10), [])).toEqual([i(0, 10)]);
  });

  it('measures overlap with bounds, counting overlaps once', () => {
    expect(overlapMs([i(0, 10), i(5, 15)], i(2, 12))).toBe(10);
    expect(totalMs([])).toBe(0);
  });
});

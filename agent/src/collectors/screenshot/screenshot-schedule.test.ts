import { describe, it, expect } from 'vitest';
import { ScreenshotSchedule } from './screenshot-schedule.js';
import { seededRandom } from '../../../../test-support/seeded-random.js';

const HOUR = 3_600_000;
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % HOUR); // an hour boundary

const seeded = seededRandom;

function simulateHour(s: ScreenshotSchedule, start = T0): number[] {
  const times: number[] = [];
  let now = start;
  for (;;) {
    const at = s.next(now);
    if (at === undefined || at >= start + HOUR) return times;
    times.push(at);
    s.taken(at);
    now = at + 1;
  }
}

describe('ScreenshotSchedule', () => {
  it('is off at zero per hour', () => {
    expect(new ScreenshotSchedule(0, 'random').next(T0)).toBeUndefined();
  });

  it('fixed: at each interval start after now', () => {
    const s = new ScreenshotSchedule(12, 'fixed');
    expect(s.next(T0 + 1)).toBe(T0 + 300_000);
    expect(s.next(T0)).toBe(T0);
    expect(simulateHour(new ScreenshotSchedule(12, 'fixed'))).toEqual(
      Array.from({ length: 12 }, (_, i) => T0 + i * 300_000),
    );
  });

  it('random: exactly perHour captures, one inside each interval, not at fixed offsets', () => {
    for (const perHour of [1, 3, 6, 60]) {
      const times = simulateHour(new ScreenshotSchedule(perHour, 'random', seeded(perHour)));
      const interval = HOUR / perHour;
      expect(times).toHaveLength(perHour);
      times.forEach((t, i) => {
        expect(t).toBeGreaterThanOrEqual(T0 + i * interval);
        expect(t).toBeLessThan(T0 + (i + 1) * interval);
      });
      if (perHour >= 6) expect(new Set(times.map((t) => (t - T0) % interval)).size).toBeGreaterThan(perHour / 2);
    }
  });

  it('keeps the drawn moment when asked again, and skips an interval whose moment has passed', () => {
    const s = new ScreenshotSchedule(4, 'random', () => 0.5); // moment at the middle of each 15-min interval
    expect(s.next(T0)).toBe(T0 + 450_000);
    expect(s.next(T0 + 100)).toBe(T0 + 450_000);
    expect(s.next(T0 + 450_001)).toBe(T0 + 900_000 + 450_000);
  });

  it('catches up a moment missed during a long round, but not one passed before start', () => {
    const s = new ScreenshotSchedule(4, 'random', () => 0.1); // moment at 90 s into each 15-min interval
    expect(s.next(T0 + 100_000)).toBe(T0 + 990_000); // at start: this interval's moment has passed
    s.taken(T0 + 990_000);
    // a round of the previous interval ran until 95 s into the next one
    expect(s.next(T0 + 1_895_000, true)).toBe(T0 + 1_895_000);
    s.taken(T0 + 1_895_000);
    expect(s.next(T0 + 1_896_000, true)).toBe(T0 + 2_790_000); // this interval is done
  });

  it('never takes two in one interval, even if asked right after a capture', () => {
    const s = new ScreenshotSchedule(6, 'random', seeded(7));
    const first = s.next(T0)!;
    s.taken(first);
    const second = s.next(first)!;
    expect(Math.floor(second / 600_000)).toBe(Math.floor(first / 600_000) + 1);
  });

  it('accepts an interval override and rejects nonsense', () => {
    expect(new ScreenshotSchedule(3, 'fixed', Math.random, 500).next(T0 + 1)).toBe(T0 + 500);
    expect(() => new ScreenshotSchedule(-1, 'fixed')).toThrow(RangeError);
    expect(() => new ScreenshotSchedule(3, 'fixed', Math.random, 0)).toThrow(RangeError);
    const broken = new ScreenshotSchedule(60, 'random', () => Number.NaN);
    expect(broken.next(T0)).toBe(T0);
  });
});

import { describe, it, expect } from 'vitest';
import {
  activityPercent,
  aggregateActivity,
  activeSecondsFromEventTimes,
  type ActivitySlot,
} from './activity-percent.js';

const slot = (slotSeconds: number, activeSeconds: number, counts: Partial<ActivitySlot> = {}): ActivitySlot => ({
  start: 0,
  slotSeconds,
  activeSeconds,
  keyPresses: 0,
  clicks: 0,
  mouseMoves: 0,
  scrolls: 0,
  ...counts,
});

describe('activityPercent', () => {
  it.each([
    [600, 0, 0],
    [600, 600, 100],
    [600, 300, 50],
    [600, 299, 50], // 49.83 → 50
    [600, 2, 0], // 0.33 → 0
    [600, 3, 1], // 0.5 → 1: halves round up
    [600, 597, 100], // 99.5 → 100
    [600, 596, 99], // 99.33 → 99
    [200, 1, 1], // 0.5 → 1
    [600, 900, 100], // clamped to the slot
    [600, -10, 0], // negative active → 0
    [600, Number.NaN, 0],
    [0, 0, 0], // empty slot
    [0, 10, 0],
    [-60, 10, 0],
    [Number.NaN, 10, 0],
  ])('slot %s s with %s active s → %s %%', (slotSeconds, active, expected) => {
    expect(activityPercent(slot(slotSeconds, active))).toBe(expected);
  });
});

describe('aggregateActivity', () => {
  it('is all zeros for no slots', () => {
    expect(aggregateActivity([])).toEqual({
      percent: 0,
      slotSeconds: 0,
      activeSeconds: 0,
      keyPresses: 0,
      clicks: 0,
      mouseMoves: 0,
      scrolls: 0,
    });
  });

  it('weights by slot length instead of averaging percentages', () => {
    // 100 % of 60 s + 0 % of 540 s = 10 %, not the 50 % a plain average gives.
    const r = aggregateActivity([slot(60, 60), slot(540, 0)]);
    expect(r.percent).toBe(10);
    expect(r).toMatchObject({ slotSeconds: 600, activeSeconds: 60 });
  });

  it('rounds once, from summed seconds', () => {
    // Per slot: 0.5 % → 1 each (average 1); summed: 2/600 = 0.33 % → 0.
    expect(aggregateActivity([slot(200, 1), slot(400, 1)]).percent).toBe(0);
  });

  it('clamps each slot before summing so one over-reported slot cannot lift others', () => {
    const r = aggregateActivity([slot(60, 120), slot(60, 0)]);
    expect(r.activeSeconds).toBe(60);
    expect(r.percent).toBe(50);
  });

  it('totals the input counts, ignoring negative and non-finite ones', () => {
    const r = aggregateActivity([
      slot(600, 300, { keyPresses: 10, clicks: 2, mouseMoves: 100, scrolls: 5 }),
      slot(600, 600, { keyPresses: 5, clicks: -1, mouseMoves: Number.NaN, scrolls: 1 }),
    ]);
    expect(r).toEqual({
      percent: 75,
      slotSeconds: 1200,
      activeSeconds: 900,
      keyPresses: 15,
      clicks: 2,
      mouseMoves: 100,
      scrolls: 6,
    });
  });

  it('is 0 % when every slot is empty', () => {
    expect(aggregateActivity([slot(0, 0), slot(0, 5)]).percent).toBe(0);
  });
});

describe('activeSecondsFromEventTimes', () => {
  const start = 1_700_000_000_500; // not on a whole epoch second on purpose

  it('is 0 for no events or an empty slot', () => {
    expect(activeSecondsFromEventTimes([], start, 600)).toBe(0);
    expect(activeSecondsFromEventTimes([start], start, 0)).toBe(0);
    expect(activeSecondsFromEventTimes([start], start, -5)).toBe(0);
  });

  it('counts many events within one second once', () => {
    expect(activeSecondsFromEventTimes([start, start + 10, start + 999], start, 60)).toBe(1);
  });

  it('buckets seconds from the slot start, not from the epoch', () => {
    // start+999 and start+1000 fall into different slot seconds.
    expect(activeSecondsFromEventTimes([start + 999, start + 1_000], start, 60)).toBe(2);
  });

  it('ignores events before the slot, at or after its end, and non-finite ones', () => {
    const times = [start - 1, start, start + 59_999, start + 60_000, Number.NaN, Number.POSITIVE_INFINITY];
    expect(activeSecondsFromEventTimes(times, start, 60)).toBe(2);
  });

  it('accepts unsorted input and caps at the slot length', () => {
    const times = Array.from({ length: 10 }, (_, i) => start + (9 - i) * 1_000 + 1);
    expect(activeSecondsFromEventTimes([...times, ...times], start, 10)).toBe(10);
    expect(activeSecondsFromEventTimes(times, start, 5)).toBe(5);
  });

  it('feeds activityPercent', () => {
    const active = activeSecondsFromEventTimes([start, start + 500, start + 2_100], start, 4);
    expect(activityPercent(slot(4, active))).toBe(50);
  });
});

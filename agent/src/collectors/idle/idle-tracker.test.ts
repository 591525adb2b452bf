import { describe, it, expect } from 'vitest';
import { validatePayload, type IdlePeriodPayload } from '@sealtime/shared';
import { IdleCollector } from './idle-collector.js';
import { IdleTracker } from './idle-tracker.js';

const T0 = 1_800_000_000_000;

describe('IdleTracker', () => {
  it('opens a period at the last input once the threshold passes, and closes it on return', () => {
    const t = new IdleTracker(60, T0);
    expect(t.input(T0 + 5_000)).toBeUndefined();
    expect(t.check(T0 + 64_999)).toBeUndefined();
    expect(t.check(T0 + 65_000)).toEqual({ type: 'opened', start: T0 + 5_000, at: T0 + 65_000 });
    expect(t.check(T0 + 70_000)).toBeUndefined(); // opened once
    expect(t.isIdle).toBe(true);
    const closed = t.input(T0 + 200_000);
    expect(closed).toEqual({
      type: 'closed',
      period: { v: 1, start: T0 + 5_000, end: T0 + 199_000, cause: 'no-input', decision: 'pending' },
    });
    expect(validatePayload('idle-period', closed?.type === 'closed' ? closed.period : null)).toMatchObject({
      ok: true,
    });
    expect(t.isIdle).toBe(false);
  });

  it('counts from its own start before any input, and input resets the clock', () => {
    const t = new IdleTracker(10, T0);
    expect(t.check(T0 + 10_000)).toMatchObject({ type: 'opened', start: T0 });
    const u = new IdleTracker(10, T0);
    u.input(T0 + 9_000);
    expect(u.check(T0 + 10_000)).toBeUndefined();
    expect(u.check(T0 + 19_000)).toMatchObject({ start: T0 + 9_000 });
  });

  it('ignores late ticks that would move the last input backwards', () => {
    const t = new IdleTracker(10, T0);
    t.input(T0 + 8_000);
    t.input(T0 + 3_000);
    expect(t.check(T0 + 15_000)).toBeUndefined();
  });

  it('finishes an open period at stop and rejects bad thresholds', () => {
    const t = new IdleTracker(10, T0);
    t.check(T0 + 20_000);
    expect(t.finish(T0 + 30_000)).toMatchObject({ start: T0, end: T0 + 30_000, decision: 'pending' });
    expect(t.finish(T0 + 31_000)).toBeUndefined();
    expect(() => new IdleTracker(0, T0)).toThrow(RangeError);
    expect(() => t.setThreshold(Number.NaN)).toThrow(RangeError);
  });
});

describe('IdleCollector', () => {
  it('applies policy changes: a lower threshold at once, disabling closes the open period', async () => {
    let now = T0;
    const periods: IdlePeriodPayload[] = [];
    const opened: number[] = [];
    const c = new IdleCollector({
      policy: { enabled: true, thresholdSeconds: 300 },
      onPeriod: (p) => void periods.push(p),
      onIdleStart: (s) => void opened.push(s),
      clock: () => now,
      checkIntervalMs: 5,
    });
    c.start();
    c.input({ at: T0 + 1_000 });
    now = T0 + 62_000;
    await new Promise((r) => setTimeout(r, 20));
    expect(opened).toEqual([]);
    c.updatePolicy({ enabled: true, thresholdSeconds: 60 });
    await new Promise((r) => setTimeout(r, 20));
    expect(opened).toEqual([T0 + 1_000]);
    now = T0 + 90_000;
    c.updatePolicy({ enabled: false, thresholdSeconds: 60 });
    expect(c.isIdle).toBe(false);
    c.input({ at: T0 + 95_000 }); // disabled: nothing happens
    await c.stop();
    expect(periods).toEqual([{ v: 1, start: T0 + 1_000, end: T0 + 90_000, cause: 'no-input', decision: 'pending' }]);
  });
});

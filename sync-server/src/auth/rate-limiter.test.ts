import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { SlidingWindowLimiter } from './rate-limiter.js';

describe('SlidingWindowLimiter', () => {
  it('allows 10 attempts per minute, then refuses with the time until the oldest leaves the window', () => {
    const clock = new ManualClock(0);
    const l = new SlidingWindowLimiter({ limit: 10, windowMs: 60_000, clock });
    for (let i = 0; i < 10; i++) {
      expect(l.attempt('alice|1.2.3.4').allowed).toBe(true);
      clock.advance(1_000);
    }
    const refused = l.attempt('alice|1.2.3.4');
    expect(refused).toEqual({ allowed: false, retryAfterMs: 50_000 });
    clock.advance(49_999);
    expect(l.attempt('alice|1.2.3.4').allowed).toBe(false);
    clock.advance(1);
    // The first attempt (t=0) has left the window: exactly one more is allowed.
    expect(l.attempt('alice|1.2.3.4').allowed).toBe(true);
    expect(l.attempt('alice|1.2.3.4').allowed).toBe(false);
  });

  it('is a sliding window, not a fixed one: a burst at the end of a minute still counts', () => {
    const clock = new ManualClock(0);
    const l = new SlidingWindowLimiter({ limit: 10, windowMs: 60_000, clock });
    clock.set(59_000);
    for (let i = 0; i < 10; i++) l.attempt('k');
    clock.set(61_000); // a fixed window would have reset at 60 s
    expect(l.check('k').allowed).toBe(false);
  });

  it('keeps keys apart: another IP or account is not affected', () => {
    const clock = new ManualClock(0);
    const l = new SlidingWindowLimiter({ limit: 2, windowMs: 60_000, clock });
    l.attempt('alice|ip1');
    l.attempt('alice|ip1');
    expect(l.attempt('alice|ip1').allowed).toBe(false);
    expect(l.attempt('alice|ip2').allowed).toBe(true);
    expect(l.attempt('bob|ip1').allowed).toBe(true);
  });

  it('does not count refused attempts', () => {
    const clock = new ManualClock(0);
    const l = new SlidingWindowLimiter({ limit: 1, windowMs: 1_000, clock });
    l.attempt('k');
    for (let i = 0; i < 5; i++) {
      clock.advance(100);
      l.attempt('k');
    }
    clock.set(1_000);
    expect(l.attempt('k').allowed).toBe(true);
  });

  it('check does not record, hit does', () => {
    const l = new SlidingWindowLimiter({ limit: 1, windowMs: 1_000, clock: new ManualClock(0) });
    expect(l.check('k').allowed).toBe(true);
    expect(l.check('k').allowed).toBe(true);
    l.hit('k');
    expect(l.check('k').allowed).toBe(false);
    l.reset('k');
    expect(l.check('k').allowed).toBe(true);
  });

  it('bounds memory under a flood of distinct keys', () => {
    const clock = new ManualClock(0);
    const l = new SlidingWindowLimiter({ limit: 3, windowMs: 60_000, clock, maxKeys: 1_000 });
    for (let i = 0; i < 20_000; i++) l.attempt(`k${i}`);
    expect(l.size).toBeLessThanOrEqual(1_000);
    clock.advance(61_000);
    l.attempt('fresh');
    for (let i = 0; i < 2_000; i++) l.attempt(`z${i}`);
    expect(l.size).toBeLessThanOrEqual(1_000);
  });

  it('forgets expired keys', () => {
    const clock = new ManualClock(0);
    const l = new SlidingWindowLimiter({ limit: 3, windowMs: 1_000, clock });
    l.attempt('a');
    clock.advance(1_001);
    l.check('a');
    expect(l.size).toBe(0);
  });

  it('rejects nonsense limits', () => {
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1, clock: new ManualClock() })).toThrow(RangeError);
  });
});

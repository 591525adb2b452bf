import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdleLock } from './idle-lock.js';

describe('auto-lock after inactivity', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks once the timeout passes without input', () => {
    const onIdle = vi.fn();
    createIdleLock({ timeoutMs: 60_000, onIdle });
    vi.advanceTimersByTime(59_999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(600_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('input restarts the countdown from the last touch', () => {
    const onIdle = vi.fn();
    const lock = createIdleLock({ timeoutMs: 60_000, onIdle });
    vi.advanceTimersByTime(50_000);
    lock.touch();
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    lock.touch();
    vi.advanceTimersByTime(59_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('stop ends it without locking', () => {
    const onIdle = vi.fn();
    const lock = createIdleLock({ timeoutMs: 1_000, onIdle });
    lock.stop();
    vi.advanceTimersByTime(10_000);
    expect(onIdle).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps one timer however much input arrives', () => {
    const lock = createIdleLock({ timeoutMs: 60_000, onIdle: () => undefined });
    for (let i = 0; i < 1000; i++) lock.touch();
    expect(vi.getTimerCount()).toBe(1);
  });
});

/**
 * Time-based detectors, pure: the caller samples the clocks and passes them.
 *
 * HeartbeatGapDetector: a timer meant to fire every `expectedMs` fired late
 * by more than the tolerance on the monotonic clock, so the process did not
 * run (SIGSTOP, a debugger, starvation). Linux's monotonic clock stops during
 * system sleep, so sleep is not mistaken for this.
 *
 * ClockJumpDetector: between two samples the wall clock moved differently
 * from the monotonic clock. If a suspend-inclusive boot clock moved like the
 * wall clock, the machine slept (legitimate); otherwise the clock was changed.
 */
import { makeFlag, type IntegrityFlag } from './integrity-flag.js';

export interface ClockSample {
  wallMs: number;
  /** performance.now(): monotonic, stops in system sleep on Linux. */
  monoMs: number;
  /** Suspend-inclusive since-boot ms (Linux /proc/uptime), when available. */
  bootMs?: number;
}

export class HeartbeatGapDetector {
  private last: ClockSample | undefined;

  constructor(
    private readonly expectedMs: number,
    private readonly toleranceMs = 5000,
  ) {}

  beat(now: ClockSample): IntegrityFlag | undefined {
    const prev = this.last;
    this.last = now;
    if (!prev) return undefined;
    const late = now.monoMs - prev.monoMs - this.expectedMs;
    if (late <= this.toleranceMs) return undefined;
    const secs = Math.round((now.monoMs - prev.monoMs) / 1000);
    return makeFlag(
      'process-suspended',
      now.wallMs,
      `the agent did not run for ${secs} s (process suspended or starved); nothing was captured meanwhile`,
      {
        start: prev.wallMs,
        end: now.wallMs,
      },
    );
  }
}

export type ClockEvent =
  { type: 'clock-jump'; flag: IntegrityFlag; offsetMs: number } | { type: 'system-sleep'; start: number; end: number };

export class ClockJumpDetector {
  private last: ClockSample | undefined;

  constructor(private readonly toleranceMs = 2000) {}

  sample(now: ClockSample): ClockEvent | undefined {
    const prev = this.last;
    this.last = now;
    if (!prev) return undefined;
    const wallDelta = now.wallMs - prev.wallMs;
    const monoDelta = now.monoMs - prev.monoMs;
    const drift = wallDelta - monoDelta;
    if (Math.abs(drift) <= this.toleranceMs) return undefined;
    if (drift > 0 && now.bootMs !== undefined && prev.bootMs !== undefined) {
      const bootDelta = now.bootMs - prev.bootMs;
      // the boot clock counted the same time as the wall clock: the machine slept
      if (Math.abs(wallDelta - bootDelta) <= this.toleranceMs)
        return { type: 'system-sleep', start: prev.wallMs, end: now.wallMs };
    }
    const secs = Math.round(Math.abs(drift) / 1000);
    const flag = makeFlag(
      'clock-jump',
      now.wallMs,
      `system clock ${drift > 0 ? 'jumped forward' : 'went back'} by ${secs} s (wall clock moved ${Math.round(wallDelta / 1000)} s while ${Math.round(monoDelta / 1000)} s passed)`,
    );
    return { type: 'clock-jump', flag, offsetMs: drift };
  }
}

/**
 * Record time: a monotonic clock anchored to wall time once, so that changing
 * the system clock moves nothing that is recorded. A change is detected
 * (wall time and the anchored clock disagree by more than a tolerance) and
 * reported for an integrity alert; the clock does not follow it.
 *
 * Suspend is not a clock change: where a suspend-inclusive since-boot clock
 * exists (Linux /proc/uptime, with the boot id to know it is the same boot),
 * the time spent asleep is added. Within one boot the anchor also survives
 * restarts of the agent: time changed while the agent was stopped is caught.
 * Where no such clock exists, forward jumps are followed (they may be sleep)
 * and still reported; backward jumps never are. Time handed out never
 * decreases, not even across restarts.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface BootClock {
  /** Identifies the boot; the since-boot clock restarts with a new one. */
  id: string;
  /** ms since boot, counting time spent suspended. */
  ms: number;
}

export interface TimeSources {
  wallMs(): number;
  /** A monotonic ms counter (performance.now: stops while suspended on Linux). */
  monoMs(): number;
  /** Suspend-inclusive since-boot clock, when the platform has one. */
  boot?: (() => BootClock | undefined) | undefined;
}

/** What is persisted so the next start can check the wall clock against it. */
export interface ClockAnchor {
  wallMs: number;
  bootId?: string;
  bootMs?: number;
}

export type ClockJumpKind = 'backward' | 'forward' | 'changed-while-stopped' | 'behind-last-record';

export interface ClockJump {
  kind: ClockJumpKind;
  /** The system clock's time when the jump was noticed. */
  wallMs: number;
  /** The time the recorder uses instead. */
  trustedMs: number;
  /** wall − trusted, ms (negative: the system clock is behind). */
  offsetMs: number;
  followed: boolean;
  detail: string;
}

export interface ClockOptions {
  /** Disagreement tolerated before it counts as a jump (default 2 s). */
  toleranceMs?: number;
  /** Follow forward jumps (default: only when no boot clock is available). */
  followForwardJumps?: boolean;
}

let bootIdCache: string | undefined;

/** Linux: /proc/uptime counts suspended time; boot_id tells boots apart. */
export function linuxBootClock(): BootClock | undefined {
  try {
    bootIdCache ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const first = readFileSync('/proc/uptime', 'utf8').split(' ')[0];
    const seconds = Number(first);
    if (!bootIdCache || !Number.isFinite(seconds)) return undefined;
    return { id: bootIdCache, ms: Math.round(seconds * 1000) };
  } catch {
    return undefined;
  }
}

export const systemTimeSources: TimeSources = {
  wallMs: () => Date.now(),
  monoMs: () => performance.now(),
  boot: process.platform === 'linux' ? linuxBootClock : undefined,
};

const fmt = (ms: number) => new Date(ms).toISOString();

export class MonotonicClock {
  private anchorTrusted: number;
  private anchorMono: number;
  private anchorBoot: BootClock | undefined;
  /** Time spent suspended since the anchor, as measured by the boot clock. */
  private suspendedMs = 0;
  private last: number;
  /** wall − trusted when last reported (so a standing offset is reported once). */
  private reportedOffset = 0;
  private readonly tolerance: number;
  private readonly follow: boolean;
  /** Jumps found at start, for the recorder to turn into alerts. */
  readonly startJumps: ClockJump[] = [];

  /**
   * @param previous the anchor persisted by the last run, if any
   * @param lastRecordedMs the newest time already recorded (the chain head's createdAt)
   */
  constructor(
    private readonly sources: TimeSources = systemTimeSources,
    previous?: ClockAnchor,
    lastRecordedMs = 0,
    options: ClockOptions = {},
  ) {
    this.tolerance = options.toleranceMs ?? 2000;
    const boot = sources.boot?.();
    this.follow = options.followForwardJumps ?? boot === undefined;
    const wall = Math.floor(sources.wallMs());
    let trusted = wall;

    if (boot && previous?.bootId === boot.id && previous.bootMs !== undefined) {
      // same boot: the previous anchor plus boot time elapsed says what time it is
      const expected = Math.floor(previous.wallMs + (boot.ms - previous.bootMs));
      if (Math.abs(wall - expected) > this.tolerance) {
        trusted = expected;
        this.startJumps.push({
          kind: 'changed-while-stopped',
          wallMs: wall,
          trustedMs: expected,
          offsetMs: wall - expected,
          followed: false,
          detail: `system clock changed by ${Math.round((wall - expected) / 1000)} s while the agent was stopped (clock says ${fmt(wall)}, elapsed boot time says ${fmt(expected)})`,
        });
      }
    }
    if (trusted < lastRecordedMs) {
      this.startJumps.push({
        kind: 'behind-last-record',
        wallMs: wall,
        trustedMs: lastRecordedMs,
        offsetMs: wall - lastRecordedMs,
        followed: false,
        detail: `system clock ${fmt(wall)} is behind the last record ${fmt(lastRecordedMs)}: time continues from the last record`,
      });
      trusted = lastRecordedMs;
    }
    this.anchorTrusted = trusted;
    this.anchorMono = sources.monoMs();
    this.anchorBoot = boot;
    this.last = trusted;
    this.reportedOffset = wall - trusted;
  }

  /** The anchor to persist (so the next start within this boot can check the clock). */
  anchor(): ClockAnchor {
    const a: ClockAnchor = { wallMs: this.anchorTrusted };
    if (this.anchorBoot) {
      a.bootId = this.anchorBoot.id;
      a.bootMs = this.anchorBoot.ms;
    }
    return a;
  }

  /** Trusted epoch ms, never decreasing. */
  now(): number {
    const monoElapsed = this.sources.monoMs() - this.anchorMono;
    if (this.anchorBoot) {
      const boot = this.sources.boot?.();
      if (boot && boot.id === this.anchorBoot.id) {
        // the boot clock has 10 ms resolution: only a gap of a second or more is sleep
        const asleep = boot.ms - this.anchorBoot.ms - monoElapsed;
        if (asleep - this.suspendedMs > 1000) this.suspendedMs = asleep;
      }
    }
    const t = Math.floor(this.anchorTrusted + monoElapsed + this.suspendedMs);
    if (t > this.last) this.last = t;
    return this.last;
  }

  /** Compares the system clock with the trusted time; returns a jump once per change. */
  check(): ClockJump | undefined {
    const trusted = this.now();
    const wall = Math.floor(this.sources.wallMs());
    const offset = wall - trusted;
    if (Math.abs(offset - this.reportedOffset) <= this.tolerance) return undefined;
    const forward = offset > this.reportedOffset;
    const followed = forward && this.follow && offset > 0;
    this.reportedOffset = offset;
    const jump: ClockJump = {
      kind: forward ? 'forward' : 'backward',
      wallMs: wall,
      trustedMs: trusted,
      offsetMs: offset,
      followed,
      detail: `system clock ${forward ? 'jumped ahead' : 'went back'}: it says ${fmt(wall)}, the monotonic clock ${fmt(trusted)} (${Math.round(offset / 1000)} s apart)${
        followed ? '; followed (no suspend-aware clock on this platform: may be sleep)' : '; not followed'
      }`,
    };
    if (followed) {
      // re-anchor at the wall clock; the reported offset is now zero
      this.anchorTrusted = wall;
      this.anchorMono = this.sources.monoMs();
      this.suspendedMs = 0;
      this.anchorBoot = this.sources.boot?.();
      this.last = Math.max(this.last, wall);
      this.reportedOffset = 0;
    }
    return jump;
  }
}

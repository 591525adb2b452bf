/**
 * When to take screenshots: `perHour` per hour, one per interval of
 * 3600 s / perHour, intervals aligned to the epoch. 'fixed' takes them at the
 * start of each interval; 'random' at a moment drawn uniformly inside each
 * interval (so nobody can predict them, yet the count per hour holds). Pure:
 * the caller passes the time and may pass the random source.
 */
export type ScheduleMode = 'fixed' | 'random';

export class ScreenshotSchedule {
  readonly intervalMs: number;
  private lastTaken = -Infinity;
  private readonly offsets = new Map<number, number>();

  constructor(
    readonly perHour: number,
    readonly mode: ScheduleMode,
    private readonly random: () => number = Math.random,
    /** Overrides 3600 s / perHour (tests, benchmarks). */
    intervalMs?: number,
  ) {
    if (!Number.isFinite(perHour) || perHour < 0) throw new RangeError(`perHour must be ≥ 0, got ${perHour}`);
    this.intervalMs = intervalMs ?? (perHour > 0 ? 3_600_000 / perHour : Infinity);
    if (!(this.intervalMs > 0)) throw new RangeError(`intervalMs must be > 0, got ${intervalMs}`);
  }

  /**
   * The next capture time at or after `now`, or undefined when screenshots are
   * off (perHour 0). With `catchUp` (after a capture round that may have run
   * past this interval's moment) a missed moment of the current interval is
   * taken now; without it (at start) a passed moment waits for the next interval.
   */
  next(now: number, catchUp = false): number | undefined {
    if (!Number.isFinite(this.intervalMs)) return undefined;
    let k = Math.floor(now / this.intervalMs);
    if (k <= this.lastTaken) k = this.lastTaken + 1;
    else if (catchUp && k * this.intervalMs + this.offset(k) < now) return now;
    for (;;) {
      const at = k * this.intervalMs + this.offset(k);
      // this interval's moment has passed (started late, or it was missed): the next interval's
      if (at >= now) return at;
      k += 1;
    }
  }

  /** Marks the interval holding `at` as done: at most one capture per interval. */
  taken(at: number): void {
    const k = Math.floor(at / this.intervalMs);
    this.lastTaken = Math.max(this.lastTaken, k);
    for (const key of this.offsets.keys()) if (key <= k) this.offsets.delete(key);
  }

  private offset(k: number): number {
    if (this.mode === 'fixed') return 0;
    let o = this.offsets.get(k);
    if (o === undefined) {
      // drawn once per interval so asking again does not move the moment
      const r = this.random();
      o = Math.floor(Math.min(Math.max(Number.isFinite(r) ? r : 0, 0), 0.999999) * this.intervalMs);
      this.offsets.set(k, o);
    }
    return o;
  }
}

/**
 * Sliding-window rate limiter (a log of attempt times per key), in memory and
 * pure apart from the injected clock. Used for logins per (account, IP).
 *
 * Memory is bounded: windows are pruned as keys are touched, and past
 * `maxKeys` the stale keys are swept, then the oldest keys dropped — dropping
 * a key forgets its attempts, which only matters under a flood of distinct
 * keys, where bounded memory is worth more.
 */
import type { Clock } from './clock.js';

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  clock: Clock;
  maxKeys?: number;
}

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly maxKeys: number;

  constructor(private readonly opts: RateLimiterOptions) {
    if (!(opts.limit >= 1) || !(opts.windowMs > 0)) throw new RangeError('limit must be >= 1 and windowMs > 0');
    this.maxKeys = opts.maxKeys ?? 100_000;
  }

  /** Whether one more attempt under `key` would be allowed now, without recording it. */
  check(key: string): RateDecision {
    const now = this.opts.clock.now();
    const times = this.live(key, now);
    if (times.length < this.opts.limit) return { allowed: true, remaining: this.opts.limit - times.length };
    // The oldest attempt in the window leaves it first.
    return { allowed: false, retryAfterMs: Math.max(1, times[0]! + this.opts.windowMs - now) };
  }

  /** Records an attempt under `key`. */
  hit(key: string): void {
    const now = this.opts.clock.now();
    const times = this.live(key, now);
    times.push(now);
    this.hits.delete(key); // re-insert so Map order tracks recency
    this.hits.set(key, times);
    if (this.hits.size > this.maxKeys) this.shrink(now);
  }

  /** check + hit: the attempt is recorded only when allowed. */
  attempt(key: string): RateDecision {
    const d = this.check(key);
    if (d.allowed) {
      this.hit(key);
      return { allowed: true, remaining: d.remaining - 1 };
    }
    return d;
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  get size(): number {
    return this.hits.size;
  }

  private live(key: string, now: number): number[] {
    const times = this.hits.get(key);
    if (!times) return [];
    const from = now - this.opts.windowMs;
    let i = 0;
    while (i < times.length && times[i]! <= from) i++;
    if (i > 0) times.splice(0, i);
    if (times.length === 0) this.hits.delete(key);
    return times;
  }

  private shrink(now: number): void {
    for (const key of [...this.hits.keys()]) this.live(key, now);
    // Down to 90 % so the sweep is paid once per many new keys, not on each.
    const target = Math.floor(this.maxKeys * 0.9);
    for (const key of this.hits.keys()) {
      if (this.hits.size <= target) break;
      this.hits.delete(key);
    }
  }
}

/**
 * Idle detection as a pure state machine: no input for `thresholdSeconds`
 * opens an idle period that started at the last input; the next input closes
 * it. The closed period carries decision 'pending': the employee answers the
 * tray prompt, or the recorder applies the policy default when headless.
 *
 *   input ──┐                     ┌── input (return)
 *   ────────●·····threshold·····▲·●──────
 *           start            opened   end
 */
import type { IdlePeriodPayload } from '@sealtime/shared';

export type IdleTransition =
  { type: 'opened'; start: number; at: number } | { type: 'closed'; period: IdlePeriodPayload };

export class IdleTracker {
  private lastInput: number;
  private idleSince: number | undefined;
  private thresholdMs: number;

  constructor(thresholdSeconds: number, startedAt: number) {
    this.thresholdMs = IdleTracker.toMs(thresholdSeconds);
    // before any input, the tracker counts from its own start
    this.lastInput = startedAt;
  }

  private static toMs(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds <= 0) throw new RangeError(`thresholdSeconds must be > 0, got ${seconds}`);
    return seconds * 1000;
  }

  get isIdle(): boolean {
    return this.idleSince !== undefined;
  }

  /** Start of the open idle period, if any. */
  get openSince(): number | undefined {
    return this.idleSince;
  }

  setThreshold(seconds: number): void {
    this.thresholdMs = IdleTracker.toMs(seconds);
  }

  /**
   * Input happened in the second [at − 1 s, at). Returns the idle period it
   * ends, if one was open; the period ends where that second starts.
   */
  input(at: number): IdleTransition | undefined {
    const since = this.idleSince;
    // a late tick must not move the last input backwards
    this.lastInput = Math.max(this.lastInput, at);
    if (since === undefined) return undefined;
    this.idleSince = undefined;
    return { type: 'closed', period: this.period(since, Math.max(since, at - 1000)) };
  }

  /** Opens an idle period once the threshold has passed without input. */
  check(now: number): IdleTransition | undefined {
    if (this.idleSince !== undefined || now - this.lastInput < this.thresholdMs) return undefined;
    this.idleSince = this.lastInput;
    return { type: 'opened', start: this.lastInput, at: now };
  }

  /** Closes an open period at `now` (stop, policy off): time already idle is not lost. */
  finish(now: number): IdlePeriodPayload | undefined {
    const since = this.idleSince;
    if (since === undefined) return undefined;
    this.idleSince = undefined;
    this.lastInput = Math.max(this.lastInput, now);
    return this.period(since, Math.max(since, now));
  }

  private period(start: number, end: number): IdlePeriodPayload {
    return { v: 1, start, end, cause: 'no-input', decision: 'pending' };
  }
}

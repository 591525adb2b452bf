/**
 * Holds a refused login's answer for a moment before it is sent (up to
 * `maxHoldMs`, never past its Retry-After). A client that ignores
 * Retry-After and asks again the moment it is answered — a flood — then
 * asks once a second per connection instead of thousands of times, and the
 * event loop that also serves devices stays free. Holding costs a timer and
 * an open socket; both are capped per address and overall, and past a cap
 * the answer goes out at once.
 */
export interface LoginTarpitOptions {
  maxHoldMs?: number;
  maxHeldPerAddress?: number;
  maxHeld?: number;
}

export class LoginTarpit {
  private readonly maxHoldMs: number;
  private readonly maxPerAddress: number;
  private readonly maxHeld: number;
  private readonly held = new Map<string, number>();
  private total = 0;

  constructor(opts: LoginTarpitOptions = {}) {
    this.maxHoldMs = opts.maxHoldMs ?? 1_000;
    this.maxPerAddress = opts.maxHeldPerAddress ?? 64;
    this.maxHeld = opts.maxHeld ?? 4_096;
  }

  /** Resolves when the refusal to `ip` may be sent. */
  async hold(ip: string, retryAfterMs = this.maxHoldMs): Promise<void> {
    const mine = this.held.get(ip) ?? 0;
    const ms = Math.min(this.maxHoldMs, Math.max(0, retryAfterMs));
    if (ms === 0 || mine >= this.maxPerAddress || this.total >= this.maxHeld) return;
    this.held.set(ip, mine + 1);
    this.total++;
    try {
      await new Promise((r) => setTimeout(r, ms).unref());
    } finally {
      this.total--;
      const left = (this.held.get(ip) ?? 1) - 1;
      if (left > 0) this.held.set(ip, left);
      else this.held.delete(ip);
    }
  }

  /** Answers being held right now (a diagnostic). */
  get holding(): number {
    return this.total;
  }
}

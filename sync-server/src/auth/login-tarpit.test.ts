import { describe, expect, it } from 'vitest';
import { LoginTarpit } from './login-tarpit.js';

describe('LoginTarpit', () => {
  it('holds a refusal up to its cap, never past Retry-After', async () => {
    const t = new LoginTarpit({ maxHoldMs: 1_000 });
    let at = performance.now();
    await t.hold('10.0.0.1', 5_000);
    expect(performance.now() - at).toBeGreaterThanOrEqual(990);
    at = performance.now();
    await t.hold('10.0.0.1', 30);
    expect(performance.now() - at).toBeLessThan(500);
  });

  it('past its per-address cap answers at once, and other addresses are still held', async () => {
    const t = new LoginTarpit({ maxHoldMs: 1_000, maxHeldPerAddress: 2 });
    const held = [t.hold('10.0.0.9'), t.hold('10.0.0.9')];
    expect(t.holding).toBe(2);
    const at = performance.now();
    await t.hold('10.0.0.9');
    expect(performance.now() - at).toBeLessThan(500);
    const other = t.hold('10.0.0.8');
    expect(t.holding).toBe(3);
    await Promise.all([...held, other]);
    expect(t.holding).toBe(0);
  });
});

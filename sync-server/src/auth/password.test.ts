import { describe, expect, it } from 'vitest';
import { AuthError } from './auth-errors.js';
import { DEFAULT_PASSWORD_COST, PasswordHasher, passwordProblem } from './password.js';

describe('passwordProblem', () => {
  it.each([
    ['short', 'elevenchars', /at least 12/],
    ['not text', 12345678901234, /text/],
    ['one repeated character', 'aaaaaaaaaaaaaaaa', /distinct/],
    ['three distinct characters', 'abcabcabcabcabc', /distinct/],
    ['contains the account name', 'hello-alice-2025!', /account name/],
  ])('refuses %s', (_l, pw, why) => {
    expect(passwordProblem(pw, 'alice')).toMatch(why);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('😀😀😀😀😀😀', 'bob')).toMatch(/at least 12/); // 12 units, 6 characters
  });

  it('accepts a long passphrase', () => {
    expect(passwordProblem('correct horse battery staple', 'alice')).toBeUndefined();
  });
});

describe('PasswordHasher (Argon2id)', () => {
  const hasher = new PasswordHasher();

  it('stores algorithm, cost and salt with the hash, and verifies', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored).toMatch(/^argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hasher.verify('correct horse battery staple', stored)).toBe(true);
    expect(await hasher.verify('correct horse battery stapler', stored)).toBe(false);
    expect(await hasher.verify('', stored)).toBe(false);
  });

  it('salts per password: equal passwords hash differently', async () => {
    const a = await hasher.hash('same password here');
    const b = await hasher.hash('same password here');
    expect(a).not.toBe(b);
    expect(await hasher.verify('same password here', b)).toBe(true);
  });

  it('refuses tampered or weakened hashes instead of trusting them', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    const weaker = stored.replace('m=19456,t=2', 'm=1024,t=1');
    expect(await hasher.verify('correct horse battery staple', weaker)).toBe(false);
    const flipped = stored.slice(0, -2) + (stored.endsWith('AA') ? 'AB' : 'AA');
    expect(await hasher.verify('correct horse battery staple', flipped)).toBe(false);
    expect(await hasher.verify('x', 'not a hash')).toBe(false);
  });

  it('asks for a re-hash when the configured cost was raised', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(hasher.needsRehash(stored)).toBe(false);
    const stronger = new PasswordHasher({ cost: { opsLimit: 3, memLimitBytes: DEFAULT_PASSWORD_COST.memLimitBytes } });
    expect(stronger.needsRehash(stored)).toBe(true);
    // Old hashes still verify under the new configuration.
    expect(await stronger.verify('correct horse battery staple', stored)).toBe(true);
    const raised = await stronger.hash('correct horse battery staple');
    expect(raised).toContain('t=3');
    expect(stronger.needsRehash(raised)).toBe(false);
  });

  it('refuses work beyond its queue with a typed busy error rather than stalling everything', async () => {
    const small = new PasswordHasher({ maxPending: 2 });
    const stored = await small.hash('correct horse battery staple');
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map(() => small.verify('correct horse battery staple', stored)),
    );
    const busy = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === true)).toHaveLength(2);
    expect(busy).toHaveLength(2);
    expect((busy[0] as PromiseRejectedResult).reason).toBeInstanceOf(AuthError);
    expect(((busy[0] as PromiseRejectedResult).reason as AuthError).code).toBe('busy');
    // The queue drains: later work is accepted again.
    expect(await small.verify('correct horse battery staple', stored)).toBe(true);
  });

  it('verifyNothing costs about as much as a real check', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    await hasher.verifyNothing('warm up');
    // the least of five alternating readings each: the cost itself, without what a busy
    // machine adds to one reading (medians of three still failed at load ~8 in CI)
    const reals: number[] = [];
    const dummies: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      await hasher.verify('wrong password guess', stored);
      reals.push(performance.now() - t);
      t = performance.now();
      expect(await hasher.verifyNothing('wrong password guess')).toBe(false);
      dummies.push(performance.now() - t);
    }
    const real = Math.min(...reals);
    const dummy = Math.min(...dummies);
    expect(dummy).toBeGreaterThan(real * 0.5);
    expect(dummy).toBeLessThan(real * 2 + 50);
  });
});

describe('PasswordHasher off the event loop', () => {
  it('hashes on a worker thread: timers keep firing while hashes run', async () => {
    const hasher = new PasswordHasher();
    const stored = await hasher.hash('correct horse battery staple');
    // the longest gap between 5 ms ticks while four checks run back to back
    let last = performance.now();
    let worst = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 5);
    // batches of four checks until the hashing has taken long enough to measure
    // (a fast, quiet machine does four in under 100 ms)
    const t0 = performance.now();
    let checks = 0;
    while (performance.now() - t0 < 150 && checks < 64) {
      await Promise.all([1, 2, 3, 4].map(() => hasher.verify('correct horse battery staple', stored)));
      checks += 4;
    }
    const spent = performance.now() - t0;
    clearInterval(tick);
    await hasher.close();
    expect(spent).toBeGreaterThan(100);
    // on the event loop each hash would be one gap of its whole length, about spent / checks
    expect(worst).toBeLessThan(spent / checks / 2);
  });

  it('gives one owner at most its share of the queue (429), never others', async () => {
    const hasher = new PasswordHasher({ maxPending: 8, maxPerOwner: 2 });
    const stored = await hasher.hash('correct horse battery staple');
    const flood = await Promise.allSettled([1, 2, 3, 4, 5].map(() => hasher.verify('guess', stored, '10.0.0.9')));
    const other = hasher.verify('correct horse battery staple', stored, '10.0.0.1');
    const refused = flood
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason as AuthError);
    expect(refused).toHaveLength(3);
    expect(refused.every((e) => e.code === 'rate-limited' && e.status === 429 && e.retryAfterMs! > 0)).toBe(true);
    expect(await other).toBe(true);
    await hasher.close();
  });
});

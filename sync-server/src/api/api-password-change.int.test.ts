// Changing one's own password over real HTTP: guesses at the current password
// are throttled like logins (429 past the limit, before any hashing) and each
// failure is in the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startApiFixture, type ApiFixture } from './test-support/api-fixture.js';

const API = '/_sealtime/api';

describe('password change', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await startApiFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('answers a flood of wrong current passwords with 429 and audits every failure', async () => {
    const token = await f.person('gina', 'member');
    const change = (currentPassword: string) =>
      f.request({ bearer: token }, 'POST', `${API}/users/gina/password`, {
        password: 'a brand new long passphrase',
        currentPassword,
      });
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await change(`wrong guess ${i}`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
    // refused before hashing even with the right one, until the window passes
    const limited = await change(PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate-limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const failures = (await f.auditEntries()).filter(
      (e) => e.action === 'user.set-password.failure' && e.target === 'user:gina',
    );
    expect(failures.map((e) => e.details?.reason)).toEqual([
      ...Array(10).fill('wrong-current-password'),
      ...Array(6).fill('rate-limited'),
    ]);
    expect(failures[0]).toMatchObject({ actor: 'user:gina', ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(JSON.stringify(failures)).not.toContain('wrong guess');

    f.clock.advance(61_000);
    expect((await change(PASSWORD)).status).toBe(200);
    expect((await f.login('gina', 'a brand new long passphrase')).status).toBe(200);
  });
});

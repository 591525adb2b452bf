import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbNames } from '../provisioning/db-names.js';
import { AuthError } from './auth-errors.js';
import { PASSWORD, startAuthFixture, type AuthFixture } from './test-support/auth-fixture.js';
import { sha256Hex } from './tokens.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function expectAuthError(p: Promise<unknown>, code: string): Promise<AuthError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AuthError);
  expect((e as AuthError).code).toBe(code);
  return e as AuthError;
}

describe('login, sessions and their audit trail (real PouchDB server)', () => {
  let f: AuthFixture;

  beforeAll(async () => {
    f = await startAuthFixture();
    await f.users.createUser(f.operator, { id: 'alice', role: 'admin', password: PASSWORD });
    await f.users.createUser(f.operator, { id: 'bob', role: 'member', password: PASSWORD, employeeId: 'e-bob' });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('logs in with the right password and the token authenticates', async () => {
    const r = await f.sessions.login('alice', PASSWORD, '10.0.0.1', 'admin-desktop/1.0');
    expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.sessionId).toBe(sha256Hex(r.token));
    expect(r.role).toBe('admin');
    const p = await f.identity.authenticate(bearer(r.token), '10.0.0.1');
    expect(p).toMatchObject({ type: 'person', userId: 'alice', role: 'admin', sessionId: r.sessionId });
  });

  it('stores only the token hash, never the token', async () => {
    const r = await f.sessions.login('alice', PASSWORD, '10.0.0.1', null);
    const all = await f.server.nano.use(dbNames.system).list({ include_docs: true });
    const text = JSON.stringify(all.rows);
    expect(text).not.toContain(r.token);
    expect(text).toContain(`session:${r.sessionId}`);
    expect(text).not.toContain(PASSWORD);
  });

  it('refuses a wrong password, an unknown and a malformed account alike', async () => {
    const a = await expectAuthError(
      f.sessions.login('alice', 'wrong password here', '10.0.0.2', 'ua'),
      'invalid-credentials',
    );
    const b = await expectAuthError(f.sessions.login('nobody', PASSWORD, '10.0.0.2', 'ua'), 'invalid-credentials');
    const c = await expectAuthError(f.sessions.login('../etc', PASSWORD, '10.0.0.2', 'ua'), 'invalid-credentials');
    expect(new Set([a.message, b.message, c.message]).size).toBe(1);
    expect(a.status).toBe(401);
    await expectAuthError(f.sessions.login(42, {}, '10.0.0.2', null), 'invalid-credentials');
  });

  it('audits every success and failure with time, IP and user agent', async () => {
    const entries = await f.auditEntries();
    const failures = entries.filter((e) => e.action === 'login.failure' && e.ip === '10.0.0.2');
    expect(failures.map((e) => e.details?.reason).sort()).toEqual([
      'malformed',
      'malformed',
      'unknown-account',
      'wrong-password',
    ]);
    const ok = entries.filter((e) => e.action === 'login.success' && e.ip === '10.0.0.1');
    expect(ok.length).toBe(2);
    expect(ok[0]).toMatchObject({ actor: 'user:alice', userAgent: 'admin-desktop/1.0', at: f.clock.now() });
    expect(ok[0]!.atIso).toBe(new Date(f.clock.now()).toISOString());
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
  });

  it('rate-limits to 10 attempts a minute per account and IP, and audits the refusals', async () => {
    for (let i = 0; i < 10; i++) {
      await expectAuthError(f.sessions.login('bob', `wrong password ${i}`, '10.9.9.9', 'bot'), 'invalid-credentials');
    }
    // Even the right password is refused now, from this IP, for this account.
    const e = await expectAuthError(f.sessions.login('bob', PASSWORD, '10.9.9.9', 'bot'), 'rate-limited');
    expect(e.status).toBe(429);
    expect(e.retryAfterMs).toBeGreaterThan(0);
    // Another IP, or another account from the same IP, is unaffected.
    await f.sessions.login('bob', PASSWORD, '10.9.9.10', 'laptop');
    await expectAuthError(f.sessions.login('alice', 'wrong password x', '10.9.9.9', 'bot'), 'invalid-credentials');
    f.clock.advance(60_001);
    await f.sessions.login('bob', PASSWORD, '10.9.9.9', 'bot');
    const limited = (await f.auditEntries()).filter((x) => x.details?.reason === 'rate-limited');
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ target: 'user:bob', ip: '10.9.9.9' });
  });

  it('limits one address across account names (made-up names too), and audits a flood of refusals once per 10 s', async () => {
    for (let i = 0; i < 30; i++) {
      await expectAuthError(
        f.sessions.login(`ghost-${i}`, 'made up password', '10.7.7.7', 'bot'),
        'invalid-credentials',
      );
    }
    // a new name is no way around it, nor is a real account's right password, from this address
    await expectAuthError(f.sessions.login('ghost-new', 'made up password', '10.7.7.7', 'bot'), 'rate-limited');
    await expectAuthError(f.sessions.login('bob', PASSWORD, '10.7.7.7', 'bot'), 'rate-limited');
    await expectAuthError(f.sessions.login('bob', PASSWORD, '10.7.7.7', 'bot'), 'rate-limited');
    // other addresses are untouched
    await f.sessions.login('bob', PASSWORD, '10.7.7.8', 'laptop');
    f.clock.advance(10_001);
    await expectAuthError(f.sessions.login('ghost-later', 'made up password', '10.7.7.7', 'bot'), 'rate-limited');
    const limited = (await f.auditEntries()).filter((x) => x.details?.reason === 'rate-limited' && x.ip === '10.7.7.7');
    expect(limited.map((x) => x.details?.suppressed ?? 0)).toEqual([0, 2]);
    f.clock.advance(60_001);
    await f.sessions.login('bob', PASSWORD, '10.7.7.7', 'bot');
  });

  it('expires a session after 30 minutes without activity, and activity keeps it alive', async () => {
    const { token } = await f.sessions.login('bob', PASSWORD, '10.0.0.3', null);
    for (let i = 0; i < 4; i++) {
      f.clock.advance(20 * 60_000); // 80 minutes in all, never 30 idle
      expect(await f.identity.authenticate(bearer(token), '10.0.0.3')).not.toBeNull();
    }
    // The touch is written in the background; wait for it to land before idling.
    await new Promise((r) => setTimeout(r, 200));
    f.clock.advance(30 * 60_000 + 1);
    expect(await f.identity.authenticate(bearer(token), '10.0.0.3')).toBeNull();
  });

  it('records lastSeenAt in st-system', async () => {
    const { token, sessionId } = await f.sessions.login('bob', PASSWORD, '10.0.0.3', null);
    const start = f.clock.now();
    f.clock.advance(5 * 60_000);
    await f.identity.authenticate(bearer(token), '10.0.0.3');
    await expect
      .poll(async () => {
        const doc = (await f.server.nano.use(dbNames.system).get(`session:${sessionId}`)) as unknown as {
          value: { lastSeenAt: number };
        };
        return doc.value.lastSeenAt;
      })
      .toBe(start + 5 * 60_000);
  });

  it('ends sessions after the maximum age however active', async () => {
    const { token } = await f.sessions.login('bob', PASSWORD, '10.0.0.4', null);
    for (let h = 0; h < 12 * 3; h++) {
      f.clock.advance(20 * 60_000);
      await f.identity.authenticate(bearer(token), '10.0.0.4');
    }
    f.clock.advance(20 * 60_000);
    expect(await f.identity.authenticate(bearer(token), '10.0.0.4')).toBeNull();
  });

  it('logout ends the session at once; a second logout is a no-op', async () => {
    const { token, sessionId } = await f.sessions.login('bob', PASSWORD, '10.0.0.5', 'ua');
    expect(await f.sessions.logout(token, '10.0.0.5', 'ua')).toBe(true);
    expect(await f.identity.authenticate(bearer(token), '10.0.0.5')).toBeNull();
    expect(await f.sessions.logout(token, '10.0.0.5', 'ua')).toBe(false);
    expect(await f.sessions.logout('garbage', null, null)).toBe(false);
    const e = (await f.auditEntries()).filter((x) => x.action === 'logout');
    expect(e.map((x) => x.target)).toContain(`session:${sessionId}`);
  });

  it("revokes one session, or all of a user's, at once", async () => {
    const s1 = await f.sessions.login('bob', PASSWORD, '10.0.0.6', null);
    const s2 = await f.sessions.login('bob', PASSWORD, '10.0.0.7', null);
    const s3 = await f.sessions.login('bob', PASSWORD, '10.0.0.8', null);
    const alice = await f.identity.authenticate(
      bearer((await f.sessions.login('alice', PASSWORD, '10.0.0.1', null)).token),
      '10.0.0.1',
    );
    if (!alice || alice.type !== 'person') throw new Error('alice should be logged in');
    const adminActor = { kind: 'person' as const, principal: alice, ip: '10.0.0.1', userAgent: 'admin-desktop' };

    await f.sessions.revokeSession(adminActor, s1.sessionId);
    expect(await f.identity.authenticate(bearer(s1.token), 'x')).toBeNull();
    expect(await f.identity.authenticate(bearer(s2.token), 'x')).not.toBeNull();

    const ended = await f.sessions.revokeAllForUser(adminActor, 'bob');
    expect(ended).toBeGreaterThanOrEqual(2);
    expect(await f.identity.authenticate(bearer(s2.token), 'x')).toBeNull();
    expect(await f.identity.authenticate(bearer(s3.token), 'x')).toBeNull();

    const entries = await f.auditEntries();
    const revoke = entries.find((x) => x.action === 'session.revoke');
    expect(revoke).toMatchObject({ actor: 'user:alice', ip: '10.0.0.1', target: `session:${s1.sessionId}` });
    expect(revoke!.diff).toEqual([{ path: 'revokedAt', from: null, to: f.clock.now() }]);
    expect(entries.find((x) => x.action === 'session.revoke-all')).toMatchObject({
      target: 'user:bob',
      details: { ended },
    });
  });

  it("a member may end their own sessions but not someone else's", async () => {
    const bobLogin = await f.sessions.login('bob', PASSWORD, '10.0.0.9', null);
    const bob = await f.identity.authenticate(bearer(bobLogin.token), 'x');
    if (!bob || bob.type !== 'person') throw new Error('bob should be logged in');
    const bobActor = { kind: 'person' as const, principal: bob, ip: null, userAgent: null };
    const aliceLogin = await f.sessions.login('alice', PASSWORD, '10.0.0.1', null);
    await expectAuthError(f.sessions.revokeSession(bobActor, aliceLogin.sessionId), 'forbidden');
    await expectAuthError(f.sessions.revokeAllForUser(bobActor, 'alice'), 'forbidden');
    await expectAuthError(f.sessions.revokeSession(bobActor, 'not-a-session'), 'not-found');
    expect(await f.sessions.revokeAllForUser(bobActor, 'bob')).toBeGreaterThanOrEqual(1);
    expect(await f.identity.authenticate(bearer(aliceLogin.token), 'x')).not.toBeNull();
  });

  it('a store outage is a typed 503, not a crash or a 401', async () => {
    await f.server.stop();
    try {
      const e = await expectAuthError(f.sessions.login('carol', PASSWORD, '10.1.1.1', null), 'store-unavailable');
      expect(e.status).toBe(503);
    } finally {
      await f.server.start();
    }
    // The failed attempt's audit entry was kept and arrives once the server is back.
    await expect
      .poll(async () => (await f.auditEntries()).some((x) => x.action === 'login.failure' && x.ip === '10.1.1.1'), {
        timeout: 10_000,
      })
      .toBe(true);
  });
});

// People over real HTTP against the composed server (embedded engine on disk):
// login, rate limit, sessions, roles, and the audit trail of it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './test-support/api-fixture.js';

const API = '/_sealtime/api';

describe('people API', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await startApiFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('logs in with the right password and says who is asking', async () => {
    await f.s.services.users.createUser(
      { kind: 'system', name: 'test' },
      { id: 'ada', role: 'admin', password: 'ada has a long passphrase' },
    );
    const r = await f.login('ada', 'ada has a long passphrase', { 'user-agent': 'admin-app/1' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ userId: 'ada', role: 'admin', inactivityMs: 30 * 60_000 });
    expect(r.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.body.sessionId).toMatch(/^[0-9a-f]{64}$/);
    const me = await f.request({ bearer: r.body.token }, 'GET', `${API}/me`);
    expect(me).toMatchObject({
      status: 200,
      body: { type: 'person', userId: 'ada', role: 'admin', teams: [], employeeId: null },
    });
  });

  it('refuses a wrong password or unknown account with 401, and the 11th attempt in a minute with 429', async () => {
    await f.s.services.users.createUser(
      { kind: 'system', name: 'test' },
      { id: 'bob', role: 'member', password: 'bob has a long passphrase' },
    );
    const wrong = await f.login('bob', 'not the right one at all');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid-credentials', reason: 'wrong account name or password' });
    expect((await f.login('nobody-here', 'whatever it may be')).status).toBe(401);
    for (let i = 2; i <= 10; i++) expect((await f.login('bob', `wrong password ${i}`)).status).toBe(401);
    // the 11th is refused even with the right password, before any hashing
    const limited = await f.login('bob', 'bob has a long passphrase');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate-limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    f.clock.advance(61_000);
    expect((await f.login('bob', 'bob has a long passphrase')).status).toBe(200);
  });

  it('a revoked session stops working at once; logout ends the own session', async () => {
    const token = await f.person('carl', 'member');
    const mine = await f.request({ bearer: token }, 'GET', `${API}/sessions`);
    expect(mine.status).toBe(200);
    expect(mine.body.sessions).toHaveLength(1);
    expect(mine.body.sessions[0]).toMatchObject({
      userId: 'carl',
      state: 'live',
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    const sessionId = mine.body.sessions[0].sessionId as string;

    const revoked = await f.request({ bearer: f.root }, 'DELETE', `${API}/sessions/${sessionId}`);
    expect(revoked).toMatchObject({ status: 200, body: { ok: true } });
    expect((await f.request({ bearer: token }, 'GET', `${API}/me`)).status).toBe(401);
    const list = await f.request({ bearer: f.root }, 'GET', `${API}/sessions?userId=carl`);
    expect(list.body.sessions[0].state).toBe('revoked');

    const again = (await f.login('carl')).body.token as string;
    expect((await f.request({ bearer: again }, 'POST', `${API}/logout`)).status).toBe(200);
    expect((await f.request({ bearer: again }, 'GET', `${API}/me`)).status).toBe(401);
  });

  it('a session ends after 30 minutes without activity, and activity keeps it alive', async () => {
    const token = await f.person('dora', 'hr');
    f.clock.advance(20 * 60_000);
    expect((await f.request({ bearer: token }, 'GET', `${API}/me`)).status).toBe(200);
    f.clock.advance(20 * 60_000); // 40 min since login, 20 since the last request
    expect((await f.request({ bearer: token }, 'GET', `${API}/me`)).status).toBe(200);
    f.clock.advance(30 * 60_000 + 1);
    const expired = await f.request({ bearer: token }, 'GET', `${API}/me`);
    expect(expired.status).toBe(401);
    expect(expired.body.error).toBe('invalid-credentials');
  });

  it('roles: members and managers cannot manage accounts or create codes; admins cannot create admins', async () => {
    const member = await f.person('erin', 'member', { employeeId: 'erin' });
    const manager = await f.person('max', 'manager', { teams: ['t1'] });
    const admin = (await f.login('ada', 'ada has a long passphrase')).body.token as string;
    const newUser = { id: 'fred', password: 'his own long passphrase', role: 'member' };
    const code = { employeeId: 'erin', orgKeyFingerprint: '0123456789abcdef0123456789abcdef' };
    for (const t of [member, manager]) {
      expect((await f.request({ bearer: t }, 'POST', `${API}/users`, newUser)).status).toBe(403);
      expect((await f.request({ bearer: t }, 'GET', `${API}/users`)).status).toBe(403);
      expect((await f.request({ bearer: t }, 'POST', `${API}/enrollment-codes`, code)).status).toBe(403);
      expect((await f.request({ bearer: t }, 'GET', `${API}/audit`)).status).toBe(403);
      expect((await f.request({ bearer: t }, 'GET', `${API}/status`)).status).toBe(403);
    }
    // nothing was provisioned by the refused code requests
    expect(await f.s.server.engine.nano.db.list()).not.toContain('st-emp-erin-records');
    // a manager sees devices of assigned teams only
    expect((await f.request({ bearer: manager }, 'GET', `${API}/devices?employeeId=erin`)).status).toBe(403);
    await f.s.server.provisioner.provisionEmployee({ employeeId: 'tina', teamId: 't1' });
    expect(await f.request({ bearer: manager }, 'GET', `${API}/devices?employeeId=tina`)).toMatchObject({
      status: 200,
      body: { devices: [] },
    });
    expect((await f.request({ bearer: manager }, 'GET', `${API}/devices`)).status).toBe(403);

    expect((await f.request({ bearer: admin }, 'POST', `${API}/users`, { ...newUser, role: 'admin' })).status).toBe(
      403,
    );
    const created = await f.request({ bearer: admin }, 'POST', `${API}/users`, newUser, {
      'user-agent': 'admin-app/1',
    });
    expect(created.body).toMatchObject({ id: 'fred' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'fred', role: 'member', disabled: false });
    expect(created.body.passwordHash).toBeUndefined();
    expect((await f.request({ bearer: admin }, 'POST', `${API}/users`, newUser)).status).toBe(409);
    const users = await f.request({ bearer: admin }, 'GET', `${API}/users`);
    expect(users.body.users.map((u: { id: string }) => u.id)).toContain('fred');

    const patched = await f.request({ bearer: admin }, 'PATCH', `${API}/users/fred`, {
      role: 'manager',
      teams: ['t1'],
    });
    expect(patched).toMatchObject({ status: 200, body: { role: 'manager', teams: ['t1'] } });
    const fred = (await f.login('fred', 'his own long passphrase')).body.token as string;
    expect((await f.request({ bearer: admin }, 'PATCH', `${API}/users/fred`, { disabled: true })).status).toBe(200);
    expect((await f.request({ bearer: fred }, 'GET', `${API}/me`)).status).toBe(401); // disabling ends sessions at once
    const pw = await f.request({ bearer: member }, 'POST', `${API}/users/erin/password`, {
      password: 'a brand new passphrase',
      currentPassword: 'wrong',
    });
    expect(pw.status).toBe(401);
  });

  it('audits login events with time and IP, and account changes with before/after', async () => {
    const entries = await f.auditEntries();
    const success = entries.find((e) => e.action === 'login.success' && e.actor === 'user:ada')!;
    expect(success).toMatchObject({
      ip: expect.stringMatching(/127\.0\.0\.1/),
      userAgent: 'admin-app/1',
      at: expect.any(Number),
    });
    const failures = entries.filter((e) => e.action === 'login.failure' && e.target === 'user:bob');
    expect(failures.map((e) => e.details?.reason)).toEqual([...Array(10).fill('wrong-password'), 'rate-limited']);
    const create = entries.find((e) => e.action === 'user.create' && e.target === 'user:fred')!;
    expect(create).toMatchObject({
      actor: 'user:ada',
      userAgent: 'admin-app/1',
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(create.diff).toEqual(
      expect.arrayContaining([
        { path: 'role', to: 'member' },
        { path: 'passwordHash', to: '[redacted]' },
      ]),
    );
    const update = entries.find((e) => e.action === 'user.update' && e.target === 'user:fred')!;
    expect(update.diff).toEqual(expect.arrayContaining([{ path: 'role', from: 'member', to: 'manager' }]));
    const revoke = entries.find((e) => e.action === 'session.revoke')!;
    expect(revoke).toMatchObject({
      actor: 'user:root',
      diff: [{ path: 'revokedAt', from: null, to: expect.any(Number) }],
    });

    // admins read the same trail over HTTP, from a point in time
    const root = (await f.login('root')).body.token as string; // the first session expired with the clock moves above
    const api = await f.request({ bearer: root }, 'GET', `${API}/audit?since=${success.at}&limit=500`);
    expect(api.status).toBe(200);
    expect(api.body.entries.every((e: { at: number }) => e.at >= success.at)).toBe(true);
    expect(api.body.entries.map((e: { action: string }) => e.action)).toContain('user.create');
    expect(JSON.stringify(entries)).not.toContain('long passphrase');
  });
});

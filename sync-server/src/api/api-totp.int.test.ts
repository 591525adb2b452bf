// TOTP second factor over real HTTP against the composed server: setup and
// enable, login with a code, wrong and replayed codes, throttling, recovery
// codes, the sealed secret at rest, and the policy for admins and HR.
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbNames } from '../provisioning/db-names.js';
import { PASSWORD, startApiFixture, type ApiFixture } from './test-support/api-fixture.js';

const API = '/_sealtime/api';

function codeAt(secret: string, at: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at,
  });
}

/** Sets up and enables TOTP for the session's account; returns the secret and recovery codes. */
async function enable(f: ApiFixture, token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await f.request({ bearer: token }, 'POST', `${API}/totp/setup`, {});
  expect(setup.status).toBe(200);
  const on = await f.request({ bearer: token }, 'POST', `${API}/totp/enable`, {
    code: codeAt(setup.body.secret, f.clock.now()),
  });
  expect(on.status).toBe(200);
  return { secret: setup.body.secret, recoveryCodes: on.body.recoveryCodes };
}

describe('TOTP second factor', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await startApiFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('sets up with a URI shown once, confirms with a first code, then logins need a code; a replayed code is refused', async () => {
    const token = await f.person('tina', 'admin');
    const setup = await f.request({ bearer: token }, 'POST', `${API}/totp/setup`, {});
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/Sealtime:tina\?.*secret=[A-Z2-7]{32}/);
    expect(setup.body.uri).toContain('period=30');
    const secret = setup.body.secret as string;

    expect(
      (
        await f.request({ bearer: token }, 'POST', `${API}/totp/enable`, {
          code: '000000' === codeAt(secret, f.clock.now()) ? '111111' : '000000',
        })
      ).body.error,
    ).toBe('invalid-totp');
    const on = await f.request({ bearer: token }, 'POST', `${API}/totp/enable`, {
      code: codeAt(secret, f.clock.now()),
    });
    expect(on.status).toBe(200);
    expect(on.body.recoveryCodes).toHaveLength(10);
    expect(new Set(on.body.recoveryCodes).size).toBe(10);
    expect((await f.request({ bearer: token }, 'GET', `${API}/totp`)).body).toMatchObject({
      enabled: true,
      recoveryCodesLeft: 10,
      required: false,
    });

    const bare = await f.login('tina');
    expect(bare.status).toBe(401);
    expect(bare.body.error).toBe('totp-required');
    expect(bare.body.token).toBeUndefined();
    // the code used to enable is spent: the next step's code is needed
    expect(
      (
        await f.request(null, 'POST', `${API}/login`, {
          userId: 'tina',
          password: PASSWORD,
          totp: codeAt(secret, f.clock.now()),
        })
      ).body.error,
    ).toBe('invalid-totp');
    f.clock.advance(30_000);
    const code = codeAt(secret, f.clock.now());
    const good = await f.request(null, 'POST', `${API}/login`, { userId: 'tina', password: PASSWORD, totp: code });
    expect(good.status).toBe(200);
    expect(good.body.scope).toBe('full');
    const replay = await f.request(null, 'POST', `${API}/login`, { userId: 'tina', password: PASSWORD, totp: code });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: 'invalid-totp', reason: expect.stringMatching(/used already/) });
    // a code from one step back is still accepted (clock drift), one from two steps back is not
    f.clock.advance(60_000);
    expect(
      (
        await f.request(null, 'POST', `${API}/login`, {
          userId: 'tina',
          password: PASSWORD,
          totp: codeAt(secret, f.clock.now() - 60_000),
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await f.request(null, 'POST', `${API}/login`, {
          userId: 'tina',
          password: PASSWORD,
          totp: codeAt(secret, f.clock.now() - 30_000),
        })
      ).status,
    ).toBe(200);
  });

  it('keeps the secret sealed and recovery codes hashed in st-system, and out of account listings', async () => {
    const token = await f.person('sam', 'member');
    const { secret, recoveryCodes } = await enable(f, token);
    const raw = JSON.stringify(await f.s.server.engine.nano.use(dbNames.system).get('user:sam'));
    expect(raw).toMatch(/"secret":"v1\./);
    expect(raw).not.toContain(secret);
    expect(raw.toLowerCase()).not.toContain(secret.toLowerCase());
    for (const c of recoveryCodes) expect(raw).not.toContain(c.replace('-', ''));
    const list = await f.request({ bearer: f.root }, 'GET', `${API}/users`);
    const sam = list.body.users.find((u: { id: string }) => u.id === 'sam');
    expect(sam).toMatchObject({ id: 'sam', totpEnabled: true });
    expect(JSON.stringify(list.body)).not.toMatch(/v1\.|recoveryCodeHashes|totpPending/);
  });

  it('audits and throttles wrong codes per account; a recovery code works once', async () => {
    const token = await f.person('wes', 'member');
    const { secret, recoveryCodes } = await enable(f, token);
    f.clock.advance(30_000);
    for (let i = 0; i < 5; i++) {
      const wrong = await f.request(null, 'POST', `${API}/login`, {
        userId: 'wes',
        password: PASSWORD,
        totp: String(100000 + i),
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('invalid-totp');
    }
    const limited = await f.request(null, 'POST', `${API}/login`, {
      userId: 'wes',
      password: PASSWORD,
      totp: codeAt(secret, f.clock.now()),
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const failures = (await f.auditEntries()).filter((e) => e.action === 'totp.failure' && e.target === 'user:wes');
    expect(failures).toHaveLength(5);
    expect(failures[0]).toMatchObject({
      ip: expect.stringMatching(/127\.0\.0\.1/),
      details: { purpose: 'login', reason: 'wrong-code' },
    });

    f.clock.advance(5 * 60_000 + 1);
    const rc = recoveryCodes[3]!;
    const first = await f.request(null, 'POST', `${API}/login`, {
      userId: 'wes',
      password: PASSWORD,
      recoveryCode: rc.toUpperCase(),
    });
    expect(first.status).toBe(200);
    const again = await f.request(null, 'POST', `${API}/login`, {
      userId: 'wes',
      password: PASSWORD,
      recoveryCode: rc,
    });
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid-totp');
    expect((await f.request({ bearer: first.body.token }, 'GET', `${API}/totp`)).body.recoveryCodesLeft).toBe(9);
  });

  it('disables with a code for oneself, or by an account manager without one; both audited', async () => {
    const token = await f.person('val', 'member');
    const { secret } = await enable(f, token);
    f.clock.advance(30_000);
    expect((await f.request({ bearer: token }, 'POST', `${API}/totp/disable`, { code: '12345' })).status).toBe(401);
    expect(
      (await f.request({ bearer: token }, 'POST', `${API}/totp/disable`, { code: codeAt(secret, f.clock.now()) }))
        .status,
    ).toBe(200);
    expect((await f.login('val')).status).toBe(200);

    const t2 = await f.person('vic', 'member');
    await enable(f, t2);
    expect((await f.request({ bearer: t2 }, 'DELETE', `${API}/users/val/totp`)).status).toBe(403);
    expect((await f.request({ bearer: f.root }, 'DELETE', `${API}/users/vic/totp`)).status).toBe(200);
    expect((await f.login('vic')).status).toBe(200);
    const entries = await f.auditEntries();
    expect(entries.filter((e) => e.action === 'totp.enable').map((e) => e.target)).toEqual(
      expect.arrayContaining(['user:val', 'user:vic']),
    );
    expect(entries.filter((e) => e.action === 'totp.disable').map((e) => [e.actor, e.target])).toEqual(
      expect.arrayContaining([
        ['user:val', 'user:val'],
        ['user:root', 'user:vic'],
      ]),
    );
    expect(JSON.stringify(entries)).not.toContain(secret);
  });
});

describe('a policy requiring TOTP for admins and HR', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await startApiFixture({ requireTotpFor: ['admin', 'hr'] });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('gives them only an enrolment session until TOTP is on; other roles are unaffected', async () => {
    // f.root is a super-admin: 'admin' in the policy covers it too
    expect((await f.request({ bearer: f.root }, 'GET', `${API}/users`)).body.error).toBe('totp-enrolment-required');
    await f.s.services.users.createUser(
      { kind: 'system', name: 'test' },
      { id: 'hana', role: 'hr', password: PASSWORD },
    );
    await f.s.services.users.createUser(
      { kind: 'system', name: 'test' },
      { id: 'mo', role: 'member', password: PASSWORD },
    );
    expect((await f.login('mo')).body.scope).toBe('full');

    const login = await f.login('hana');
    expect(login.status).toBe(200);
    expect(login.body.scope).toBe('totp-enrolment');
    const token = login.body.token as string;
    expect((await f.request({ bearer: token }, 'GET', `${API}/me`)).body.scope).toBe('totp-enrolment');
    expect((await f.request({ bearer: token }, 'GET', `${API}/sessions`)).status).toBe(403);
    // nor through the replication surface
    expect((await f.request({ bearer: token }, 'GET', `/${dbNames.hrAttendance}/_all_docs`)).status).toBe(403);
    expect((await f.request({ bearer: token }, 'GET', `${API}/totp`)).body).toMatchObject({
      enabled: false,
      required: true,
    });

    const { secret } = await enable(f, token);
    // the same session is now a full one
    expect((await f.request({ bearer: token }, 'GET', `${API}/sessions`)).status).toBe(200);
    f.clock.advance(30_000);
    expect((await f.login('hana')).body.error).toBe('totp-required');
    const full = await f.request(null, 'POST', `${API}/login`, {
      userId: 'hana',
      password: PASSWORD,
      totp: codeAt(secret, f.clock.now()),
    });
    expect(full.body.scope).toBe('full');
  });
});

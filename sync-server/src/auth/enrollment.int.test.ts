import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, initSodium } from '@sealtime/shared';
import { dbNames } from '../provisioning/db-names.js';
import { AuthError } from './auth-errors.js';
import { parseEnrollmentCode } from './enrollment-code.js';
import { startAuthFixture, type AuthFixture } from './test-support/auth-fixture.js';

const FP_PRINTED = '0123 4567 89ab cdef 0123 4567 89ab cdef';
const FP = FP_PRINTED.replace(/ /g, '');
const origin = { ip: '192.168.1.20', userAgent: 'sealtime-agent/0.1' };
const deviceHeader = (id: string, cred: string) => ({ authorization: `Device ${id}:${cred}` });

async function expectAuthError(p: Promise<unknown>, code: string): Promise<AuthError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AuthError);
  expect((e as AuthError).code).toBe(code);
  return e as AuthError;
}

describe('device enrollment (real PouchDB server)', () => {
  let f: AuthFixture;
  let admin: Awaited<ReturnType<AuthFixture['personWith']>>;

  beforeAll(async () => {
    f = await startAuthFixture();
    admin = await f.personWith('ada', 'admin');
  });
  afterAll(async () => {
    await f?.close();
  });

  it('an admin creates a one-time code that carries the org key fingerprint', async () => {
    await initSodium();
    const orgSignPk = new Uint8Array(32).fill(9);
    const c = await f.enrollment.createCode(admin.actor, {
      employeeId: 'e1',
      teamId: 't1',
      orgKeyFingerprint: fingerprint(orgSignPk),
    });
    expect(parseEnrollmentCode(c.code)?.orgKeyFingerprint).toBe(fingerprint(orgSignPk).replace(/ /g, ''));
    expect(c.expiresAt - f.clock.now()).toBe(24 * 3_600_000);
    // Only the hash is stored.
    const all = JSON.stringify((await f.server.nano.use(dbNames.system).list({ include_docs: true })).rows);
    expect(all).not.toContain(parseEnrollmentCode(c.code)!.secret);
  });

  it("redeeming gives a device id and a credential that authenticates as that employee's device", async () => {
    const { code } = await f.enrollment.createCode(admin.actor, {
      employeeId: 'e1',
      teamId: 't1',
      orgKeyFingerprint: FP_PRINTED,
    });
    const d = await f.enrollment.redeem(code, { name: 'ALICE-LAPTOP', platform: 'linux' }, origin);
    expect(d).toMatchObject({ employeeId: 'e1', teamId: 't1', orgKeyFingerprint: FP });
    expect(d.deviceId).toMatch(/^dev-[0-9a-f]{20}$/);
    expect(d.deviceCredential).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const p = await f.identity.authenticate(deviceHeader(d.deviceId, d.deviceCredential), origin.ip);
    expect(p).toEqual({ type: 'device', deviceId: d.deviceId, employeeId: 'e1', teamId: 't1', signPublicKey: null });
    const basic = Buffer.from(`${d.deviceId}:${d.deviceCredential}`).toString('base64');
    expect(await f.identity.authenticate({ authorization: `Basic ${basic}` }, origin.ip)).toEqual(p);

    const stored = JSON.stringify((await f.server.nano.use(dbNames.system).list({ include_docs: true })).rows);
    expect(stored).not.toContain(d.deviceCredential);
    expect(await f.store.teamsOfEmployee('e1')).toEqual(['t1']);
  });

  it('a code works once: a second redemption is refused clearly', async () => {
    const { code } = await f.enrollment.createCode(admin.actor, { employeeId: 'e2', orgKeyFingerprint: FP });
    await f.enrollment.redeem(code, {}, origin);
    const e = await expectAuthError(f.enrollment.redeem(code, {}, origin), 'enrollment-used');
    expect(e.message).toMatch(/already used/);
    expect(e.status).toBe(410);
  });

  it('two devices racing with one code: exactly one wins', async () => {
    const { code } = await f.enrollment.createCode(admin.actor, { employeeId: 'e3', orgKeyFingerprint: FP });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        f.enrollment.redeem(code, { name: `pc${i}` }, { ...origin, ip: `10.2.0.${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect(((r as PromiseRejectedResult).reason as AuthError).code).toBe('enrollment-used');
    }
    expect((await f.store.devicesOfEmployee('e3')).length).toBe(1);
  });

  it('an expired code is refused', async () => {
    const { code } = await f.enrollment.createCode(admin.actor, {
      employeeId: 'e4',
      orgKeyFingerprint: FP,
      ttlMs: 60 * 60_000,
    });
    f.clock.advance(60 * 60_000);
    const e = await expectAuthError(f.enrollment.redeem(code, {}, { ...origin, ip: '10.3.0.1' }), 'enrollment-expired');
    expect(e.message).toMatch(/expired/);
  });

  it('unknown, malformed and altered codes are refused with distinct errors', async () => {
    const ip = { ...origin, ip: '10.4.0.1' };
    await expectAuthError(f.enrollment.redeem(`st1.${'A'.repeat(22)}.${FP}`, {}, ip), 'enrollment-unknown');
    await expectAuthError(f.enrollment.redeem('hello', {}, ip), 'enrollment-invalid');
    await expectAuthError(f.enrollment.redeem({ code: 1 }, {}, ip), 'enrollment-invalid');
    const { code } = await f.enrollment.createCode(admin.actor, { employeeId: 'e5', orgKeyFingerprint: FP });
    const swapped = code.replace(/\.[0-9a-f]{32}$/, `.${'f'.repeat(32)}`);
    const e = await expectAuthError(f.enrollment.redeem(swapped, {}, ip), 'enrollment-invalid');
    expect(e.message).toMatch(/fingerprint/);
    // The genuine code still works afterwards.
    await f.enrollment.redeem(code, {}, ip);
  });

  it('failed redemptions are rate-limited per IP; successes are not', async () => {
    const ip = { ...origin, ip: '10.5.0.1' };
    for (let i = 0; i < 10; i++)
      await expectAuthError(
        f.enrollment.redeem(`st1.${String(i).padStart(22, 'B')}.${FP}`, {}, ip),
        'enrollment-unknown',
      );
    await expectAuthError(f.enrollment.redeem(`st1.${'C'.repeat(22)}.${FP}`, {}, ip), 'rate-limited');
    const other = { ...origin, ip: '10.5.0.2' };
    for (let i = 0; i < 12; i++) {
      const { code } = await f.enrollment.createCode(admin.actor, { employeeId: 'e6', orgKeyFingerprint: FP });
      await f.enrollment.redeem(code, {}, other);
    }
  });

  it('only admins create codes or revoke devices; input is checked', async () => {
    const manager = await f.personWith('max', 'manager', { teams: ['t1'] });
    await expectAuthError(
      f.enrollment.createCode(manager.actor, { employeeId: 'e1', orgKeyFingerprint: FP }),
      'forbidden',
    );
    await expectAuthError(
      f.enrollment.createCode(admin.actor, { employeeId: 'E 1', orgKeyFingerprint: FP }),
      'invalid-input',
    );
    await expectAuthError(
      f.enrollment.createCode(admin.actor, { employeeId: 'e1', orgKeyFingerprint: 'abc' }),
      'invalid-input',
    );
    await expectAuthError(
      f.enrollment.createCode(admin.actor, { employeeId: 'e1', orgKeyFingerprint: FP, ttlMs: 5 }),
      'invalid-input',
    );
    const devices = await f.enrollment.devicesOf('e1');
    await expectAuthError(f.enrollment.revokeDevice(manager.actor, devices[0]!.deviceId), 'forbidden');
  });

  it('a revoked device credential stops working at once', async () => {
    const { code } = await f.enrollment.createCode(admin.actor, {
      employeeId: 'e7',
      teamId: 't2',
      orgKeyFingerprint: FP,
    });
    const d = await f.enrollment.redeem(code, { name: 'pc' }, origin);
    expect(await f.identity.authenticate(deviceHeader(d.deviceId, d.deviceCredential), 'x')).not.toBeNull();
    const revoked = await f.enrollment.revokeDevice(admin.actor, d.deviceId);
    expect(revoked.revokedAt).toBe(f.clock.now());
    expect('credentialHash' in revoked).toBe(false);
    expect(await f.identity.authenticate(deviceHeader(d.deviceId, d.deviceCredential), 'x')).toBeNull();
    expect(await f.store.teamsOfEmployee('e7')).toEqual([]);
    await expectAuthError(f.enrollment.revokeDevice(admin.actor, 'dev-nope'), 'not-found');
  });

  it('revokes every device of an employee', async () => {
    for (let i = 0; i < 3; i++) {
      const { code } = await f.enrollment.createCode(admin.actor, { employeeId: 'e8', orgKeyFingerprint: FP });
      await f.enrollment.redeem(code, {}, origin);
    }
    expect(await f.enrollment.revokeDevicesOfEmployee(admin.actor, 'e8')).toBe(3);
    expect((await f.enrollment.devicesOf('e8')).every((d) => d.revokedAt !== null)).toBe(true);
  });

  it('audits creation, enrollment, failures and revocation without leaking codes or credentials', async () => {
    const entries = await f.auditEntries();
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ['enrollment.create', 'device.enroll', 'enrollment.failure', 'device.revoke'])
      expect(actions).toContain(a);
    const create = entries.find((e) => e.action === 'enrollment.create')!;
    expect(create).toMatchObject({ actor: 'user:ada', ip: '127.0.0.1', target: 'employee:e1' });
    const enroll = entries.find((e) => e.action === 'device.enroll')!;
    expect(enroll).toMatchObject({ ip: origin.ip, userAgent: origin.userAgent });
    expect(enroll.diff.some((d) => d.path === 'employeeId' && d.to === 'e1')).toBe(true);
    const revoke = entries.find((e) => e.action === 'device.revoke')!;
    expect(revoke.diff).toEqual([{ path: 'revokedAt', from: null, to: expect.any(Number) }]);
    const failures = entries.filter((e) => e.action === 'enrollment.failure').map((e) => e.details?.reason);
    expect(failures).toEqual(
      expect.arrayContaining(['enrollment-used', 'enrollment-expired', 'enrollment-unknown', 'enrollment-invalid']),
    );
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(/st1\.[A-Za-z0-9_-]{22}/);
    expect(text).not.toMatch(/"credentialHash":"[0-9a-f]/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/wait-for.js';
import { createIdentity } from './identity.js';
import { PASSWORD, startAuthFixture, type AuthFixture } from './test-support/auth-fixture.js';

describe('createIdentity (real PouchDB server)', () => {
  let f: AuthFixture;
  let token: string;
  let device: { deviceId: string; deviceCredential: string };

  beforeAll(async () => {
    f = await startAuthFixture();
    await f.users.createUser(f.operator, {
      id: 'mia',
      role: 'manager',
      password: PASSWORD,
      teams: ['t1', 't2'],
      employeeId: 'e-mia',
    });
    token = (await f.sessions.login('mia', PASSWORD, '10.0.0.1', 'ua')).token;
    const { code } = await f.enrollment.createCode(f.operator, {
      employeeId: 'e1',
      teamId: 't1',
      orgKeyFingerprint: 'ab'.repeat(16),
    });
    device = await f.enrollment.redeem(code, {}, { ip: '10.0.0.2', userAgent: null });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('builds a person principal from the current account', async () => {
    expect(await f.identity.authenticate({ authorization: `Bearer ${token}` }, 'ip')).toMatchObject({
      type: 'person',
      userId: 'mia',
      role: 'manager',
      teams: ['t1', 't2'],
      employeeId: 'e-mia',
    });
    // Scheme names are case-insensitive; a capitalised header key from non-Node callers is accepted.
    expect(await f.identity.authenticate({ Authorization: `bearer ${token}` }, 'ip')).not.toBeNull();
  });

  it.each<[string, Record<string, string | string[] | undefined>]>([
    ['no header', {}],
    ['empty header', { authorization: '' }],
    ['scheme only', { authorization: 'Bearer' }],
    ['unknown scheme', { authorization: 'Token abc' }],
    ['short bearer', { authorization: 'Bearer abc' }],
    ['well-formed but unknown token', { authorization: `Bearer ${'A'.repeat(43)}` }],
    ['two authorization headers', { authorization: ['Bearer a', 'Bearer b'] }],
    ['oversized header', { authorization: `Bearer ${'A'.repeat(5000)}` }],
    ['device without credential', { authorization: 'Device dev-1' }],
    ['device with a bad id', { authorization: `Device ../x:${'A'.repeat(43)}` }],
    ['unknown device', { authorization: `Device dev-00000000000000000000:${'A'.repeat(43)}` }],
    ['basic that is not base64', { authorization: 'Basic !!!' }],
    ['basic without colon', { authorization: `Basic ${Buffer.from('dev-1').toString('base64')}` }],
  ])('returns null for %s', async (_l, headers) => {
    expect(await f.identity.authenticate(headers, 'ip')).toBeNull();
  });

  it('returns null for a known device with a wrong credential', async () => {
    const wrong = device.deviceCredential.slice(0, -1) + (device.deviceCredential.endsWith('A') ? 'B' : 'A');
    expect(await f.identity.authenticate({ authorization: `Device ${device.deviceId}:${wrong}` }, 'ip')).toBeNull();
    expect(
      await f.identity.authenticate({ authorization: `Device ${device.deviceId}:${device.deviceCredential}` }, 'ip'),
    ).not.toBeNull();
  });

  it('a person token is not accepted as a device credential and vice versa', async () => {
    expect(await f.identity.authenticate({ authorization: `Device ${device.deviceId}:${token}` }, 'ip')).toBeNull();
    expect(await f.identity.authenticate({ authorization: `Bearer ${device.deviceCredential}` }, 'ip')).toBeNull();
  });

  it('role and team changes apply to live sessions; disabling ends them', async () => {
    await f.users.updateUser(f.operator, 'mia', { teams: ['t3'] });
    expect(await f.identity.authenticate({ authorization: `Bearer ${token}` }, 'ip')).toMatchObject({ teams: ['t3'] });
    await f.users.updateUser(f.operator, 'mia', { disabled: true });
    expect(await f.identity.authenticate({ authorization: `Bearer ${token}` }, 'ip')).toBeNull();
  });

  it('sees a revocation made by another process through the changes feed, with no clock moving', async () => {
    // A second store instance stands for the CLI revoking a device elsewhere.
    const { SystemStore } = await import('./system-store.js');
    const cli = await SystemStore.open(f.server.nano.use('st-system'), { cacheTtlMs: 0 });
    const hdr = { authorization: `Device ${device.deviceId}:${device.deviceCredential}` };
    expect(await f.identity.authenticate(hdr, 'ip')).not.toBeNull();
    expect(f.store.following).toBe(true);
    await cli.updateDevice(device.deviceId, (d) => ({ ...d, revokedAt: 1 }));
    await waitFor(
      'the revocation to reach the identity',
      async () => (await f.identity.authenticate(hdr, 'ip')) === null,
      5_000,
      20,
    );
  });

  it('throws a typed 503 error when st-system is unreachable', async () => {
    const identity = createIdentity(
      await (await import('./system-store.js')).SystemStore.open(f.server.nano.use('st-system'), { cacheTtlMs: 0 }),
      f.clock,
    );
    await f.server.stop();
    try {
      await expect(identity.authenticate({ authorization: `Bearer ${'Q'.repeat(43)}` }, 'ip')).rejects.toMatchObject({
        code: 'store-unavailable',
        status: 503,
      });
    } finally {
      await f.server.start();
    }
  });
});

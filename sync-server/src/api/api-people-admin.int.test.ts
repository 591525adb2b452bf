// What the admin app's "People and devices" screen needs from the server,
// over real HTTP against the composed server: every session of an account
// ended at once (one request, each token refused right after), who may do
// it, and each device's last contact.
import { fingerprint, initSodium } from '@sealtime/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSignKeyPair } from '../../test-support/sealed-records.js';
import { startApiFixture, type ApiFixture, type Auth } from './test-support/api-fixture.js';

const API = '/_sealtime/api';

describe('people admin API', () => {
  let f: ApiFixture;
  let admin: string;
  beforeAll(async () => {
    f = await startApiFixture();
    admin = await f.person('ada', 'admin');
  });
  afterAll(async () => {
    await f?.close();
  });

  it('DELETE users/:userId/sessions ends every live session of the account at once', async () => {
    const first = await f.person('carl', 'member');
    const second = (await f.login('carl')).body.token as string;
    expect((await f.request({ bearer: first }, 'GET', `${API}/me`)).status).toBe(200);
    expect((await f.request({ bearer: second }, 'GET', `${API}/me`)).status).toBe(200);

    const r = await f.request({ bearer: admin }, 'DELETE', `${API}/users/carl/sessions`);
    expect(r).toMatchObject({ status: 200, body: { ended: 2 } });
    expect((await f.request({ bearer: first }, 'GET', `${API}/me`)).status).toBe(401);
    expect((await f.request({ bearer: second }, 'GET', `${API}/me`)).status).toBe(401);
    const list = await f.request({ bearer: admin }, 'GET', `${API}/sessions?userId=carl`);
    expect(list.body.sessions.map((s: { state: string }) => s.state)).toEqual(['revoked', 'revoked']);
    // the account itself still works: a new login is a new session
    expect((await f.login('carl')).status).toBe(200);
    const audit = await f.auditEntries();
    expect(
      audit.some((e) => e.action === 'session.revoke-all' && e.target === 'user:carl' && e.actor === 'user:ada'),
    ).toBe(true);
  });

  it('refuses it to roles that may not manage the account, and names an unknown one', async () => {
    const manager = await f.person('mona', 'manager', { teams: ['blue'] });
    const hr = await f.person('helen', 'hr');
    await f.person('dora', 'member');
    expect((await f.request({ bearer: manager }, 'DELETE', `${API}/users/dora/sessions`)).status).toBe(403);
    expect((await f.request({ bearer: hr }, 'DELETE', `${API}/users/dora/sessions`)).status).toBe(403);
    // an admin may not end a super-admin's sessions
    expect((await f.request({ bearer: admin }, 'DELETE', `${API}/users/root/sessions`)).status).toBe(403);
    expect((await f.request({ bearer: f.root }, 'GET', `${API}/me`)).status).toBe(200);
    expect((await f.request({ bearer: admin }, 'DELETE', `${API}/users/nobody-here/sessions`)).status).toBe(404);
    // dora's session survived the refusals
    expect((await f.request({ bearer: admin }, 'GET', `${API}/sessions?userId=dora`)).body.sessions[0].state).toBe(
      'live',
    );
  });

  it('a device shows its last contact once it has talked to the server', async () => {
    const s = await initSodium();
    const fp = fingerprint(s.crypto_sign_keypair().publicKey);
    const code = await f.request({ bearer: admin }, 'POST', `${API}/enrollment-codes`, {
      employeeId: 'erin',
      teamId: null,
      orgKeyFingerprint: fp,
    });
    expect(code.status).toBe(201);
    const enrolled = await f.request(null, 'POST', `${API}/enroll`, {
      code: code.body.code,
      signPublicKey: (await testSignKeyPair('erin')).publicKeyText,
      name: 'ERIN-PC',
    });
    expect(enrolled.status).toBe(201);
    const before = await f.request({ bearer: admin }, 'GET', `${API}/devices?employeeId=erin`);
    expect(before.body.devices[0].lastSeenAt ?? null).toBeNull();

    const device: Auth = { device: enrolled.body.deviceId, credential: enrolled.body.deviceCredential };
    const at = f.clock.now();
    expect((await f.request(device, 'GET', `${API}/me`)).status).toBe(200);
    let seen: number | null = null;
    for (let i = 0; i < 100 && seen === null; i++) {
      seen =
        (await f.request({ bearer: admin }, 'GET', `${API}/devices?employeeId=erin`)).body.devices[0].lastSeenAt ??
        null;
      if (seen === null) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toBe(at);
    // a revoked device's contact stays as it was; its credential is refused
    expect((await f.request({ bearer: admin }, 'POST', `${API}/devices/${enrolled.body.deviceId}/revoke`)).status).toBe(
      200,
    );
    f.clock.advance(120_000);
    expect((await f.request(device, 'GET', `${API}/me`)).status).toBe(401);
    const after = (await f.request({ bearer: admin }, 'GET', `${API}/devices?employeeId=erin`)).body.devices[0];
    expect(after).toMatchObject({ lastSeenAt: at, revokedAt: expect.any(Number) });
  });
});

// Key-ring delivery over real HTTP against the composed server: each person
// gets exactly the wrapped rings their role holds (HR the HR ring, a manager
// their teams' rings), decided on their role of the moment; the directory
// itself stays closed to them; HR and managers see the device public keys of
// the people they review.
import { fingerprint, initSodium } from '@sealtime/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSignKeyPair } from '../../test-support/sealed-records.js';
import { startApiFixture, type ApiFixture } from './test-support/api-fixture.js';

const API = '/_sealtime/api';
const DIR = '/st-org-directory';

// The route only routes by role and owner; the bodies stand for wrapped rings.
const ring = (role: string, ownerId: string) => ({
  _id: `keyring:${role}:${ownerId}`,
  type: 'keyring',
  role,
  ownerId,
  generations: [{ keyId: `k-${role}-${ownerId}`, byPassphrase: { nonce: 'n', ciphertext: 'wrapped' } }],
});

describe("GET keyrings and reviewers' device keys", () => {
  let f: ApiFixture;
  let admin: string;

  beforeAll(async () => {
    f = await startApiFixture();
    admin = await f.person('ada', 'admin');
    const docs = [
      ring('organisation', 'acme'),
      ring('hr', 'acme'),
      ring('team', 'blue'),
      ring('team', 'green'),
      ring('employee', 'eve'),
      // an id that names another ring than its body: served under neither
      { ...ring('team', 'blue'), _id: 'keyring:team:red' },
      { _id: 'employee:eve', type: 'employee', employeeId: 'eve', teamId: 'blue' },
    ];
    const put = await f.request({ bearer: admin }, 'POST', `${DIR}/_bulk_docs`, { docs });
    expect(put.status).toBe(201);
  });
  afterAll(async () => {
    await f?.close();
  });

  const owners = (body: { keyrings: Array<{ role: string; ownerId: string }> }) =>
    body.keyrings.map((k) => `${k.role}:${k.ownerId}`).sort();

  it('hands each role exactly the rings it holds, as stored (wrapped)', async () => {
    const hr = await f.person('helen', 'hr');
    const mona = await f.person('mona', 'manager', { teams: ['blue'] });
    const eve = await f.person('eve', 'member', { employeeId: 'eve' });
    const got = async (token: string) => {
      const r = await f.request({ bearer: token }, 'GET', `${API}/keyrings`);
      expect(r.status).toBe(200);
      return r.body;
    };
    const hrBody = await got(hr);
    expect(owners(hrBody)).toEqual(['hr:acme']);
    expect(hrBody.keyrings[0]).toEqual({
      type: 'keyring',
      role: 'hr',
      ownerId: 'acme',
      generations: [{ keyId: 'k-hr-acme', byPassphrase: { nonce: 'n', ciphertext: 'wrapped' } }],
    });
    expect(owners(await got(mona))).toEqual(['team:blue']);
    expect(owners(await got(eve))).toEqual(['employee:eve']);
    expect(owners(await got(admin))).toEqual(['organisation:acme']);
  });

  it('follows a role change at once: a manager moved to another team gets that ring and loses the old one', async () => {
    const max = await f.person('max', 'manager', { teams: ['blue'] });
    expect(owners((await f.request({ bearer: max }, 'GET', `${API}/keyrings`)).body)).toEqual(['team:blue']);
    const patched = await f.request({ bearer: admin }, 'PATCH', `${API}/users/max`, { teams: ['green'] });
    expect(patched.status).toBe(200);
    const again = await f.login('max');
    expect(owners((await f.request({ bearer: again.body.token }, 'GET', `${API}/keyrings`)).body)).toEqual([
      'team:green',
    ]);
    const hrNow = await f.request({ bearer: admin }, 'PATCH', `${API}/users/max`, { role: 'hr', teams: [] });
    expect(hrNow.status).toBe(200);
    const asHr = await f.login('max');
    expect(owners((await f.request({ bearer: asHr.body.token }, 'GET', `${API}/keyrings`)).body)).toEqual(['hr:acme']);
  });

  it('audits every ring handed out: who, which ring, when, from where; a refused or empty read hands out nothing', async () => {
    const hr = await f.person('hedda', 'hr');
    const mgr = await f.person('moritz', 'manager', { teams: ['blue', 'green'] });
    const before = f.clock.now();
    expect(
      (await f.request({ bearer: hr }, 'GET', `${API}/keyrings`, undefined, { 'user-agent': 'admin-app/2' })).status,
    ).toBe(200);
    expect((await f.request({ bearer: mgr }, 'GET', `${API}/keyrings`)).status).toBe(200);
    expect((await f.request(null, 'GET', `${API}/keyrings`)).status).toBe(401);
    const deliveries = (await f.auditEntries()).filter((e) => e.action === 'keyring.deliver');
    const of = (actor: string) =>
      deliveries
        .filter((e) => e.actor === actor)
        .map((e) => e.target)
        .sort();
    expect(of('user:hedda')).toEqual(['keyring:hr:acme']);
    expect(of('user:moritz')).toEqual(['keyring:team:blue', 'keyring:team:green']);
    const hrEntry = deliveries.find((e) => e.actor === 'user:hedda');
    expect(hrEntry).toMatchObject({ userAgent: 'admin-app/2', ip: expect.any(String), details: { role: 'hr' } });
    expect(hrEntry?.at).toBeGreaterThanOrEqual(before);
    // the entry names the ring, never carries its wrapped secrets
    expect(JSON.stringify(deliveries)).not.toContain('wrapped');
  });

  it('keeps the directory itself closed to HR and managers, and the route closed to devices and strangers', async () => {
    const hr = await f.person('hana', 'hr');
    const mgr = await f.person('mia', 'manager', { teams: ['blue'] });
    for (const token of [hr, mgr]) {
      expect((await f.request({ bearer: token }, 'GET', `${DIR}/keyring:hr:acme`)).status).toBe(403);
      expect((await f.request({ bearer: token }, 'GET', `${DIR}/_all_docs`)).status).toBe(403);
    }
    expect((await f.request(null, 'GET', `${API}/keyrings`)).status).toBe(401);
    expect((await f.request({ device: 'dev-x', credential: 'nope' }, 'GET', `${API}/keyrings`)).status).toBe(401);
  });

  it("lets HR and a team's manager read the device keys of the people they review, not another team's manager", async () => {
    const s = await initSodium();
    const code = await f.request({ bearer: admin }, 'POST', `${API}/enrollment-codes`, {
      employeeId: 'eve',
      teamId: 'blue',
      orgKeyFingerprint: fingerprint(s.crypto_sign_keypair().publicKey),
    });
    expect(code.status).toBe(201);
    const signPublicKey = (await testSignKeyPair('eve')).publicKeyText;
    expect(
      (
        await f.request(null, 'POST', `${API}/enroll`, {
          code: code.body.code,
          signPublicKey,
          name: 'EVE-PC',
          platform: 'linux',
        })
      ).status,
    ).toBe(201);
    const devices = {
      status: 200,
      body: { devices: [expect.objectContaining({ employeeId: 'eve', signPublicKey, name: 'EVE-PC' })] },
    };
    const hr = await f.person('hugo', 'hr');
    const blue = await f.person('bea', 'manager', { teams: ['blue'] });
    const green = await f.person('gus', 'manager', { teams: ['green'] });
    const member = await f.person('mo', 'member', { employeeId: 'mo' });
    const asHr = await f.request({ bearer: hr }, 'GET', `${API}/devices?employeeId=eve`);
    expect(asHr).toMatchObject(devices);
    expect(asHr.body.devices[0].credentialHash).toBeUndefined(); // public keys only
    expect(await f.request({ bearer: blue }, 'GET', `${API}/devices?employeeId=eve`)).toMatchObject(devices);
    expect((await f.request({ bearer: hr }, 'GET', `${API}/devices/${asHr.body.devices[0].deviceId}`)).status).toBe(
      200,
    );
    expect((await f.request({ bearer: green }, 'GET', `${API}/devices?employeeId=eve`)).status).toBe(403);
    expect((await f.request({ bearer: member }, 'GET', `${API}/devices?employeeId=eve`)).status).toBe(403);
    // the full list stays admin work
    expect((await f.request({ bearer: hr }, 'GET', `${API}/devices`)).status).toBe(403);
  });
});

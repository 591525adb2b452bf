// Enrollment and devices over real HTTP against the composed server: a code
// becomes a device credential that replicates its own records database (real
// PouchDB client) and nothing else; codes work once; revocation is immediate;
// people's writes through the replication surface are audited.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint, initSodium } from '@sealtime/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDevice, testSignKeyPair, toWire } from '../../test-support/sealed-records.js';
import { httpPouch, leveldbPouch } from '../engine/pouch-modules.js';
import { dbNames } from '../provisioning/db-names.js';
import { authHeader, startApiFixture, type ApiFixture, type Auth } from './test-support/api-fixture.js';

const API = '/_sealtime/api';

describe('enrollment and devices API', () => {
  let f: ApiFixture;
  let admin: string;
  let fp: string;
  let signKey: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    f = await startApiFixture();
    admin = await f.person('ada', 'admin');
    const s = await initSodium();
    fp = fingerprint(s.crypto_sign_keypair().publicKey);
    // the key alice's test device signs with (createTestDevice with the same label)
    signKey = (await testSignKeyPair('alice')).publicKeyText;
  });
  afterAll(async () => {
    await f?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  const newCode = (employeeId: string, extra: Record<string, unknown> = {}) =>
    f.request({ bearer: admin }, 'POST', `${API}/enrollment-codes`, {
      employeeId,
      teamId: 'team-a',
      orgKeyFingerprint: fp,
      ...extra,
    });

  it('code → enroll → the device replicates its own records database, and is refused elsewhere', async () => {
    const created = await newCode('alice');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ employeeId: 'alice', teamId: 'team-a', expiresAt: expect.any(Number) });
    // creating the code provisioned the employee's databases
    const dbs = await f.s.server.engine.nano.db.list();
    for (const n of [
      dbNames.employeeRecords('alice'),
      dbNames.employeeBlobs('alice'),
      dbNames.employeeInbox('alice'),
      dbNames.teamRecords('team-a'),
    ])
      expect(dbs).toContain(n);

    const enrolled = await f.request(
      null,
      'POST',
      `${API}/enroll`,
      { code: created.body.code, signPublicKey: signKey, name: 'ALICE-PC', platform: 'linux' },
      { 'user-agent': 'sealtime-agent/0.1' },
    );
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toMatchObject({
      employeeId: 'alice',
      teamId: 'team-a',
      orgKeyFingerprint: fp.replace(/ /g, ''),
    });
    const device: Auth = { device: enrolled.body.deviceId, credential: enrolled.body.deviceCredential };
    expect(await f.request(device, 'GET', `${API}/me`)).toMatchObject({
      status: 200,
      body: { type: 'device', deviceId: enrolled.body.deviceId, employeeId: 'alice', teamId: 'team-a' },
    });
    const own = await f.request(device, 'GET', `${API}/devices/${enrolled.body.deviceId}`);
    expect(own).toMatchObject({ status: 200, body: { signPublicKey: signKey, name: 'ALICE-PC', revokedAt: null } });
    expect(own.body.credentialHash).toBeUndefined();

    // a real PouchDB replication with the device credential
    const dir = await mkdtemp(join(tmpdir(), 'sealtime-agent-'));
    dirs.push(dir);
    const Local = leveldbPouch(dir);
    const Remote = httpPouch();
    const local = new Local('records') as unknown as {
      bulkDocs(d: object[]): Promise<unknown>;
      close(): Promise<void>;
    };
    const dev = await createTestDevice(enrolled.body.deviceId, 'alice', { signKeyLabel: 'alice' });
    await local.bulkDocs(Array.from({ length: 30 }, () => toWire(dev.activity())));
    const deviceFetch = (u: string, init: { headers: Headers }) => {
      for (const [k, v] of Object.entries(authHeader(device))) init.headers.set(k, v);
      return fetch(u, init as RequestInit);
    };
    const remote = new Remote(`${f.url}/${dbNames.employeeRecords('alice')}`, { skip_setup: true, fetch: deviceFetch });
    const pushed = (await Local.replicate(local as never, remote, {})) as unknown as {
      ok: boolean;
      docs_written: number;
    };
    expect(pushed).toMatchObject({ ok: true, docs_written: 30 });
    await local.close();

    // elsewhere: another employee's records, the org database, the API's admin parts
    await newCode('bert');
    expect((await f.request(device, 'GET', `/${dbNames.employeeRecords('bert')}`)).status).toBe(403);
    expect((await f.request(device, 'GET', `/${dbNames.orgRecords}/_all_docs`)).status).toBe(403);
    expect(
      (
        await f.request(device, 'POST', `/${dbNames.employeeInbox('alice')}/_bulk_docs`, {
          docs: [{ _id: 'policy:x', type: 'policy', target: 'alice', issuedAt: 1, doc: {} }],
        })
      ).status,
    ).toBe(403);
    expect((await f.request(device, 'GET', `${API}/devices?employeeId=alice`)).status).toBe(403);
    expect(
      (await f.request(device, 'POST', `${API}/enrollment-codes`, { employeeId: 'alice', orgKeyFingerprint: fp }))
        .status,
    ).toBe(403);
    expect((await f.request(device, 'GET', `${API}/devices/dev-0000000000`)).status).toBe(403);

    // the admin sees the device with its signing key
    const list = await f.request({ bearer: admin }, 'GET', `${API}/devices?employeeId=alice`);
    expect(list.body.devices).toEqual([
      expect.objectContaining({ deviceId: enrolled.body.deviceId, signPublicKey: signKey }),
    ]);
  });

  it('refuses a used, an expired and an altered code, and a malformed signing key without using the code', async () => {
    const a = (await newCode('carol')).body.code as string;
    const badKey = await f.request(null, 'POST', `${API}/enroll`, { code: a, signPublicKey: 'too-short' });
    expect(badKey).toMatchObject({ status: 400, body: { error: 'invalid-input' } });
    const missingKey = await f.request(null, 'POST', `${API}/enroll`, { code: a });
    expect(missingKey.status).toBe(400);
    expect((await f.request(null, 'POST', `${API}/enroll`, { code: a, signPublicKey: signKey })).status).toBe(201);
    const used = await f.request(null, 'POST', `${API}/enroll`, { code: a, signPublicKey: signKey });
    expect(used).toMatchObject({ status: 410, body: { error: 'enrollment-used' } });

    const altered = (await newCode('carol')).body.code as string;
    const swapped = altered.replace(/\.[0-9a-f]{32}$/, `.${'e'.repeat(32)}`);
    expect(await f.request(null, 'POST', `${API}/enroll`, { code: swapped, signPublicKey: signKey })).toMatchObject({
      status: 400,
      body: { error: 'enrollment-invalid' },
    });

    const short = (await newCode('carol', { ttlMs: 60 * 60_000 })).body.code as string;
    f.clock.advance(60 * 60_000 + 1);
    expect(await f.request(null, 'POST', `${API}/enroll`, { code: short, signPublicKey: signKey })).toMatchObject({
      status: 410,
      body: { error: 'enrollment-expired' },
    });
    admin = (await f.login('ada')).body.token as string; // the clock move ended the admin's session
    expect((await f.s.services.store.devicesOfEmployee('carol')).length).toBe(1);
  });

  it('a revoked device is refused at once, on the API and on replication', async () => {
    const code = (await newCode('dan')).body.code as string;
    const d = (await f.request(null, 'POST', `${API}/enroll`, { code, signPublicKey: signKey })).body;
    const device: Auth = { device: d.deviceId, credential: d.deviceCredential };
    expect((await f.request(device, 'GET', `/${dbNames.employeeRecords('dan')}`)).status).toBe(200);
    const revoked = await f.request({ bearer: admin }, 'POST', `${API}/devices/${d.deviceId}/revoke`);
    expect(revoked).toMatchObject({ status: 200, body: { deviceId: d.deviceId, revokedAt: expect.any(Number) } });
    expect((await f.request(device, 'GET', `/${dbNames.employeeRecords('dan')}`)).status).toBe(401);
    expect((await f.request(device, 'GET', `${API}/me`)).status).toBe(401);
    expect((await f.request({ bearer: admin }, 'POST', `${API}/devices/dev-nosuchdevice/revoke`)).status).toBe(404);
  });

  it("audits an admin's inbox write with before/after, IP and user agent; the write never waits on it", async () => {
    const inbox = `/${dbNames.employeeInbox('alice')}`;
    const v1 = {
      _id: 'policy:employee:alice',
      type: 'policy',
      target: 'alice',
      issuedAt: 1_764_000_000_000,
      doc: { screenshots: false },
    };
    const first = await f.request(
      { bearer: admin },
      'POST',
      `${inbox}/_bulk_docs`,
      { docs: [v1] },
      { 'user-agent': 'admin-app/1' },
    );
    expect(first.status).toBe(201);
    const rev = first.body[0].rev as string;
    const second = await f.request(
      { bearer: admin },
      'POST',
      `${inbox}/_bulk_docs`,
      { docs: [{ ...v1, _rev: rev, issuedAt: 1_764_000_100_000, doc: { screenshots: true } }] },
      { 'user-agent': 'admin-app/1' },
    );
    expect(second.status).toBe(201);
    // a refused write (stale revision) is not audited as a change
    expect(
      (await f.request({ bearer: admin }, 'POST', `${inbox}/_bulk_docs`, { docs: [{ ...v1, _rev: rev }] })).body[0]
        .error,
    ).toBe('conflict');

    const writes = (await f.auditEntries()).filter(
      (e) => e.action === 'inbox.write' && e.target === 'db:st-emp-alice-inbox/policy:employee:alice',
    );
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatchObject({
      actor: 'user:ada',
      userAgent: 'admin-app/1',
      ip: expect.stringMatching(/127\.0\.0\.1/),
      details: { role: 'admin', docType: 'policy', rev },
    });
    expect(writes[0]!.diff).toEqual(expect.arrayContaining([{ path: 'doc.screenshots', to: false }]));
    expect(writes[1]!.diff).toEqual(
      expect.arrayContaining([
        { path: 'doc.screenshots', from: false, to: true },
        { path: 'issuedAt', from: 1_764_000_000_000, to: 1_764_000_100_000 },
      ]),
    );
    // devices' writes are the records themselves: not audited here
    const all = await f.auditEntries();
    expect(all.some((e) => e.action === 'doc.write' && e.target.startsWith('db:st-emp-alice-records'))).toBe(false);
    expect(all.map((e) => e.action)).toEqual(
      expect.arrayContaining(['enrollment.create', 'device.enroll', 'enrollment.failure', 'device.revoke']),
    );
  });

  it('status reports databases, devices and consolidation lag', async () => {
    const st = await f.request({ bearer: admin }, 'GET', `${API}/status`);
    expect(st.status).toBe(200);
    expect(st.body).toMatchObject({
      ok: true,
      engine: { kind: 'embedded', reachable: true },
      devices: { total: 3, revoked: 1, live: 2 },
    });
    const records = st.body.databases.find((d: { name: string }) => d.name === 'st-emp-alice-records');
    expect(records.docCount).toBeGreaterThanOrEqual(30);
    expect(st.body.consolidation.lag.alice).toMatchObject({ routes: 3, pending: expect.any(Number) });
    expect(JSON.stringify(st.body)).not.toMatch(/sealtime-engine:/);
  });

  it('refuses a signing key of the wrong type (null, a number, an object, a wrong length) with a clear 400, keeping the code usable', async () => {
    const code = (await newCode('erin')).body.code as string;
    const wrongLength = Buffer.alloc(31, 7).toString('base64url');
    for (const bad of [null, 12345, { key: signKey }, [signKey], true, wrongLength, `${signKey}A`]) {
      const res = await f.request(null, 'POST', `${API}/enroll`, { code, signPublicKey: bad });
      expect(res, JSON.stringify(bad)).toMatchObject({
        status: 400,
        body: { error: 'invalid-input', reason: expect.stringMatching(/signPublicKey/) },
      });
    }
    // nothing was enrolled and the code was not used up: the valid key still enrolls with it
    expect(await f.s.services.store.devicesOfEmployee('erin')).toEqual([]);
    const ok = await f.request(null, 'POST', `${API}/enroll`, { code, signPublicKey: signKey });
    expect(ok.status).toBe(201);
    expect(await f.s.services.store.devicesOfEmployee('erin')).toEqual([
      expect.objectContaining({ deviceId: ok.body.deviceId, signPublicKey: signKey }),
    ]);
  });
});

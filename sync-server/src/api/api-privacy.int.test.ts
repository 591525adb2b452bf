// Privacy routes on the real composed server (embedded engine): who may call
// them, what bad input gets, and that a purge while the server runs leaves
// consolidation working for the next records (the purged database was
// closed under the consolidator and must be reopened).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../auth/actor.js';
import { dbNames } from '../provisioning/db-names.js';
import { createTestDevice, testSignKeyPair, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { waitFor } from '../../../test-support/wait-for.js';
import { startApiFixture, type ApiFixture } from './test-support/api-fixture.js';

let f: ApiFixture;
const devices: Record<string, { dev: TestDevice; auth: { device: string; credential: string } }> = {};

async function enrol(employeeId: string, teamId: string | null): Promise<void> {
  await f.s.server.provisioner.provisionEmployee({ employeeId, teamId });
  const key = await testSignKeyPair(`privacy ${employeeId}`);
  const code = await f.s.services.enrollment.createCode(systemActor('test'), {
    employeeId,
    teamId,
    orgKeyFingerprint: 'ab'.repeat(16),
  });
  const enrolled = await f.s.services.enrollment.redeem(
    code.code,
    { name: 'laptop', platform: 'linux', signPublicKey: key.publicKeyText },
    { ip: '127.0.0.1', userAgent: 'vitest' },
  );
  devices[employeeId] = {
    dev: await createTestDevice(enrolled.deviceId, employeeId, { signKeyLabel: `privacy ${employeeId}` }),
    auth: { device: enrolled.deviceId, credential: enrolled.deviceCredential },
  };
}

async function push(employeeId: string, db: 'records' | 'blobs', docs: Array<{ id: string }>): Promise<number> {
  const name = db === 'records' ? dbNames.employeeRecords(employeeId) : dbNames.employeeBlobs(employeeId);
  return (await f.request(devices[employeeId]!.auth, 'POST', `/${name}/_bulk_docs`, { docs: docs.map(toWire) })).status;
}

async function ids(db: string): Promise<string[]> {
  return (await f.s.server.engine.nano.use(db).list()).rows.map((r) => r.id).filter((id) => !id.startsWith('_design/'));
}

const consolidated = (id: string) =>
  waitFor(
    `${id} consolidated into ${dbNames.orgRecords}`,
    async () => (await ids(dbNames.orgRecords)).includes(id),
    20_000,
  );

beforeAll(async () => {
  f = await startApiFixture();
  await enrol('e1', 't1');
  await enrol('e2', null);
}, 120_000);
afterAll(async () => {
  await f?.close();
});

describe('privacy API', () => {
  it('admins only; bad input is a 400 naming the problem; an unknown person a 404', async () => {
    for (const [id, role] of [
      ['mia', 'manager'],
      ['hana', 'hr'],
      ['mo', 'member'],
    ] as const) {
      const token = await f.person(id, role, role === 'manager' ? { teams: ['t1'] } : {});
      expect(
        (
          await f.request({ bearer: token }, 'POST', '/_sealtime/api/privacy/erase', {
            employeeId: 'e1',
            confirm: 'e1',
          })
        ).status,
        role,
      ).toBe(403);
      expect(
        (
          await f.request({ bearer: token }, 'POST', '/_sealtime/api/privacy/records/purge', {
            employeeId: 'e1',
            recordIds: ['d:000000000001'],
          })
        ).status,
        role,
      ).toBe(403);
    }
    expect(
      (await f.request(devices.e1!.auth, 'POST', '/_sealtime/api/privacy/erase', { employeeId: 'e1', confirm: 'e1' }))
        .status,
    ).toBe(403);
    const root = { bearer: f.root };
    const bad = async (path: string, body: unknown) => f.request(root, 'POST', `/_sealtime/api/privacy/${path}`, body);
    expect((await bad('erase', { employeeId: 'e1', confirm: 'E1' })).body).toMatchObject({
      error: 'invalid-input',
      reason: expect.stringMatching(/confirm/),
    });
    expect((await bad('erase', { employeeId: 'E1', confirm: 'E1' })).status).toBe(400);
    expect((await bad('erase', { employeeId: 'e1', confirm: 'e1', also: 1 })).body.reason).toMatch(
      /unknown field: also/,
    );
    expect((await bad('records/purge', { employeeId: 'e1', recordIds: ['../x'] })).status).toBe(400);
    expect((await bad('records/purge', { employeeId: 'e1' })).status).toBe(400);
    expect((await bad('erase', { employeeId: 'ghost', confirm: 'ghost' })).status).toBe(404);
    expect(await ids(dbNames.employeeRecords('e1'))).toBeDefined(); // nothing was touched
  }, 60_000);

  it('purges chosen records and blobs everywhere while consolidation keeps running', async () => {
    const { dev } = devices.e1!;
    const recs = [dev.activity(), dev.attendance(), dev.activity()];
    const blob = dev.blob(2048);
    expect(await push('e1', 'records', recs)).toBe(201);
    expect(await push('e1', 'blobs', [blob])).toBe(201);
    for (const r of recs) await consolidated(r.id);
    const doomed = recs[1]!.id; // attendance: in org, team and HR copies
    await waitFor('the HR copy', async () => (await ids(dbNames.hrAttendance)).includes(doomed));

    const holders = [
      dbNames.employeeRecords('e1'),
      dbNames.orgRecords,
      dbNames.teamRecords('t1'),
      dbNames.hrAttendance,
    ];
    const held: Record<string, number> = { [dbNames.employeeBlobs('e1')]: 1 };
    for (const db of holders) if ((await ids(db)).includes(doomed)) held[db] = 1;
    expect(Object.keys(held).length).toBeGreaterThanOrEqual(4); // control: the record and its copies were there

    const r = await f.request({ bearer: f.root }, 'POST', '/_sealtime/api/privacy/records/purge', {
      employeeId: 'e1',
      recordIds: [doomed],
      blobIds: [blob.id],
    });
    expect(r.status).toBe(200);
    expect(r.body.removed).toEqual(held);
    for (const db of holders) expect(await ids(db), db).not.toContain(doomed);
    const admin = await f.request(
      { bearer: f.root },
      'GET',
      `/${dbNames.employeeBlobs('e1')}/${encodeURIComponent(blob.id)}`,
    );
    expect(admin.status).toBe(404);
    expect(await ids(dbNames.orgRecords)).toContain(recs[0]!.id);

    // the next records of both employees still reach the consolidated databases
    const later = dev.activity();
    expect(await push('e1', 'records', [later])).toBe(201);
    await consolidated(later.id);
    const other = devices.e2!.dev.activity();
    expect(await push('e2', 'records', [other])).toBe(201);
    await consolidated(other.id);
    const audit = (await f.auditEntries()).filter((e) => e.action === 'privacy.records.purge');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'user:root', target: 'employee:e1' });
  }, 120_000);

  it('erases a person while the server runs: device refused, databases and copies gone, others untouched', async () => {
    const mine = devices.e2!.dev.attendance();
    expect(await push('e2', 'records', [mine])).toBe(201);
    await consolidated(mine.id);
    const r = await f.request({ bearer: f.root }, 'POST', '/_sealtime/api/privacy/erase', {
      employeeId: 'e2',
      confirm: 'e2',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      employeeId: 'e2',
      devicesRevoked: 1,
      databasesDeleted: [dbNames.employeeRecords('e2'), dbNames.employeeBlobs('e2'), dbNames.employeeInbox('e2')],
    });
    expect((await ids(dbNames.orgRecords)).filter((id) => id.startsWith(`${devices.e2!.auth.device}:`))).toEqual([]);
    expect((await ids(dbNames.hrAttendance)).filter((id) => id.startsWith(`${devices.e2!.auth.device}:`))).toEqual([]);
    expect(await push('e2', 'records', [devices.e2!.dev.activity()])).toBe(401);
    // e1 goes on
    const next = devices.e1!.dev.activity();
    expect(await push('e1', 'records', [next])).toBe(201);
    await consolidated(next.id);
    expect((await f.auditEntries()).some((e) => e.action === 'privacy.erase' && e.target === 'employee:e2')).toBe(true);
  }, 120_000);
});

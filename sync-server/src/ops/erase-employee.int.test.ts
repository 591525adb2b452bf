// Erasure of one employee against the embedded engine on disk, and against
// the real CouchDB in COUCHDB_URL when it is set.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, eventually, openEngineFixture } from '../../test-support/engine-fixture.js';
import { createTestDevice, toWire } from '../../test-support/sealed-records.js';
import { SystemStore } from '../auth/system-store.js';
import { dbNames } from '../provisioning/db-names.js';
import { eraseEmployee } from './erase-employee.js';
import { ids, onDisk, opsContext, opsEngine, seed } from './test-support/ops-fixture.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const f of open.splice(0).reverse()) await f.close();
});

describe.each(ENGINE_KINDS)('erase-employee on the %s engine', (kind) => {
  it('revokes devices, destroys key rings, deletes databases and consolidated copies, and audits it', async () => {
    const s = await seed(kind);
    open.push(s.f);
    const { engine, done } = await opsEngine(s);
    open.push({ close: done });
    const wrapped = s.keyrings.e1.generations[0]!.byPassphrase!.ciphertext;
    if (s.f.dir) expect(await onDisk(join(s.f.dir, dbNames.orgDirectory), [wrapped.slice(0, 32)])).toBe(true); // control

    const ctx = opsContext(engine);
    const r = await eraseEmployee(ctx, s.e1);

    expect(r.devicesRevoked).toBe(2);
    expect(r.keyringDocs).toEqual({ [dbNames.employeeInbox(s.e1)]: 1, [dbNames.orgDirectory]: 1 });
    expect(r.databasesDeleted.sort()).toEqual(
      [dbNames.employeeBlobs(s.e1), dbNames.employeeInbox(s.e1), dbNames.employeeRecords(s.e1)].sort(),
    );
    expect(r.consolidatedDocs).toEqual({
      [dbNames.orgRecords]: 3,
      [dbNames.teamRecords(s.team)]: 3,
      [dbNames.hrAttendance]: 1,
    }); // the team holds the attendance too

    const all = await engine.nano.db.list();
    for (const db of r.databasesDeleted) expect(all).not.toContain(db);
    await expect(engine.nano.use(dbNames.orgDirectory).get(`keyring:${s.e1}`)).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(await ids(engine, dbNames.orgDirectory)).toContain(`keyring:${s.e2}`);
    const mine = [...s.records.e1Old, ...s.records.e1New].map((x) => x.id);
    for (const db of [dbNames.orgRecords, dbNames.teamRecords(s.team), dbNames.hrAttendance]) {
      for (const id of mine) expect(await ids(engine, db), db).not.toContain(id);
    }
    const org = await ids(engine, dbNames.orgRecords);
    for (const x of [...s.records.e2Old, ...s.records.e2New]) expect(org).toContain(x.id);
    const store = await SystemStore.open(engine.nano.use(dbNames.system), { cacheTtlMs: 0 });
    expect((await store.devicesOfEmployee(s.e1)).every((d) => d.revokedAt !== null)).toBe(true);
    const registry = await engine.nano.use(dbNames.provisioning).list();
    expect(registry.rows.map((x) => x.id)).not.toContain(s.e1);

    const actions = ctx.audit.events.map((e) => e.action);
    expect(actions.filter((a) => a === 'device.revoke')).toHaveLength(2);
    expect(ctx.audit.events.at(-1)).toMatchObject({
      action: 'employee.erase',
      target: `employee:${s.e1}`,
      actor: 'system:test',
      details: { devicesRevoked: 2 },
    });

    if (s.f.dir) {
      await done();
      expect(await onDisk(join(s.f.dir, dbNames.orgDirectory), [wrapped.slice(0, 32)])).toBe(false);
    }
    // idempotent: a second run finds nothing more to destroy (devices are still on record, revoked)
    const { engine: again, done: doneAgain } = s.f.dir ? await opsEngine(s) : { engine, done: async () => undefined };
    open.push({ close: doneAgain });
    const second = await eraseEmployee(opsContext(again), s.e1);
    expect({ ...second, employeeId: undefined }).toEqual({
      employeeId: undefined,
      devicesRevoked: 0,
      enrollmentsCancelled: 0,
      keyringDocs: {},
      consolidatedDocs: {},
      databasesDeleted: [],
    });
  });

  it('refuses an unknown employee and an invalid id', async () => {
    const s = await seed(kind);
    open.push(s.f);
    const ctx = opsContext(s.f.engine);
    await expect(eraseEmployee(ctx, 'nobody-here-xyz')).rejects.toMatchObject({ code: 'not-found' });
    await expect(eraseEmployee(ctx, '../etc')).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('embedded erase, then the same id again', () => {
  it('a re-created employee of the same id is consolidated from their new, empty databases', async () => {
    const s = await seed('embedded');
    open.push(s.f);
    const { engine, done } = await opsEngine(s);
    await eraseEmployee(opsContext(engine), s.e1);
    await done();

    const f = await openEngineFixture('embedded', s.f.dir!);
    open.push(f);
    await f.provisioner.resumeConsolidation();
    await f.provisioner.provisionEmployee({ employeeId: s.e1, teamId: null });
    const dev = await createTestDevice('d9', s.e1);
    const fresh = toWire(dev.activity());
    await f.engine.nano.use(dbNames.employeeRecords(s.e1)).insert(fresh as never);
    // seq 2 in the new database is below the erased one's checkpoint: it must still be copied
    await eventually(
      async () => (await ids(f.engine, dbNames.orgRecords)).includes(fresh._id),
      20_000,
      'consolidation after erase',
    );
  });
});

// Provisioning and consolidation against the embedded engine on disk, and
// against the real CouchDB in COUCHDB_URL when it is set.
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, eventually, openEngineFixture, type EngineFixture } from '../../test-support/engine-fixture.js';
import { createTestDevice, toWire } from '../../test-support/sealed-records.js';
import { dbNames } from './db-names.js';
import { ADMIN_ONLY_SECURITY, DESIGN_DOC_ID } from './design-docs.js';
import { Provisioner } from './provision.js';

const open: EngineFixture[] = [];
afterEach(async () => {
  for (const f of open.splice(0)) await f.close();
});

async function fixture(kind: (typeof ENGINE_KINDS)[number], dir?: string): Promise<EngineFixture> {
  const f = await openEngineFixture(kind, dir);
  open.push(f);
  return f;
}

async function ids(f: EngineFixture, db: string): Promise<string[]> {
  const res = await f.engine.nano.use(db).list();
  return res.rows.map((r) => r.id).filter((id) => !id.startsWith('_design/'));
}

describe.each(ENGINE_KINDS)('provisioning on the %s engine', (kind) => {
  it('creates every database admin-only with its validation, and a second run writes nothing', async () => {
    const f = await fixture(kind);
    const emp = f.employee();
    const team = f.team();
    await f.provisioner.provisionOrg();
    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: team });
    const names = [
      dbNames.employeeRecords(emp),
      dbNames.employeeBlobs(emp),
      dbNames.employeeInbox(emp),
      dbNames.teamRecords(team),
      dbNames.orgRecords,
      dbNames.hrAttendance,
    ];
    const all = await f.engine.nano.db.list();
    for (const name of [...names, dbNames.orgDirectory, dbNames.system, dbNames.audit, dbNames.provisioning]) {
      expect(all, name).toContain(name);
      expect(await f.engine.nano.request({ db: name, path: '_security' }), name).toEqual(ADMIN_ONLY_SECURITY);
    }
    // what is stored, not update_seq: a cluster's update_seq strings differ between reads of an idle database;
    // the run's own databases whole (org and HR are shared with other suites on a used CouchDB)
    const own = names.slice(0, 4);
    const rows = async (): Promise<unknown[]> =>
      Promise.all(own.map(async (n) => (await f.engine.nano.use(n).list()).rows.map((r) => [r.id, r.value.rev])));
    const revs = async (): Promise<string[]> =>
      Promise.all(names.map(async (n) => ((await f.engine.nano.use(n).get(DESIGN_DOC_ID)) as { _rev: string })._rev));
    const registry = async (): Promise<string> =>
      ((await f.engine.nano.use(dbNames.provisioning).get(emp)) as { _rev: string })._rev;
    const before = { rows: await rows(), revs: await revs(), registry: await registry() };
    expect(before.rows.flat()).toHaveLength(own.length); // each holds its design document only

    await f.provisioner.provisionOrg();
    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: team });
    expect({ rows: await rows(), revs: await revs(), registry: await registry() }).toEqual(before);
  });

  it('provisions employees of one new team concurrently, in one provisioner and across two', async () => {
    const f = await fixture(kind);
    const team = f.team();
    const emps = Array.from({ length: 6 }, () => f.employee());
    // a second provisioner on the same engine stands for another process: only the engine can settle that race
    const other = new Provisioner(f.engine, f.consolidator);
    await Promise.all(
      emps.map((e, i) => (i % 2 === 0 ? f.provisioner : other).provisionEmployee({ employeeId: e, teamId: team })),
    );
    expect(await f.engine.nano.request({ db: dbNames.teamRecords(team), path: '_security' })).toEqual(
      ADMIN_ONLY_SECURITY,
    );
    expect((await f.provisioner.employees()).filter((s) => emps.includes(s.employeeId))).toHaveLength(emps.length);
    for (const e of emps) expect(await f.provisioner.teamsOf(e)).toEqual([team]);
  });

  it('refuses, inside the engine itself, writes the gateway would refuse (validate_doc_update)', async () => {
    const f = await fixture(kind);
    const emp = f.employee();
    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: null });
    const dev = await createTestDevice('d1', emp);
    // its own device id: a reused id would meet the stored record's conflict (409) before validation runs
    const stranger = await createTestDevice('d2', 'someone-else');
    const db = f.engine.nano.use<Record<string, unknown>>(dbNames.employeeRecords(emp));
    const good = toWire(dev.activity());
    const stored = await db.insert(good as never);
    const refused = async (doc: object): Promise<number | undefined> =>
      db.insert(doc as never).then(
        () => 201,
        (e: { statusCode?: number }) => e.statusCode,
      );
    expect(await refused(toWire(stranger.activity()))).toBe(403); // another employee's record
    expect(await refused({ ...toWire(dev.activity()), _id: 'd1:7' })).toBe(403); // id not derived from the record
    expect(await refused({ ...toWire(dev.activity()), extra: 1 })).toBe(403); // unknown field
    expect(await refused({ ...good, _rev: stored.rev, envelope: dev.activity().envelope })).toBe(403); // rewriting a record
    expect(await refused({ _id: good._id, _rev: stored.rev, _deleted: true })).toBe(403); // deleting one
    const inbox = f.engine.nano.use(dbNames.employeeInbox(emp));
    await expect(inbox.insert({ type: 'nonsense', target: emp, issuedAt: 1, doc: {} } as never)).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(
      inbox.insert({ _id: 'policy-1', type: 'policy', target: emp, issuedAt: 1, doc: {} } as never),
    ).resolves.toMatchObject({ ok: true });
  });

  it('consolidates records by class (v2) and by kind (v1) into org, team and HR databases, and follows a team change', async () => {
    const f = await fixture(kind);
    const emp = f.employee();
    const [t1, t2] = [f.team(), f.team()];
    await f.provisioner.provisionOrg();
    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: t1 });
    // a device id of this run: a used CouchDB's consolidated databases hold other runs' records
    const devId = `d-${emp}`;
    const dev = await createTestDevice(devId, emp);
    // stored before the upgrade: version 1 envelopes, kind and createdAt in the clear
    const oldActivity = toWire(dev.legacy('activity-slot'));
    const oldAttendance = toWire(dev.legacy('attendance'));
    const activity = toWire(dev.activity());
    const attendance = toWire(dev.attendance());
    expect(activity).not.toHaveProperty('kind');
    await f.engine.nano
      .use(dbNames.employeeRecords(emp))
      .bulk({ docs: [oldActivity, oldAttendance, activity, attendance] as never[] });

    const mine = (list: string[]): string[] => list.filter((id) => id.startsWith(`${devId}:`)).sort();
    // the lists that were complete, not a second read: a cluster's _all_docs may answer from a copy a moment behind
    const copied = async (db: string, n: number, what: string): Promise<string[]> =>
      eventually(
        async () => {
          const m = mine(await ids(f, db));
          return m.length === n ? m : null;
        },
        20_000,
        what,
      );
    await copied(dbNames.orgRecords, 4, 'org consolidation');
    const inTeam = await copied(dbNames.teamRecords(t1), 4, 'team consolidation');
    const inHr = await copied(dbNames.hrAttendance, 2, 'hr consolidation');
    // activity is the team's and not HR's; attendance is HR's and the team's (its manager reviews worked time)
    expect(inTeam).toEqual([oldActivity._id, oldAttendance._id, activity._id, attendance._id].sort());
    expect(inHr).toEqual([oldAttendance._id, attendance._id].sort());
    expect(await f.provisioner.teamsOf(emp)).toEqual([t1]);

    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: t2 });
    expect(await f.provisioner.teamsOf(emp)).toEqual([t2]);
    const later = toWire(dev.activity());
    await f.engine.nano.use(dbNames.employeeRecords(emp)).insert(later as never);
    await eventually(
      async () => (await ids(f, dbNames.teamRecords(t2))).includes(later._id),
      20_000,
      'new team consolidation',
    );
    expect(await ids(f, dbNames.teamRecords(t1))).not.toContain(later._id);
    const routes = (await f.consolidator.status()).filter((r) => r.source === dbNames.employeeRecords(emp));
    expect(routes.map((r) => r.target).sort()).toEqual(
      [dbNames.hrAttendance, dbNames.orgRecords, dbNames.teamRecords(t2)].sort(),
    );
  });

  it('moves an employee between teams without a leak: records stored after the move never reach the old team', async () => {
    const f = await fixture(kind);
    const emp = f.employee();
    const [t1, t2] = [f.team(), f.team()];
    await f.provisioner.provisionOrg();
    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: t1 });
    const devId = `d-${emp}`;
    const dev = await createTestDevice(devId, emp);
    const records = f.engine.nano.use(dbNames.employeeRecords(emp));
    const before = toWire(dev.activity());
    await records.insert(before as never);
    // the old route is running and has copied: the move meets a live job
    await eventually(
      async () => (await ids(f, dbNames.teamRecords(t1))).includes(before._id),
      20_000,
      'old team consolidation',
    );

    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: t2 });
    // an agent writing on: records stored for 600 ms after the move, the span in which a deleted route's job still ran
    const after: Array<{ _id: string }> = [];
    for (const t0 = Date.now(); Date.now() - t0 < 600;) {
      const r = toWire(dev.activity());
      await records.insert(r as never);
      after.push(r);
    }
    await eventually(
      async () =>
        (await ids(f, dbNames.teamRecords(t2))).filter((id) => after.some((r) => r._id === id)).length === after.length,
      30_000,
      'new team consolidation',
    );
    await eventually(
      async () =>
        (await ids(f, dbNames.orgRecords)).filter((id) => after.some((r) => r._id === id)).length === after.length,
      30_000,
      'org consolidation',
    );
    await new Promise((r) => setTimeout(r, 1_000)); // a stray job would have copied them by now
    const leaked = (await ids(f, dbNames.teamRecords(t1))).filter((id) => after.some((r) => r._id === id));
    expect(leaked, 'records stored after the move, in the old team').toEqual([]);
    expect(await ids(f, dbNames.teamRecords(t1))).toEqual([before._id]);
  });

  it('reports no lag once every record a route carries is copied, however many it skipped (the HR route)', async () => {
    const f = await fixture(kind);
    const emp = f.employee();
    await f.provisioner.provisionOrg();
    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: null });
    const dev = await createTestDevice(`d-${emp}`, emp);
    const attendance = toWire(dev.attendance());
    // HR carries the attendance record and skips the thirty activity records after it
    const activity = Array.from({ length: 30 }, () => toWire(dev.activity()));
    await f.engine.nano.use(dbNames.employeeRecords(emp)).bulk({ docs: [attendance, ...activity] as never[] });
    await eventually(
      async () => (await ids(f, dbNames.hrAttendance)).includes(attendance._id),
      20_000,
      'hr consolidation',
    );
    await eventually(
      async () => (await ids(f, dbNames.orgRecords)).filter((id) => id.startsWith(`d-${emp}:`)).length === 31,
      20_000,
      'org consolidation',
    );
    const mine = async () => (await f.consolidator.status()).filter((r) => r.source === dbNames.employeeRecords(emp));
    const settled = await eventually(
      async () => {
        const routes = await mine();
        return routes.length === 2 && routes.every((r) => r.pending === 0) ? routes : null;
      },
      20_000,
      'every route of the employee to report 0 pending',
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify((await mine()).map((r) => [r.target, r.pending, r.state]))}`);
    });
    expect(settled.map((r) => r.state)).toEqual(['idle', 'idle']);
  });

  it('removes an employee: routes stopped, own databases gone', async () => {
    const f = await fixture(kind);
    const emp = f.employee();
    await f.provisioner.provisionOrg();
    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: null });
    await f.provisioner.removeEmployee(emp);
    const all = await f.engine.nano.db.list();
    expect(all).not.toContain(dbNames.employeeRecords(emp));
    expect(all).not.toContain(dbNames.employeeInbox(emp));
    expect((await f.consolidator.status()).some((r) => r.source === dbNames.employeeRecords(emp))).toBe(false);
    expect((await f.provisioner.employees()).some((e) => e.employeeId === emp)).toBe(false);
  });
});

describe('embedded consolidation across a restart', () => {
  it('resumes every route from st-provisioning and its checkpoints', async () => {
    const first = await fixture('embedded');
    const emp = first.employee();
    await first.provisioner.provisionOrg();
    await first.provisioner.provisionEmployee({ employeeId: emp, teamId: 'alpha' });
    const dev = await createTestDevice('d1', emp);
    const a = toWire(dev.activity());
    await first.engine.nano.use(dbNames.employeeRecords(emp)).insert(a as never);
    await eventually(async () => (await ids(first, dbNames.orgRecords)).includes(a._id), 20_000, 'first copy');
    const seq = Number((await first.engine.nano.db.get(dbNames.employeeRecords(emp))).update_seq);
    await first.stop();

    const again = await fixture('embedded', first.dir!);
    // every route of the written employee was checkpointed at its database's last change
    const saved = (await again.engine.nano
      .use(dbNames.provisioning)
      .get('_local/sealtime-consolidation')) as unknown as { routes: Record<string, number> };
    const mine = Object.entries(saved.routes).filter(([k]) => k.includes(`:${dbNames.employeeRecords(emp)}:`));
    expect(mine.length).toBeGreaterThanOrEqual(2); // team and org
    for (const [k, v] of mine) expect(v, k).toBe(seq);
    expect(await again.provisioner.resumeConsolidation()).toBe(1);
    const b = toWire(dev.activity());
    await again.engine.nano.use(dbNames.employeeRecords(emp)).insert(b as never);
    await eventually(
      async () => (await ids(again, dbNames.teamRecords('alpha'))).includes(b._id),
      20_000,
      'copy after restart',
    );
    expect((await ids(again, dbNames.orgRecords)).sort()).toEqual([a._id, b._id].sort());
  });

  it('starts a removed and re-created employee from their new, empty databases', async () => {
    const f = await fixture('embedded');
    const emp = f.employee();
    await f.provisioner.provisionOrg();
    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: null });
    const dev = await createTestDevice('d1', emp);
    const first = [toWire(dev.activity()), toWire(dev.activity()), toWire(dev.activity())];
    await f.engine.nano.use(dbNames.employeeRecords(emp)).bulk({ docs: first as never[] });
    await eventually(async () => (await ids(f, dbNames.orgRecords)).length === 3, 20_000, 'first copies');
    await f.provisioner.removeEmployee(emp);

    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: null });
    const again = await createTestDevice('d2', emp);
    const fresh = toWire(again.activity());
    await f.engine.nano.use(dbNames.employeeRecords(emp)).insert(fresh as never);
    // the new database's seq 2 is below the old checkpoint: it must still be copied
    await eventually(
      async () => (await ids(f, dbNames.orgRecords)).includes(fresh._id),
      20_000,
      'copy into org after re-creation',
    );
  });
});

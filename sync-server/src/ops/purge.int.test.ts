// Retention purge against the embedded engine on disk, and against the real
// CouchDB in COUCHDB_URL when it is set.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, eventually, openEngineFixture, type EngineFixture } from '../../test-support/engine-fixture.js';
import { createTestDevice, toWire } from '../../test-support/sealed-records.js';
import { dbNames } from '../provisioning/db-names.js';
import { purgeBefore } from './purge.js';
import {
  CUTOFF,
  fingerprints,
  ids,
  onDisk,
  opsContext,
  opsEngine,
  seed,
  type Seeded,
} from './test-support/ops-fixture.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const f of open.splice(0).reverse()) await f.close();
});

async function seeded(kind: (typeof ENGINE_KINDS)[number]): Promise<Seeded> {
  const s = await seed(kind);
  open.push(s.f);
  return s;
}

describe.each(ENGINE_KINDS)('purge on the %s engine', (kind) => {
  it("removes one employee's records before the date everywhere, for real, and nothing else", async () => {
    const s = await seeded(kind);
    const { engine, done } = await opsEngine(s);
    open.push({ close: done });
    const old = s.records.e1Old.map((r) => r.id);
    const kept = [...s.records.e1New, ...s.records.e2Old, ...s.records.e2New].map((r) => r.id);
    const recordsDb = dbNames.employeeRecords(s.e1);
    const before = await engine.nano.db.get(recordsDb);
    const orgBefore = await engine.nano.db.get(dbNames.orgRecords);
    const traces = fingerprints(s.records.e1Old[0]!.envelope);
    if (s.f.dir) {
      // control: the detector does see the envelope on disk before the purge
      expect(await onDisk(join(s.f.dir, recordsDb), traces)).toBe(true);
      expect(await onDisk(join(s.f.dir, dbNames.orgRecords), traces)).toBe(true);
    }

    const ctx = opsContext(engine);
    const result = await purgeBefore(ctx, { before: CUTOFF, employeeId: s.e1 });

    const removedIn = Object.fromEntries(result.databases.map((d) => [d.db, d.removed]));
    expect(removedIn[recordsDb]).toBe(2);
    expect(removedIn[dbNames.employeeBlobs(s.e1)]).toBe(1);
    expect(removedIn[dbNames.orgRecords]).toBe(2);
    expect(removedIn[dbNames.teamRecords(s.team)]).toBe(2); // the team holds the attendance too
    expect(removedIn[dbNames.hrAttendance]).toBe(1);
    expect(result.removed).toBe(8);

    for (const db of [recordsDb, dbNames.orgRecords, dbNames.teamRecords(s.team), dbNames.hrAttendance]) {
      const present = await ids(engine, db);
      for (const id of old) expect(present, db).not.toContain(id);
      // purged, not deleted: no tombstone is left, so nothing replicates a deletion or the document again
      for (const id of old) {
        await expect(engine.nano.use(db).get(id), `${db}/${id}`).rejects.toMatchObject({ statusCode: 404 });
        const changes = (await engine.nano.request({ db, path: '_changes', qs: { style: 'all_docs' } })) as {
          results: Array<{ id: string }>;
        };
        expect(changes.results.map((c) => c.id)).not.toContain(id);
      }
    }
    expect(await ids(engine, dbNames.employeeBlobs(s.e1))).toEqual([s.blobs.e1New]);
    expect(await ids(engine, recordsDb)).toEqual(s.records.e1New.map((r) => r.id));
    const org = await ids(engine, dbNames.orgRecords);
    for (const id of kept) expect(org).toContain(id);
    expect((await engine.nano.db.get(recordsDb)).doc_count).toBe(before.doc_count - 2);
    expect((await engine.nano.db.get(dbNames.orgRecords)).doc_count).toBe(orgBefore.doc_count - 2);
    const seqNumber = (s: unknown): number => Number.parseInt(String(s).split('-')[0]!, 10);
    expect(seqNumber((await engine.nano.db.get(recordsDb)).update_seq)).toBeGreaterThanOrEqual(
      seqNumber(before.update_seq),
    );

    if (s.f.dir) {
      await done();
      expect(await onDisk(join(s.f.dir, recordsDb), traces)).toBe(false);
      expect(await onDisk(join(s.f.dir, dbNames.orgRecords), traces)).toBe(false);
      expect(await onDisk(join(s.f.dir, dbNames.hrAttendance), fingerprints(s.records.e1Old[1]!.envelope))).toBe(false);
      // and the same detector still finds a kept record in the compacted tables
      expect(await onDisk(join(s.f.dir, recordsDb), fingerprints(s.records.e1New[0]!.envelope))).toBe(true);
    }
    expect(ctx.audit.events).toEqual([
      expect.objectContaining({
        action: 'retention.purge',
        actor: 'system:test',
        target: `employee:${s.e1}`,
        details: expect.objectContaining({ before: CUTOFF.toISOString(), removed: 8 }),
      }),
    ]);
  });

  it('without an employee, purges everyone; a second run removes nothing', async () => {
    const s = await seeded(kind);
    const { engine, done } = await opsEngine(s);
    open.push({ close: done });
    const ctx = opsContext(engine);
    const first = await purgeBefore(ctx, { before: CUTOFF });
    const org = await ids(engine, dbNames.orgRecords);
    for (const r of [...s.records.e1Old, ...s.records.e2Old]) expect(org).not.toContain(r.id);
    for (const r of [...s.records.e1New, ...s.records.e2New]) expect(org).toContain(r.id);
    expect(await ids(engine, dbNames.employeeRecords(s.e2))).toEqual(s.records.e2New.map((r) => r.id));
    // on a shared CouchDB other suites' records may be old too: count at least ours
    expect(first.removed).toBeGreaterThanOrEqual(2 + 1 + 1 + 3 + 1 + 1);
    const again = await purgeBefore(ctx, { before: CUTOFF });
    expect(
      again.databases.filter((d) => d.db.includes(s.e1) || d.db.includes(s.e2)).every((d) => d.removed === 0),
    ).toBe(true);
  });

  it('refuses an invalid date or employee id', async () => {
    const s = await seeded(kind);
    const ctx = opsContext(s.f.engine);
    await expect(purgeBefore(ctx, { before: new Date('nope') })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(purgeBefore(ctx, { before: CUTOFF, employeeId: 'Not An Id' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});

describe('embedded purge keeps the server working', () => {
  it('after a purge the server restarts, consolidation resumes and purged records do not come back', async () => {
    const s = await seeded('embedded');
    const { engine, done } = await opsEngine(s);
    await purgeBefore(opsContext(engine), { before: CUTOFF });
    await done();

    const again: EngineFixture = await openEngineFixture('embedded', s.f.dir!);
    open.push(again);
    await again.provisioner.resumeConsolidation();
    const fresh = toWire(s.d1.activity(Date.UTC(2025, 2, 1)));
    await again.engine.nano.use(dbNames.employeeRecords(s.e1)).insert(fresh as never);
    await eventually(
      async () => (await ids(again.engine, dbNames.orgRecords)).includes(fresh._id),
      20_000,
      'consolidation after purge',
    );
    const org = await ids(again.engine, dbNames.orgRecords);
    for (const r of [...s.records.e1Old, ...s.records.e2Old]) expect(org).not.toContain(r.id);
    expect(org.length).toBe(s.records.e1New.length + s.records.e2New.length + 1);
  });
});

describe('purge by the hour a record shows', () => {
  it('removes whole hours before the date and v1 records by their exact time; the hour holding the date stays', async () => {
    const f = await openEngineFixture('embedded');
    open.push(f);
    const e = f.employee('eh');
    await f.provisioner.provisionOrg();
    await f.provisioner.provisionEmployee({ employeeId: e, teamId: null });
    const d = await createTestDevice('dh-1', e);
    const H = Date.UTC(2025, 0, 10, 9, 0, 0);
    const cutoff = new Date(H + 30 * 60_000); // 09:30
    const docs = {
      earlierHour: d.activity(H - 10 * 60_000), // 08:50, its hour ends at 09:00: before the cutoff
      legacyBefore: d.legacy('activity-slot', H + 10 * 60_000), // 09:10 in the clear (version 1): exact
      sameHour: d.activity(H + 5 * 60_000), // 09:05 sealed, shows 09:00: its hour reaches past 09:30
      after: d.activity(H + 40 * 60_000),
    };
    const recordsDb = dbNames.employeeRecords(e);
    await f.engine.nano
      .use(recordsDb)
      .bulk({ docs: Object.values(docs).map((r) => toWire(r as { id: string })) as never[] });
    const result = await purgeBefore(opsContext(f.engine), { before: cutoff, employeeId: e });
    expect(result.databases.find((x) => x.db === recordsDb)?.removed).toBe(2);
    expect(await ids(f.engine, recordsDb)).toEqual([docs.sameHour.id, docs.after.id].sort());
  });
});

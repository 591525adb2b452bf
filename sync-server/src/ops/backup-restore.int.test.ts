// Backup and restore: a round trip from the embedded engine on disk (or the
// CouchDB in COUCHDB_URL) into a fresh embedded engine in another directory.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, openEngineFixture } from '../../test-support/engine-fixture.js';
import { createTestDevice, toWire } from '../../test-support/sealed-records.js';
import { startEmbeddedEngine, type EmbeddedEngine } from '../engine/embedded-engine.js';
import type { Engine } from '../engine/engine.js';
import { dbNames } from '../provisioning/db-names.js';
import { backup } from './backup.js';
import { sealtimeDatabases } from './hard-remove.js';
import { restore } from './restore.js';
import { opsContext, opsEngine, seed, verifyStored, type Seeded } from './test-support/ops-fixture.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sealtime-ops-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function freshEngine(): Promise<EmbeddedEngine> {
  const engine = await startEmbeddedEngine({ dataDir: await tempDir() });
  cleanup.push(() => engine.close());
  return engine;
}

type Doc = Record<string, unknown> & { _id: string; _rev: string };

async function allDocs(engine: Engine, db: string): Promise<Doc[]> {
  const res = await engine.nano.use(db).list({ include_docs: true, conflicts: true } as never);
  return res.rows.map((r) => r.doc as unknown as Doc);
}

async function seeded(kind: (typeof ENGINE_KINDS)[number]): Promise<{ s: Seeded; engine: Engine }> {
  const s = await seed(kind);
  cleanup.push(() => s.f.close());
  const { engine, done } = await opsEngine(s);
  cleanup.push(done);
  return { s, engine };
}

describe.each(ENGINE_KINDS)('backup from the %s engine', (kind) => {
  it('round-trips every database: same ids, revisions and envelopes, and the records still verify', async () => {
    const { s, engine } = await seeded(kind);
    const file = join(await tempDir(), 'sealtime.backup.ndjson.gz');
    const b = await backup(opsContext(engine), file);
    const names = b.databases.map((d) => d.db);
    if (kind === 'embedded') expect(names).toEqual(await sealtimeDatabases(engine));
    // on a used CouchDB other suites add and drop their databases meanwhile: this run's and the shared ones are compared
    const compared = names.filter(
      (db) => kind === 'embedded' || [s.e1, s.e2, s.team].some((x) => db.includes(x)) || !/^st-(emp|team)-/.test(db),
    );
    expect(compared).toEqual(
      expect.arrayContaining([
        dbNames.employeeRecords(s.e1),
        dbNames.employeeInbox(s.e1),
        dbNames.teamRecords(s.team),
        dbNames.orgRecords,
        dbNames.system,
      ]),
    );
    expect(b.bytes).toBeGreaterThan(0);

    const target = await freshEngine();
    const ctx = opsContext(target);
    const r = await restore(ctx, file);
    expect(r.docs).toBe(b.docs);
    expect((await sealtimeDatabases(target)).sort()).toEqual([...names].sort());
    // a used CouchDB's shared databases (org, HR, system, …) change under other suites meanwhile: there, this run's documents
    const ours =
      (db: string) =>
      (docs: Doc[]): Doc[] =>
        kind === 'embedded' || [s.e1, s.e2, s.team].some((x) => db.includes(x))
          ? docs
          : docs.filter((d) => [s.e1, s.e2].some((x) => JSON.stringify(d).includes(x)));
    for (const db of compared) {
      const [a, c] = [ours(db)(await allDocs(engine, db)), ours(db)(await allDocs(target, db))];
      expect(
        c.map((d) => d._id),
        db,
      ).toEqual(a.map((d) => d._id));
      expect(c, db).toEqual(a); // whole documents: _rev, envelope, every field
      expect(await target.nano.request({ db, path: '_security' }), db).toEqual(
        await engine.nano.request({ db, path: '_security' }),
      );
    }
    // the updated policy kept its history: the next revision a client writes follows on from it
    const policy = (await target.nano.use(dbNames.employeeInbox(s.e1)).get('policy-1', { revs: true })) as unknown as {
      _revisions: { start: number; ids: string[] };
    };
    expect(policy._revisions.start).toBe(2);
    expect(policy._revisions.ids).toHaveLength(2);
    for (const [emp, dev] of [
      [s.e1, s.d1],
      [s.e2, s.d2],
    ] as const) {
      for (const db of [dbNames.employeeRecords(emp), dbNames.orgRecords]) {
        const v = await verifyStored(target, db, dev);
        expect(v, `${db} ${dev.deviceId}`).toEqual({ ok: true, verified: dev === s.d1 ? 3 : 2 });
      }
    }
    expect(ctx.audit.events).toEqual([
      expect.objectContaining({ action: 'data.restore', details: expect.objectContaining({ docs: b.docs }) }),
    ]);

    // a second restore would merge into live data: refused unless forced
    await expect(restore(opsContext(target), file)).rejects.toMatchObject({ code: 'not-empty' });
    await expect(restore(opsContext(target), file, { force: true })).resolves.toMatchObject({ docs: b.docs });
    expect(ours(dbNames.orgRecords)(await allDocs(target, dbNames.orgRecords))).toEqual(
      ours(dbNames.orgRecords)(await allDocs(engine, dbNames.orgRecords)),
    );
  });
});

describe.each(ENGINE_KINDS)('conflicting revisions on the %s engine', (kind) => {
  it('are backed up with each branch, reproduced by a restore, and a forced restore over them is accepted', async () => {
    const f = await openEngineFixture(kind);
    cleanup.push(() => f.close());
    const emp = f.employee();
    await f.provisioner.provisionEmployee({ employeeId: emp, teamId: null });
    const db = dbNames.employeeRecords(emp);
    // two devices enrolled under one id forked the chain: one record id, two envelopes, two branches
    const devId = `d-${emp}`;
    const [a, b] = [await createTestDevice(devId, emp), await createTestDevice(devId, emp)];
    const mine = toWire(a.activity());
    const theirs = toWire(b.activity());
    expect(theirs._id).toBe(mine._id);
    await f.engine.nano.use(db).insert(mine as never);
    const branch = 'f'.repeat(32);
    const other = { ...theirs, _rev: `1-${branch}`, _revisions: { start: 1, ids: [branch] } };
    if (kind === 'couchdb') {
      // CouchDB validates a replicated branch against its own ancestors (none here), as replication from the other device would
      const res = (await f.engine.nano.request({
        db,
        path: '_bulk_docs',
        method: 'POST',
        body: { docs: [other], new_edits: false },
      })) as Array<{ error?: string }>;
      expect(res.filter((r) => r.error)).toEqual([]);
    } else {
      // the embedded engine's validation compares with the winner on any branch: the branch goes in beside it, straight into the store
      await (
        new (f.engine as EmbeddedEngine).PouchDB(db) as unknown as {
          bulkDocs(d: object[], o: object): Promise<unknown>;
        }
      ).bulkDocs([other], { new_edits: false });
    }
    const leaves = async (engine: Engine): Promise<Array<[string, unknown]>> => {
      const all = (await engine.nano.request({
        db,
        path: encodeURIComponent(mine._id),
        qs: { open_revs: 'all' },
      })) as Array<{ ok?: { _rev: string; envelope: unknown } }>;
      return all
        .flatMap((r) => (r.ok ? [[r.ok._rev, r.ok.envelope] as [string, unknown]] : []))
        .sort((x, y) => (x[0] < y[0] ? -1 : 1));
    };
    const original = await leaves(f.engine);
    expect(original).toHaveLength(2);

    const file = join(await tempDir(), 'conflicts.ndjson.gz');
    await backup(opsContext(f.engine), file);
    // into a fresh engine: the same revision tree
    const target = await freshEngine();
    await restore(opsContext(target), file);
    expect(await leaves(target)).toEqual(original);
    // over the database that holds them (the target, and the source itself): nothing refused, nothing changed
    await expect(restore(opsContext(target), file, { force: true })).resolves.toMatchObject({ file });
    expect(await leaves(target)).toEqual(original);
    await expect(restore(opsContext(f.engine), file, { force: true })).resolves.toMatchObject({ file });
    expect(await leaves(f.engine)).toEqual(original);
  });
});

describe('restore refuses a broken backup', () => {
  it('truncated, altered, foreign or not gzip at all: clear errors, nothing half-done reported as success', async () => {
    const { engine } = await seeded('embedded');
    const dir = await tempDir();
    const file = join(dir, 'ok.gz');
    await backup(opsContext(engine), file);
    const text = gunzipSync(await readFile(file)).toString('utf8');
    const lines = text.trimEnd().split('\n');
    const firstDoc = lines.findIndex((l) => l.startsWith('{"type":"doc"'));
    expect(firstDoc).toBeGreaterThan(0);

    const write = async (name: string, body: string | Buffer): Promise<string> => {
      const p = join(dir, name);
      await writeFile(p, typeof body === 'string' ? gzipSync(body) : body);
      return p;
    };
    const cases: Array<[string, string, RegExp]> = [
      [await write('no-end.gz', `${lines.slice(0, -1).join('\n')}\n`), 'bad-backup', /incomplete/],
      [
        await write('bad-count.gz', `${lines.filter((_l, i) => i !== firstDoc).join('\n')}\n`),
        'bad-backup',
        /lists \d+ documents but its end line says/,
      ],
      [
        await write('foreign.gz', `${lines[0]!.replace('"databases":[', '"databases":["_users",')}\n`),
        'bad-backup',
        /not sealtime/,
      ],
      [await write('plain.gz', Buffer.from('this is not gzip')), 'bad-backup', /gzip/],
      [await write('garbage.gz', 'hello\n'), 'bad-backup', /not a backup line/],
    ];
    for (const [path, code, message] of cases) {
      const target = await freshEngine();
      await expect(restore(opsContext(target), path), path).rejects.toMatchObject({
        code,
        message: expect.stringMatching(message),
      });
    }
    await expect(restore(opsContext(await freshEngine()), join(dir, 'missing.gz'))).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});

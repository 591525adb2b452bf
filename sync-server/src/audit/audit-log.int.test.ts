import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentScope } from 'nano';
import { startPouchServerProcess, type PouchServerProcess } from '../auth/test-support/pouch-server-process.js';
import { startPouchServer, type PouchServer } from '../auth/test-support/pouch-server.js';
import { AUDIT_DESIGN_DOC, AuditLog, type AuditEntry } from './audit-log.js';

const silent = pino({ level: 'silent' });
const fast = { logger: silent, retryMinMs: 50, retryMaxMs: 400, sendTimeoutMs: 3_000 };

async function entriesIn(db: DocumentScope<unknown>): Promise<AuditEntry[]> {
  const res = await db.list({ include_docs: true });
  return res.rows.filter((r) => !r.id.startsWith('_design/')).map((r) => r.doc as unknown as AuditEntry);
}

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sealtime-audit-test-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('AuditLog against a server that stays up', () => {
  let server: PouchServer;
  let n = 0;
  const freshDb = async (): Promise<DocumentScope<unknown>> => {
    const name = `st-audit-${++n}`;
    await server.ensureDb(name);
    return server.nano.use(name);
  };

  beforeAll(async () => {
    server = await startPouchServer({ validation: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('writes who, what, when, where and a redacted diff', async () => {
    const db = await freshDb();
    const log = await AuditLog.open(db, { spillPath: join(tmp, 'spill.jsonl'), ...fast });
    const id = log.record({
      actor: 'user:ada',
      action: 'user.update',
      target: 'user:bob',
      ip: '10.0.0.1',
      userAgent: 'admin-desktop/1.0',
      before: { role: 'member', passwordHash: 'x' },
      after: { role: 'manager', passwordHash: 'y' },
      details: { note: 'promotion', token: 'abc' },
    });
    await log.flush();
    const [e] = await entriesIn(db);
    expect(e).toMatchObject({
      _id: id,
      type: 'audit',
      actor: 'user:ada',
      action: 'user.update',
      target: 'user:bob',
      ip: '10.0.0.1',
      userAgent: 'admin-desktop/1.0',
      diff: [
        { path: 'passwordHash', from: '[redacted]', to: '[redacted]' },
        { path: 'role', from: 'member', to: 'manager' },
      ],
      details: { note: 'promotion', token: '[redacted]' },
    });
    expect(new Date(e!.atIso).getTime()).toBe(e!.at);
    await log.close();
  });

  it('installs the append-only validator: an entry cannot be changed or deleted, even with admin rights', async () => {
    const db = await freshDb();
    const log = await AuditLog.open(db, { spillPath: join(tmp, 'spill.jsonl'), ...fast });
    const id = log.record({ actor: 'system:test', action: 'x.y', target: 't' });
    await log.flush();
    const doc = (await db.get(id)) as unknown as AuditEntry & { _rev: string };
    await expect(db.insert({ ...doc, action: 'forged' } as never)).rejects.toMatchObject({ statusCode: 403 });
    await expect(db.destroy(id, doc._rev)).rejects.toMatchObject({ statusCode: 403 });
    expect(
      ((await db.get(AUDIT_DESIGN_DOC._id)) as unknown as { validate_doc_update: string }).validate_doc_update,
    ).toBe(AUDIT_DESIGN_DOC.validate_doc_update);
    await log.close();
  });

  it('never blocks: recording 5 000 entries takes milliseconds, and a tiny memory queue spills to disk without loss', async () => {
    const db = await freshDb();
    const spillPath = join(tmp, 'spill.jsonl');
    const log = await AuditLog.open(db, { spillPath, ...fast, maxQueue: 50, batchSize: 100 });
    const t0 = performance.now();
    const ids = Array.from({ length: 5_000 }, (_, i) =>
      log.record({ actor: 'system:test', action: 'bulk.entry', target: `t${i}` }),
    );
    const took = performance.now() - t0;
    expect(took).toBeLessThan(1_000);
    await log.flush(30_000);
    const got = await entriesIn(db);
    expect(got.map((e) => e._id).sort()).toEqual([...ids].sort());
    expect(log.stats().spilled).toBeGreaterThan(0);
    expect(await exists(spillPath)).toBe(false);
    await log.close();
  });

  it('sets aside entries the database refuses instead of retrying them forever, and keeps the rest flowing', async () => {
    const db = await freshDb();
    await db.insert({
      _id: '_design/refuse',
      validate_doc_update: "function (d) { if (d.action === 'refused.action') throw({ forbidden: 'refused here' }); }",
    } as never);
    const spillPath = join(tmp, 'spill.jsonl');
    const log = await AuditLog.open(db, { spillPath, ...fast });
    log.record({ actor: 'a', action: 'refused.action', target: 't' });
    const ok = log.record({ actor: 'a', action: 'fine.action', target: 't' });
    await log.flush();
    expect((await entriesIn(db)).map((e) => e._id)).toEqual([ok]);
    expect(log.stats().rejected).toBe(1);
    const rejected = await readFile(`${spillPath}.rejected`, 'utf8');
    expect(rejected).toContain('refused.action');
    expect(rejected).toContain('refused here');
    await log.close();
  });

  it('sends entries left on disk by an earlier run, skipping a torn line', async () => {
    const db = await freshDb();
    const spillPath = join(tmp, 'spill.jsonl');
    const old: AuditEntry = {
      _id: '000001736150000-000000-aaaaaaaaaaaa',
      type: 'audit',
      at: 1736150000,
      atIso: new Date(1736150000).toISOString(),
      actor: 'user:x',
      action: 'old.entry',
      target: 't',
      diff: [],
      ip: null,
      userAgent: null,
    };
    await appendFile(spillPath, `${JSON.stringify(old)}\n{"_id":"torn`);
    const log = await AuditLog.open(db, { spillPath, ...fast });
    await log.flush();
    expect((await entriesIn(db)).map((e) => e.action)).toEqual(['old.entry']);
    expect(log.stats().rejected).toBe(1);
    expect(await readFile(`${spillPath}.rejected`, 'utf8')).toContain('torn');
    await log.close();
  });
});

describe('AuditLog when the database crashes and comes back (child-process server, SIGKILL)', () => {
  let server: PouchServerProcess;

  beforeAll(async () => {
    server = await startPouchServerProcess();
    await server.ensureDb('st-audit');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('loses nothing: entries recorded before, during and after the outage all arrive exactly once', async () => {
    const db = server.nano.use('st-audit');
    const spillPath = join(tmp, 'spill.jsonl');
    const log = await AuditLog.open(db, { spillPath, ...fast });
    const ids: string[] = [];
    const burst = (label: string, count: number): void => {
      for (let i = 0; i < count; i++)
        ids.push(log.record({ actor: 'user:ada', action: `outage.${label}`, target: `t${i}`, ip: '10.0.0.1' }));
    };

    burst('before', 50);
    await log.flush();
    await server.kill();
    burst('during', 200); // recorded while the database is gone
    await expect.poll(() => log.stats().down, { timeout: 10_000 }).toBe(true);
    burst('during-2', 100);
    // While down, entries wait on disk (not only in memory), so a crash of this process would not lose them.
    await expect
      .poll(async () => (await exists(spillPath)) || (await exists(`${spillPath}.draining`)), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => log.stats().queued, { timeout: 10_000 }).toBe(0);

    await server.restart();
    burst('after', 50);
    await log.flush(30_000);
    const got = await entriesIn(db);
    expect(got).toHaveLength(ids.length);
    expect(got.map((e) => e._id).sort()).toEqual([...ids].sort());
    expect(log.stats()).toMatchObject({ down: false, rejected: 0 });
    expect(log.stats().failures).toBeGreaterThan(0);
    await log.close();
  });

  it('a server shut down while the database is down hands its backlog to the next start', async () => {
    const db = server.nano.use('st-audit');
    const spillPath = join(tmp, 'spill.jsonl');
    const first = await AuditLog.open(db, { spillPath, ...fast });
    await server.kill();
    const ids = Array.from({ length: 120 }, (_, i) =>
      first.record({ actor: 'system:test', action: 'shutdown.backlog', target: `t${i}` }),
    );
    await first.close(300); // gives up quickly: the database is gone
    expect((await exists(spillPath)) || (await exists(`${spillPath}.draining`))).toBe(true);
    // Even recording after close goes to disk rather than being dropped.
    ids.push(first.record({ actor: 'system:test', action: 'shutdown.backlog', target: 'late' }));
    await new Promise((r) => setTimeout(r, 100));

    await server.restart();
    const second = await AuditLog.open(db, { spillPath, ...fast });
    await second.flush(30_000);
    const got = (await entriesIn(db)).filter((e) => e.action === 'shutdown.backlog');
    expect(got.map((e) => e._id).sort()).toEqual([...ids].sort());
    await second.close();
  });
});

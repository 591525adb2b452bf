// The embedded engine's validate_doc_update on `_bulk_docs` (the second
// wall), judged per document as before but with the design documents listed
// and compiled once per request: a backlog of 60 records compiled the
// function 60 times (and walked the design-document range 60 times).
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { employeeRecordsDesign, ADMIN_ONLY_SECURITY } from '../provisioning/design-docs.js';
import { createTestDevice, toWire } from '../testing/index.js';
import { startEmbeddedEngine, type EmbeddedEngine } from './embedded-engine.js';

// the couchdb-eval module pouchdb-validation compiles with (one module instance in the process)
const fromExpressPouch = createRequire(createRequire(import.meta.url).resolve('express-pouchdb'));
const coucheval = createRequire(fromExpressPouch.resolve('pouchdb-validation'))('couchdb-eval') as {
  evaluate: (...args: unknown[]) => unknown;
};

let dir: string;
let engine: EmbeddedEngine | null = null;
const realEvaluate = coucheval.evaluate;
let compiled = 0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealtime-validation-'));
  compiled = 0;
  coucheval.evaluate = (...args: unknown[]) => {
    compiled++;
    return realEvaluate(...args);
  };
});
afterEach(async () => {
  coucheval.evaluate = realEvaluate;
  await engine?.close();
  engine = null;
  await rm(dir, { recursive: true, force: true });
});

const EMP = 'e-batch';
const DB = `st-emp-${EMP}-records`;

async function recordsDb(e: EmbeddedEngine) {
  await e.nano.db.create(DB);
  const db = e.nano.use<Record<string, unknown>>(DB);
  await e.nano.request({ db: DB, method: 'PUT', path: '_security', body: ADMIN_ONLY_SECURITY });
  await db.insert(employeeRecordsDesign(EMP) as never);
  return db;
}

interface BulkAnswer {
  id: string;
  ok?: boolean;
  error?: string;
  reason?: string;
}

describe('validate_doc_update on _bulk_docs, once per request', () => {
  it('judges every document as before and compiles the function once for the batch', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    const db = await recordsDb(engine);
    const dev = await createTestDevice('d1', EMP);
    const stranger = await createTestDevice('d2', 'someone-else');
    const first = toWire(dev.activity());
    const stored = await db.insert(first as never);

    const good = Array.from({ length: 60 }, () => toWire(dev.activity()));
    const bad = [
      { why: 'another employee', doc: toWire(stranger.activity()), reason: /holds the records of e-batch only/ },
      { why: 'unknown field', doc: { ...toWire(dev.activity()), extra: 1 }, reason: /unknown field extra/ },
      {
        why: 'a rewrite',
        doc: { ...first, _rev: stored.rev, envelope: toWire(dev.activity()).envelope },
        reason: /immutable/,
      },
    ];
    compiled = 0;
    const answer = (await engine.nano.request({
      db: DB,
      method: 'POST',
      path: '_bulk_docs',
      body: { docs: [...good.slice(0, 30), ...bad.map((b) => b.doc), ...good.slice(30)] },
    })) as BulkAnswer[];

    expect(compiled).toBe(1);
    expect(answer).toHaveLength(63);
    for (const g of good) expect(answer.find((a) => a.id === g._id)).toMatchObject({ ok: true });
    for (const b of bad) {
      const a = answer.filter((x) => x.id === (b.doc as { _id: string })._id);
      expect(a, b.why).toHaveLength(1);
      expect(a[0], b.why).toMatchObject({ error: 'forbidden' });
      expect(a[0]!.reason, b.why).toMatch(b.reason);
    }
    // only what passed was written; the stored record is unchanged
    const rows = (await db.list({ include_docs: true })).rows.filter((r) => !r.id.startsWith('_design/'));
    expect(rows.map((r) => r.id).sort()).toEqual([first._id, ...good.map((g) => g._id)].sort());
    expect(rows.find((r) => r.id === first._id)!.doc).toMatchObject({ envelope: first.envelope, _rev: stored.rev });
  });

  it('a batch that passes whole, and one of design and local documents only, are written as given', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    const db = await recordsDb(engine);
    const dev = await createTestDevice('d1', EMP);
    const docs = Array.from({ length: 5 }, () => toWire(dev.activity()));
    const answer = (await engine.nano.request({
      db: DB,
      method: 'POST',
      path: '_bulk_docs',
      body: { docs },
    })) as BulkAnswer[];
    expect(answer.map((a) => a.id)).toEqual(docs.map((d) => d._id));
    expect(answer.every((a) => a.ok)).toBe(true);
    compiled = 0;
    const design = (await engine.nano.request({
      db: DB,
      method: 'POST',
      path: '_bulk_docs',
      body: { docs: [{ _id: '_design/other', views: {} }] },
    })) as BulkAnswer[];
    expect(design).toMatchObject([{ id: '_design/other', ok: true }]);
    expect(compiled).toBe(0);
    expect((await db.list()).rows).toHaveLength(7);
  });
});

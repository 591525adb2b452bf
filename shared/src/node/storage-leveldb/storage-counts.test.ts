// Counts kept per index range (leveldb-counts.ts) must stay exactly what a
// walk over the index would return, through every kind of write, cleanup,
// remove and writes that race a count: checked against an in-memory model.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRevision, fillWithDefaultSettings, normalizeMangoQuery, now, prepareQuery, randomToken } from 'rxdb';
import type { BulkWriteRow, MangoQuery, RxDocumentData, RxJsonSchema, RxStorageInstance } from 'rxdb';
import { getRxStorageLevelDB } from './index.js';

interface Row {
  id: string;
  team: string;
  age: number;
}
type Doc = RxDocumentData<Row>;

const schema: RxJsonSchema<Doc> = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    team: { type: 'string', maxLength: 20 },
    age: { type: 'integer', minimum: 0, maximum: 200, multipleOf: 1 },
  },
  required: ['id', 'team', 'age'],
  indexes: ['age', ['team', 'age']],
});

let dir: string;
let insts: RxStorageInstance<Row, unknown, unknown>[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-counts-'));
});
afterEach(async () => {
  for (const i of insts) await i.close().catch(() => undefined);
  insts = [];
  rmSync(dir, { recursive: true, force: true });
});

async function open(sync = true): Promise<RxStorageInstance<Row, unknown, unknown>> {
  const inst = (await getRxStorageLevelDB({ directory: dir, sync }).createStorageInstance<Row>({
    databaseInstanceToken: randomToken(10),
    databaseName: 'db',
    collectionName: 'rows',
    schema,
    options: { directory: dir, sync },
    multiInstance: false,
    devMode: true,
  })) as unknown as RxStorageInstance<Row, unknown, unknown>;
  insts.push(inst);
  return inst;
}

const q = (m: MangoQuery<Doc>) => prepareQuery<Doc>(schema, normalizeMangoQuery(schema, m));

/** Count queries, each with the filter that defines its answer. */
const COUNTS: [string, MangoQuery<Doc>, (d: Doc) => boolean][] = [
  ['all live', { selector: { _deleted: false } }, (d) => !d._deleted],
  ['all, deleted too', { selector: {} }, () => true],
  ['team a', { selector: { _deleted: false, team: 'a' } }, (d) => !d._deleted && d.team === 'a'],
  [
    'team b, 10 < age <= 30',
    { selector: { _deleted: false, team: 'b', age: { $gt: 10, $lte: 30 } } },
    (d) => !d._deleted && d.team === 'b' && d.age > 10 && d.age <= 30,
  ],
  ['age < 20', { selector: { _deleted: false, age: { $lt: 20 } } }, (d) => !d._deleted && d.age < 20],
  ['age >= 40 (deleted too)', { selector: { age: { $gte: 40 } } }, (d) => d.age >= 40],
  // not satisfied by an index: counted by reading documents
  ['id regex', { selector: { _deleted: false, id: { $regex: '7' } } }, (d) => !d._deleted && d.id.includes('7')],
];

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('LevelDB RxStorage: kept counts', () => {
  it('stay equal to the model through inserts, updates that move index entries, deletes, cleanup and reopen', async () => {
    const s = await open();
    const model = new Map<string, Doc>();
    const rand = rng(7);
    const check = async (label: string) => {
      for (const [name, mq, pred] of COUNTS) {
        const expected = [...model.values()].filter(pred).length;
        expect((await s.count(q(mq))).count, `${label}: ${name}`).toBe(expected);
      }
    };
    await check('empty');
    for (let step = 0; step < 40; step++) {
      const rows: BulkWriteRow<Row>[] = [];
      for (let k = 0; k < 6; k++) {
        const id = `r${Math.floor(rand() * 60)}`;
        const prev = model.get(id);
        const next: Doc = {
          id,
          team: rand() < 0.5 ? 'a' : 'b',
          age: Math.floor(rand() * 60),
          _deleted: prev ? rand() < 0.3 : false,
          _attachments: {},
          _meta: { lwt: now() },
          _rev: createRevision(randomToken(8), prev),
        };
        if (rows.some((r) => r.document.id === id)) continue;
        rows.push(prev ? { previous: prev, document: next } : { document: next });
      }
      const res = await s.bulkWrite(rows, 'counts');
      expect(res.error).toEqual([]);
      for (const r of rows) model.set(r.document.id, r.document);
      await check(`step ${step}`);
    }
    // a write with a wrong previous revision changes nothing, counts included
    const victim = [...model.values()][0]!;
    const bad = await s.bulkWrite(
      [
        {
          previous: { ...victim, _rev: '1-0000' },
          document: { ...victim, team: victim.team === 'a' ? 'b' : 'a', _rev: createRevision(randomToken(8), victim) },
        },
      ],
      'counts',
    );
    expect(bad.error.map((e) => e.status)).toEqual([409]);
    await check('after a conflict');

    // cleanup purges deleted documents (0 ms: every deleted one)
    await new Promise((r) => setTimeout(r, 5));
    await s.cleanup(0);
    for (const [id, d] of model) if (d._deleted) model.delete(id);
    await check('after cleanup');

    await s.close();
    insts = [];
    const again = await open();
    for (const [name, mq, pred] of COUNTS) {
      expect((await again.count(q(mq))).count, `reopened: ${name}`).toBe([...model.values()].filter(pred).length);
    }
  });

  it('a count racing writes is never kept stale', async () => {
    // unsynced writes land within a long walk over thousands of keys: the
    // walk reads a snapshot from before them, so its result must not be kept
    const s = await open(false);
    let n = 0;
    const doc = (): Doc => ({
      id: `x${String(n).padStart(6, '0')}`,
      team: n++ % 2 ? 'a' : 'b',
      age: 1,
      _deleted: false,
      _attachments: {},
      _meta: { lwt: now() },
      _rev: createRevision(randomToken(8)),
    });
    await s.bulkWrite(
      Array.from({ length: 6000 }, () => ({ document: doc() })),
      'seed',
    );
    const stale: string[] = [];
    for (let round = 0; round < 25; round++) {
      // a range not counted before (every row has age 1), so each round walks
      const all = q({ selector: { _deleted: false, age: { $lt: 100 + round } } });
      const teamA = q({ selector: { _deleted: false, team: 'a', age: { $lt: 100 + round } } });
      // counts and writes issued together, none awaited before the next starts
      const pending: Promise<unknown>[] = [s.count(all), s.count(teamA)];
      for (let k = 0; k < 3; k++) pending.push(s.bulkWrite([{ document: doc() }], 'race'));
      await Promise.all(pending);
      const got = [(await s.count(all)).count, (await s.count(teamA)).count];
      if (got[0] !== n || got[1] !== Math.floor(n / 2))
        stale.push(`round ${round}: ${got.join('/')} of ${n}/${Math.floor(n / 2)}`);
    }
    expect(stale).toEqual([]);
  });

  it('remove forgets kept counts: a reopened collection counts from zero', async () => {
    const s = await open();
    const d: Doc = {
      id: 'a',
      team: 'a',
      age: 1,
      _deleted: false,
      _attachments: {},
      _meta: { lwt: now() },
      _rev: createRevision(randomToken(8)),
    };
    await s.bulkWrite([{ document: d }], 'rm');
    expect((await s.count(q({ selector: { _deleted: false } }))).count).toBe(1);
    await s.remove();
    insts = [];
    const again = await open();
    expect((await again.count(q({ selector: { _deleted: false } }))).count).toBe(0);
    await again.bulkWrite([{ document: { ...d, _rev: createRevision(randomToken(8)) } }], 'rm');
    expect((await again.count(q({ selector: { _deleted: false } }))).count).toBe(1);
  });
});

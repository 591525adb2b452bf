// Reads served from reused index iterators (leveldb-iterators.ts) and the
// document cache (leveldb-doc-cache.ts) must answer exactly as fresh reads
// from disk: every write is seen by the next read, bounds ($gt/$lt on
// compound indexes) hold where a seek lands, and long results span chunks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRevision,
  fillWithDefaultSettings,
  getPseudoSchemaForVersion,
  normalizeMangoQuery,
  now,
  prepareQuery,
  randomToken,
} from 'rxdb';
import type { MangoQuery, RxDocumentData, RxJsonSchema, RxStorageInstance } from 'rxdb';
import { getRxStorageLevelDB, openHandleCount } from './index.js';

interface Row {
  id: string;
  team: string;
  age: number;
  note: string;
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
    note: { type: 'string' },
  },
  required: ['id', 'team', 'age', 'note'],
  indexes: ['age', ['team', 'age']],
});

let dir: string;
let insts: RxStorageInstance<Row, unknown, unknown>[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-reads-'));
});
afterEach(async () => {
  for (const i of insts) await i.close().catch(() => undefined);
  insts = [];
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<RxStorageInstance<Row, unknown, unknown>> {
  const inst = (await getRxStorageLevelDB({ directory: dir }).createStorageInstance<Row>({
    databaseInstanceToken: randomToken(10),
    databaseName: 'db',
    collectionName: 'rows',
    schema,
    options: { directory: dir },
    multiInstance: false,
    devMode: true,
  })) as unknown as RxStorageInstance<Row, unknown, unknown>;
  insts.push(inst);
  return inst;
}

const q = (m: MangoQuery<Doc>) => prepareQuery<Doc>(schema, normalizeMangoQuery(schema, m));
const mk = (id: string, team: string, age: number, note = '', prev?: Doc): Doc => ({
  id,
  team,
  age,
  note,
  _deleted: false,
  _attachments: {},
  _meta: { lwt: now() },
  _rev: createRevision(randomToken(8), prev),
});
const ids = (docs: Doc[]) => docs.map((d) => d.id);

describe('LevelDB RxStorage: reads after writes', () => {
  it('the same query run again sees each insert, update, move out of range and delete', async () => {
    const s = await open();
    const inRange = q({ selector: { _deleted: false, team: 'a', age: { $gte: 10, $lt: 20 } } });
    const a = mk('a', 'a', 12);
    await s.bulkWrite([{ document: a }, { document: mk('b', 'a', 25) }], 't');
    expect(ids((await s.query(inRange)).documents)).toEqual(['a']);
    expect(ids((await s.query(inRange)).documents)).toEqual(['a']); // served by the kept iterator

    await s.bulkWrite([{ document: mk('c', 'a', 15) }], 't');
    expect(ids((await s.query(inRange)).documents)).toEqual(['a', 'c']);

    const a2 = { ...mk('a', 'a', 12, 'changed', a) };
    await s.bulkWrite([{ previous: a, document: a2 }], 't');
    const after = (await s.query(inRange)).documents;
    expect(after.find((d) => d.id === 'a')!.note).toBe('changed'); // not the cached row
    expect((await s.findDocumentsById(['a'], false))[0]!.note).toBe('changed');

    const a3 = mk('a', 'a', 30, 'moved', a2);
    await s.bulkWrite([{ previous: a2, document: a3 }], 't');
    expect(ids((await s.query(inRange)).documents)).toEqual(['c']);

    const c = (await s.findDocumentsById(['c'], false))[0]!;
    await s.bulkWrite(
      [
        {
          previous: c,
          document: { ...c, _deleted: true, _rev: createRevision(randomToken(8), c), _meta: { lwt: now() } },
        },
      ],
      't',
    );
    expect(ids((await s.query(inRange)).documents)).toEqual([]);
    expect(await s.findDocumentsById(['c'], false)).toEqual([]);
    expect((await s.findDocumentsById(['c'], true))[0]!._deleted).toBe(true);
  });

  it('$gt/$gte/$lt/$lte on a compound index, including rows exactly on a bound, match an in-memory filter', async () => {
    const s = await open();
    const docs: Doc[] = [];
    for (let i = 0; i < 120; i++) docs.push(mk(`r${String(i).padStart(3, '0')}`, i % 3 ? 'a' : 'b', i % 40));
    await s.bulkWrite(
      docs.map((document) => ({ document })),
      't',
    );
    const cases: [MangoQuery<Doc>['selector'], (d: Doc) => boolean][] = [
      [{ team: 'a', age: { $gt: 10, $lt: 20 } }, (d) => d.team === 'a' && d.age > 10 && d.age < 20],
      [{ team: 'a', age: { $gte: 10, $lte: 20 } }, (d) => d.team === 'a' && d.age >= 10 && d.age <= 20],
      [{ team: 'b', age: { $gt: 0 } }, (d) => d.team === 'b' && d.age > 0],
      [{ team: 'b', age: { $lt: 39 } }, (d) => d.team === 'b' && d.age < 39],
      [{ age: { $gt: 38 } }, (d) => d.age > 38],
      [{ age: { $lte: 0 } }, (d) => d.age <= 0],
    ];
    for (const [selector, pred] of cases) {
      const expected = docs.filter(pred).sort((x, y) => x.age - y.age || (x.id < y.id ? -1 : 1));
      for (let round = 0; round < 2; round++) {
        const got = (
          await s.query(q({ selector: { _deleted: false, ...selector }, sort: [{ age: 'asc' }, { id: 'asc' }] }))
        ).documents;
        expect(ids(got), JSON.stringify(selector)).toEqual(ids(expected));
      }
    }
  });

  it('results longer than one read chunk, with skip and limit, keep index order (stable by id)', async () => {
    const s = await open();
    const docs = Array.from({ length: 700 }, (_, i) => mk(`p${String(i).padStart(4, '0')}`, 'a', i % 7));
    await s.bulkWrite(
      docs.map((document) => ({ document })),
      't',
    );
    const sorted = [...docs].sort((x, y) => x.age - y.age || (x.id < y.id ? -1 : 1));
    const page = (skip: number, limit: number) =>
      q({
        selector: { _deleted: false, team: 'a' },
        sort: [{ team: 'asc' }, { age: 'asc' }, { id: 'asc' }],
        skip,
        limit,
      });
    expect(ids((await s.query(page(0, 700))).documents)).toEqual(ids(sorted));
    expect(ids((await s.query(page(260, 300))).documents)).toEqual(ids(sorted.slice(260, 560)));
    expect(ids((await s.query(page(650, 100))).documents)).toEqual(ids(sorted.slice(650)));
  });

  it('queries racing writes end on the written state, and closing leaves no handle open', async () => {
    const s = await open();
    const all = q({ selector: { _deleted: false, team: 'a' } });
    let n = 0;
    for (let round = 0; round < 20; round++) {
      const pending: Promise<unknown>[] = [];
      for (let k = 0; k < 3; k++) {
        pending.push(s.query(all));
        pending.push(s.bulkWrite([{ document: mk(`w${n++}`, 'a', round) }], 'race'));
      }
      await Promise.all(pending);
      expect((await s.query(all)).documents.length).toBe(n);
    }
    await s.close();
    insts = [];
    expect(openHandleCount()).toBe(0);
  });

  it('two instances of one collection: a write through one is seen by the other’s next query', async () => {
    const one = await open();
    const two = await open();
    const sel = q({ selector: { _deleted: false, age: { $gte: 0 } } });
    expect((await two.query(sel)).documents).toEqual([]);
    await one.bulkWrite([{ document: mk('x', 'a', 1) }], 't');
    expect(ids((await two.query(sel)).documents)).toEqual(['x']);
  });

  it('a deleted document loses its attachments and cleanup purges it; a live one keeps its own', async () => {
    const withAtt = fillWithDefaultSettings({
      ...getPseudoSchemaForVersion<Row>(0, 'id'),
      attachments: {},
    }) as RxJsonSchema<Doc>;
    const s = (await getRxStorageLevelDB({ directory: dir }).createStorageInstance<Row>({
      databaseInstanceToken: randomToken(10),
      databaseName: 'db',
      collectionName: 'files',
      schema: withAtt,
      options: { directory: dir },
      multiInstance: false,
      devMode: false,
    })) as unknown as RxStorageInstance<Row, unknown, unknown>;
    insts.push(s);
    const att = (bytes: number[]) => ({
      img: {
        type: 'application/octet-stream',
        length: bytes.length,
        digest: `md5-${bytes.join('')}`,
        data: new Blob([new Uint8Array(bytes)]),
      },
    });
    const gone = { ...mk('gone', 'a', 1), _attachments: att([1, 2]) } as unknown as Doc;
    const kept = { ...mk('kept', 'a', 1), _attachments: att([3, 4]) } as unknown as Doc;
    expect((await s.bulkWrite([{ document: gone }, { document: kept }], 't')).error).toEqual([]);
    const stored = (await s.findDocumentsById(['gone'], false))[0]!;
    const deleted = {
      ...stored,
      _deleted: true,
      _meta: { lwt: now() - 10_000 },
      _rev: createRevision(randomToken(8), stored),
    };
    expect((await s.bulkWrite([{ previous: stored, document: deleted }], 't')).error).toEqual([]);
    expect(await s.cleanup(5_000)).toBe(true);
    expect(await s.findDocumentsById(['gone'], true)).toEqual([]);
    await expect(s.getAttachmentData('gone', 'img', 'md5-12')).rejects.toThrow(/does not exist/);
    expect([...new Uint8Array(await (await s.getAttachmentData('kept', 'img', 'md5-34')).arrayBuffer())]).toEqual([
      3, 4,
    ]);
  });
});

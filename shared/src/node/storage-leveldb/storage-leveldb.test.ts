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
import type { MangoQuery, RxDocumentData, RxJsonSchema, RxStorageInstance, RxStorageWriteErrorConflict } from 'rxdb';
import { getRxStorageLevelDB, openHandleCount } from './index.js';

interface Human {
  id: string;
  name: string;
  age: number;
  team: string;
}

const schema: RxJsonSchema<RxDocumentData<Human>> = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    name: { type: 'string', maxLength: 100 },
    age: { type: 'integer', minimum: 0, maximum: 150, multipleOf: 1 },
    team: { type: 'string', maxLength: 20 },
  },
  required: ['id', 'name', 'age', 'team'],
  indexes: ['age', ['team', 'age']],
});

let dir: string;
const open: RxStorageInstance<Human, unknown, unknown>[] = [];

async function instance(collectionName = 'humans', databaseName = 'db', s = schema) {
  const storage = getRxStorageLevelDB({ directory: dir });
  const inst = await storage.createStorageInstance<Human>({
    databaseInstanceToken: randomToken(10),
    databaseName,
    collectionName,
    schema: s,
    options: { directory: dir },
    multiInstance: false,
    devMode: true,
  });
  open.push(inst as unknown as RxStorageInstance<Human, unknown, unknown>);
  return inst;
}

function doc(id: string, age: number, team = 'a', name = `n-${id}`): RxDocumentData<Human> {
  return {
    id,
    name,
    age,
    team,
    _deleted: false,
    _attachments: {},
    _rev: createRevision(randomToken(10)),
    _meta: { lwt: now() },
  };
}

function query(q: MangoQuery<Human>) {
  return prepareQuery<Human>(schema, normalizeMangoQuery(schema, q));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-level-'));
});
afterEach(async () => {
  for (const i of open.splice(0)) await i.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('LevelDB RxStorage: writes', () => {
  it('inserts, finds by id, and reports a conflict with the stored document', async () => {
    const s = await instance();
    const a = doc('a', 30);
    expect((await s.bulkWrite([{ document: a }], 't')).error).toEqual([]);
    expect(await s.findDocumentsById(['a', 'missing'], false)).toEqual([a]);

    // inserting the same id again is a 409 carrying the stored document
    const again = await s.bulkWrite([{ document: doc('a', 31) }], 't');
    expect(again.error).toHaveLength(1);
    expect(again.error[0]!.status).toBe(409);
    expect((again.error[0] as RxStorageWriteErrorConflict<Human>).documentInDb).toEqual(a);

    // an update with the wrong previous revision is a 409 too
    const wrongPrev = { ...a, _rev: '1-deadbeef' };
    const upd = await s.bulkWrite(
      [{ previous: wrongPrev, document: { ...a, age: 40, _rev: createRevision(randomToken(10), a) } }],
      't',
    );
    expect(upd.error[0]!.status).toBe(409);
    expect((await s.findDocumentsById(['a'], false))[0]!.age).toBe(30);
  });

  it('updates move index entries and deleted documents hide from reads', async () => {
    const s = await instance();
    const a = doc('a', 30);
    await s.bulkWrite([{ document: a }], 't');
    const a2 = { ...a, age: 50, _rev: createRevision(randomToken(10), a), _meta: { lwt: now() } };
    expect((await s.bulkWrite([{ previous: a, document: a2 }], 't')).error).toEqual([]);
    expect((await s.query(query({ selector: { age: 30 } }))).documents).toEqual([]);
    expect((await s.query(query({ selector: { age: 50 } }))).documents.map((d) => d.id)).toEqual(['a']);

    const a3 = { ...a2, _deleted: true, _rev: createRevision(randomToken(10), a2), _meta: { lwt: now() } };
    await s.bulkWrite([{ previous: a2, document: a3 }], 't');
    expect(await s.findDocumentsById(['a'], false)).toEqual([]);
    expect(await s.findDocumentsById(['a'], true)).toEqual([a3]);
    // like RxDB's storages, the storage itself filters deleted docs only when the selector says so
    expect(
      (await s.query(query({ selector: { _deleted: false } as NonNullable<MangoQuery<Human>['selector']> }))).documents,
    ).toEqual([]);
    expect(
      (await s.count(query({ selector: { _deleted: false } as NonNullable<MangoQuery<Human>['selector']> }))).count,
    ).toBe(0);
    expect((await s.query(query({ selector: {} }))).documents).toEqual([a3]);
  });

  it('a bulkWrite with some conflicting rows writes the others', async () => {
    const s = await instance();
    await s.bulkWrite([{ document: doc('a', 1) }], 't');
    const res = await s.bulkWrite([{ document: doc('a', 2) }, { document: doc('b', 3) }], 't');
    expect(res.error.map((e) => e.documentId)).toEqual(['a']);
    expect((await s.findDocumentsById(['b'], false)).map((d) => d.age)).toEqual([3]);
  });

  it('emits one event bulk per write with a checkpoint of the newest row', async () => {
    const s = await instance();
    const seen: { ids: string[]; checkpoint: unknown }[] = [];
    const sub = s
      .changeStream()
      .subscribe((b) => seen.push({ ids: b.events.map((e) => e.documentId), checkpoint: b.checkpoint }));
    const b = doc('b', 2);
    await s.bulkWrite([{ document: doc('a', 1) }, { document: b }], 't');
    sub.unsubscribe();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.ids).toEqual(['a', 'b']);
    expect(seen[0]!.checkpoint).toEqual({ id: 'b', lwt: b._meta.lwt });
  });
});

describe('LevelDB RxStorage: queries', () => {
  async function seeded() {
    const s = await instance();
    const docs = Array.from({ length: 50 }, (_, i) =>
      doc(
        `d${String(i).padStart(3, '0')}`,
        i % 25,
        i % 2 ? 'odd' : 'even',
        i % 5 === 0 ? `Special ${i}` : `plain ${i}`,
      ),
    );
    await s.bulkWrite(
      docs.map((document) => ({ document })),
      't',
    );
    return { s, docs };
  }

  it.each<[string, MangoQuery<Human>, (h: Human) => boolean, (a: Human, b: Human) => number]>([
    [
      'range on an index',
      { selector: { age: { $gt: 10, $lte: 20 } }, sort: [{ age: 'asc' }, { id: 'asc' }] },
      (h) => h.age > 10 && h.age <= 20,
      (a, b) => a.age - b.age || a.id.localeCompare(b.id),
    ],
    [
      'compound index equality + range',
      { selector: { team: 'odd', age: { $lt: 10 } } },
      (h) => h.team === 'odd' && h.age < 10,
      (a, b) => a.team.localeCompare(b.team) || a.age - b.age || a.id.localeCompare(b.id),
    ],
    [
      '$in',
      { selector: { age: { $in: [3, 7] } }, sort: [{ id: 'desc' }] },
      (h) => h.age === 3 || h.age === 7,
      (a, b) => b.id.localeCompare(a.id),
    ],
    [
      '$regex on a non-indexed field',
      { selector: { name: { $regex: '^Special' } }, sort: [{ id: 'asc' }] },
      (h) => h.name.startsWith('Special'),
      (a, b) => a.id.localeCompare(b.id),
    ],
    [
      'sort desc by an index',
      { selector: {}, sort: [{ age: 'desc' }, { id: 'desc' }] },
      () => true,
      (a, b) => b.age - a.age || b.id.localeCompare(a.id),
    ],
  ])('%s returns what an in-memory filter would', async (_name, q, pred, cmp) => {
    const { s, docs } = await seeded();
    const expected = docs
      .filter(pred)
      .sort(cmp)
      .map((d) => d.id);
    expect((await s.query(query(q))).documents.map((d) => d.id)).toEqual(expected);
    expect((await s.count(query(q))).count).toBe(expected.length);
  });

  it('honours skip and limit, including limit 0', async () => {
    const { s, docs } = await seeded();
    const ids = docs.map((d) => d.id).sort();
    expect(
      (await s.query(query({ selector: {}, sort: [{ id: 'asc' }], skip: 5, limit: 3 }))).documents.map((d) => d.id),
    ).toEqual(ids.slice(5, 8));
    expect((await s.query(query({ selector: {}, limit: 0 }))).documents).toEqual([]);
  });

  it('pages through changes with checkpoints, in lwt order, each document once', async () => {
    const { s, docs } = await seeded();
    const seen: string[] = [];
    let checkpoint: { id: string; lwt: number } | undefined;
    for (;;) {
      const page = await s.getChangedDocumentsSince!(7, checkpoint);
      if (page.documents.length === 0) break;
      seen.push(...page.documents.map((d) => d.id));
      checkpoint = page.checkpoint;
    }
    expect(seen).toEqual(docs.map((d) => d.id));
    expect(new Set(seen).size).toBe(docs.length);
  });
});

describe('LevelDB RxStorage: lifecycle', () => {
  it('keeps data across close and reopen', async () => {
    const s = await instance();
    await s.bulkWrite([{ document: doc('a', 1) }, { document: doc('b', 2) }], 't');
    await s.close();
    expect(openHandleCount()).toBe(0);
    const again = await instance();
    expect((await again.query(query({ selector: {}, sort: [{ id: 'asc' }] }))).documents.map((d) => d.id)).toEqual([
      'a',
      'b',
    ]);
  });

  it('two instances of one collection share the handle and see each other’s writes and events', async () => {
    const one = await instance();
    const two = await instance();
    const events: string[] = [];
    const sub = two.changeStream().subscribe((b) => events.push(...b.events.map((e) => e.documentId)));
    await one.bulkWrite([{ document: doc('x', 9) }], 't');
    sub.unsubscribe();
    expect(events).toEqual(['x']);
    expect((await two.findDocumentsById(['x'], false)).length).toBe(1);
    await one.close();
    expect(openHandleCount()).toBe(1);
    expect((await two.findDocumentsById(['x'], false)).length).toBe(1);
  });

  it('collections and databases are isolated from each other', async () => {
    const a = await instance('humans', 'db1');
    const b = await instance('humans', 'db2');
    await a.bulkWrite([{ document: doc('only-a', 1) }], 't');
    expect(await b.findDocumentsById(['only-a'], true)).toEqual([]);
  });

  it('cleanup removes deleted documents older than the given age, and only those', async () => {
    const s = await instance();
    const old = { ...doc('old', 1), _deleted: true, _meta: { lwt: now() - 10_000 } };
    const fresh = { ...doc('fresh', 1), _deleted: true };
    const alive = doc('alive', 1);
    await s.bulkWrite([{ document: old }, { document: fresh }, { document: alive }], 't');
    expect(await s.cleanup(5_000)).toBe(true);
    expect((await s.findDocumentsById(['old', 'fresh', 'alive'], true)).map((d) => d.id).sort()).toEqual([
      'alive',
      'fresh',
    ]);
  });

  it('remove deletes the collection’s data, and only its', async () => {
    const s = await instance('humans');
    const other = await instance('others');
    await s.bulkWrite([{ document: doc('a', 1) }], 't');
    await other.bulkWrite([{ document: doc('b', 1) }], 't');
    await s.remove();
    const again = await instance('humans');
    expect(await again.findDocumentsById(['a'], true)).toEqual([]);
    expect((await other.findDocumentsById(['b'], true)).length).toBe(1);
  });

  it('stores and returns attachments by digest', async () => {
    const withAtt = fillWithDefaultSettings({
      ...getPseudoSchemaForVersion<Human>(0, 'id'),
      attachments: {},
    }) as RxJsonSchema<RxDocumentData<Human>>;
    const s = await instance('files', 'db', withAtt);
    const data = new Blob([new Uint8Array([1, 2, 3, 250])], { type: 'application/octet-stream' });
    const d = {
      ...doc('f', 1),
      _attachments: { img: { type: 'application/octet-stream', length: 4, digest: 'md5-abc', data } },
    } as unknown as RxDocumentData<Human>;
    expect((await s.bulkWrite([{ document: d }], 't')).error).toEqual([]);
    const got = await s.getAttachmentData('f', 'img', 'md5-abc');
    expect([...new Uint8Array(await got.arrayBuffer())]).toEqual([1, 2, 3, 250]);
    await expect(s.getAttachmentData('f', 'img', 'md5-other')).rejects.toThrow(/does not exist/);
  });
});

// The on-disk layout (leveldb-layout.ts): new collections in format 2 under
// a short registered number; collections written in format 1 (keys under
// their names, an extra cleanup index) still open and work as they are; an
// entry from an unknown format is refused with a typed error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import {
  createRevision,
  fillWithDefaultSettings,
  getIndexableStringMonad,
  normalizeMangoQuery,
  now,
  prepareQuery,
  randomToken,
} from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { getRxStorageLevelDB, openHandleCount, StorageFormatError } from './index.js';

interface Item {
  id: string;
  n: number;
}

const schema: RxJsonSchema<RxDocumentData<Item>> = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    n: { type: 'integer', minimum: 0, maximum: 1e9, multipleOf: 1 },
  },
  required: ['id', 'n'],
  indexes: ['n'],
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-level-format-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = (collectionName = 'items', s = schema) =>
  getRxStorageLevelDB({ directory: dir }).createStorageInstance<Item>({
    databaseInstanceToken: randomToken(10),
    databaseName: 'db',
    collectionName,
    schema: s,
    options: { directory: dir },
    multiInstance: false,
    devMode: false,
  });

const item = (n: number, extra: Partial<RxDocumentData<Item>> = {}): RxDocumentData<Item> => ({
  id: `i${n}`,
  n,
  _deleted: false,
  _attachments: {},
  _rev: createRevision(randomToken(10)),
  _meta: { lwt: now() },
  ...extra,
});

async function allKeys(): Promise<string[]> {
  const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  try {
    return await db.keys().all();
  } finally {
    await db.close();
  }
}

/** Writes documents the way format 1 did: keys under the names, indexes 0..n in buildIndexes' order plus the cleanup one. */
async function writeFormat1(docs: RxDocumentData<Item>[]): Promise<void> {
  const prefix = 'db\x01items\x010\x01';
  const fields = [...(schema.indexes ?? []).map((i) => [i].flat() as string[]), ['_deleted', '_meta.lwt', 'id']];
  const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  try {
    await db.open();
    const batch = db.batch();
    for (const d of docs) {
      batch.put(`${prefix}d\x00${d.id}`, JSON.stringify(d));
      fields.forEach((f, no) => batch.put(`${prefix}i${no}\x00${getIndexableStringMonad(schema, f)(d)}`, d.id));
    }
    await batch.write({ sync: true });
  } finally {
    await db.close();
  }
}

// RxDB's collections add `_deleted: false`; a storage query is given it explicitly
const byN = prepareQuery<Item>(
  schema,
  normalizeMangoQuery<RxDocumentData<Item>>(schema, {
    selector: { _deleted: false, n: { $gte: 0 } },
    sort: [{ n: 'asc' }],
  }),
);

describe('LevelDB storage format', () => {
  it('a new collection registers a short number and keeps no key under its names', async () => {
    const a = await open('items');
    const b = await open('others');
    await a.bulkWrite([{ document: item(1) }], 't');
    await b.bulkWrite([{ document: item(2) }], 't');
    await a.close();
    await b.close();
    const keys = await allKeys();
    expect(keys.filter((k) => k.startsWith('db\x01'))).toEqual([]);
    expect(keys.filter((k) => k.startsWith('\x00c\x01'))).toEqual([
      '\x00c\x01db\x01items\x010\x01',
      '\x00c\x01db\x01others\x010\x01',
    ]);
    // two collections, two numbers; each document: its row + one entry per index ('_deleted'-first, lwt), no extra cleanup index
    expect(keys.filter((k) => k.startsWith('\x021\x01')).length).toBe(3);
    expect(keys.filter((k) => k.startsWith('\x022\x01')).length).toBe(3);
    // reopened: the same number, the same documents
    const again = await open('others');
    expect((await again.findDocumentsById(['i2'], false)).map((d) => d.n)).toEqual([2]);
    await again.close();
    expect(openHandleCount()).toBe(0);
  });

  it('collections opened at the same moment get distinct numbers, the same collection one state', async () => {
    const opened = await Promise.all(['a', 'b', 'c', 'a', 'b', 'c'].map((c) => open(c)));
    for (const [i, inst] of opened.entries()) await inst.bulkWrite([{ document: item(i) }], 't');
    expect((await opened[0]!.query(byN)).documents.map((d) => d.n)).toEqual([0, 3]);
    for (const inst of opened) await inst.close();
    const registry = (await allKeys()).filter((k) => k.startsWith('\x00c\x01'));
    expect(registry.length).toBe(3);
    const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const numbers = (await db.values({ gt: '\x00c\x01', lt: '\x00c\x01\uffff' }).all()).map(
      (v) => (JSON.parse(v) as { no: number }).no,
    );
    await db.close();
    expect(numbers.sort()).toEqual([1, 2, 3]);
  });

  it('opens a collection written in format 1 and keeps using its layout: queries, writes, changes, cleanup', async () => {
    const oldDeleted = item(5, { _deleted: true, _meta: { lwt: now() - 10_000 } });
    await writeFormat1([item(3), item(1), item(2), oldDeleted]);
    const s = await open();
    expect((await s.query(byN)).documents.map((d) => d.n)).toEqual([1, 2, 3]);
    expect((await s.count(byN)).count).toBe(3);
    const prev = (await s.findDocumentsById(['i2'], false))[0]!;
    const res = await s.bulkWrite(
      [
        { document: item(0) },
        { previous: prev, document: { ...prev, n: 9, _rev: createRevision(randomToken(10), prev) } },
      ],
      't',
    );
    expect(res.error).toEqual([]);
    expect((await s.query(byN)).documents.map((d) => d.n)).toEqual([0, 1, 3, 9]);
    const changes = await s.getChangedDocumentsSince!(10);
    expect(changes.documents.map((d) => d.id).sort()).toEqual(['i0', 'i1', 'i2', 'i3', 'i5']);
    expect(await s.cleanup(5_000)).toBe(true);
    expect(await s.findDocumentsById(['i5'], true)).toEqual([]);
    await s.close();
    const keys = await allKeys();
    expect(keys.filter((k) => k.startsWith('\x00c\x01') || k.startsWith('\x02'))).toEqual([]);
    // the new document went under the old prefix, with the extra cleanup index (i2)
    expect(keys).toContain('db\x01items\x010\x01d\x00i0');
    expect(keys.filter((k) => k.startsWith('db\x01items\x010\x01i2\x00')).length).toBe(4);
  });

  it('a format-1 collection removed and created again starts in format 2', async () => {
    await writeFormat1([item(1)]);
    const s = await open();
    await s.remove();
    const again = await open();
    await again.bulkWrite([{ document: item(2) }], 't');
    expect((await again.query(byN)).documents.map((d) => d.n)).toEqual([2]);
    await again.close();
    const keys = await allKeys();
    expect(keys.filter((k) => k.startsWith('db\x01'))).toEqual([]);
    expect(keys).toContain('\x00c\x01db\x01items\x010\x01');
  });

  it('refuses a registry entry of an unknown format with StorageFormatError, and lets go of the directory', async () => {
    const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.put('\x00c\x01db\x01items\x010\x01', '{"format":3,"no":1}');
    await db.close();
    const err = await open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StorageFormatError);
    expect((err as StorageFormatError).code).toBe('LEVELDB_FORMAT_UNSUPPORTED');
    expect((err as Error).message).toMatch(/db\/items\/0/);
    expect(openHandleCount()).toBe(0);
    // another collection of the same directory still opens, and gets a number the unknown entry does not hold
    const other = await open('others');
    await other.bulkWrite([{ document: item(1) }], 't');
    await other.close();
    expect((await allKeys()).filter((k) => k.startsWith('\x022\x01')).length).toBe(3);
  });

  it('format 2 cleanup on the schema’s _deleted-first index purges old deletions only', async () => {
    const s = await open();
    await s.bulkWrite(
      [
        { document: item(1, { _deleted: true, _meta: { lwt: now() - 10_000 } }) },
        { document: item(2, { _deleted: true }) },
        { document: item(3) },
      ],
      't',
    );
    expect(await s.cleanup(5_000)).toBe(true);
    expect((await s.findDocumentsById(['i1', 'i2', 'i3'], true)).map((d) => d.id).sort()).toEqual(['i2', 'i3']);
    expect(await s.cleanup(0)).toBe(true);
    expect((await s.findDocumentsById(['i1', 'i2', 'i3'], true)).map((d) => d.id)).toEqual(['i3']);
    await s.close();
    // nothing of the purged documents is left: row and index entries
    expect((await allKeys()).filter((k) => k.startsWith('\x021\x01')).length).toBe(3);
  });

  it('a schema with no _deleted-first index gets the cleanup index of its own', async () => {
    const bare = { ...schema, indexes: [['_meta.lwt', 'id']] } as RxJsonSchema<RxDocumentData<Item>>;
    const s = await open('bare', bare);
    await s.bulkWrite(
      [{ document: item(1, { _deleted: true, _meta: { lwt: now() - 10_000 } }) }, { document: item(2) }],
      't',
    );
    expect(await s.cleanup(5_000)).toBe(true);
    expect((await s.findDocumentsById(['i1', 'i2'], true)).map((d) => d.id)).toEqual(['i2']);
    await s.close();
    // i2: its row, the lwt entry and the added ['_deleted', '_meta.lwt', id] entry
    expect((await allKeys()).filter((k) => k.startsWith('\x021\x01')).length).toBe(3);
  });
});

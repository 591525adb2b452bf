// The writeBufferSize setting reaches LevelDB: ~7 MB written in one bulk
// write, then one more write. With LevelDB's 4 MB memtable the second write
// switches memtables and the first is flushed to a table file (.ldb); with a
// 16 MB memtable everything stays in the log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRevision, fillWithDefaultSettings, now, randomToken } from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { getRxStorageLevelDB, type LevelDBSettings } from './index.js';

interface Item {
  id: string;
  body: string;
}

const schema: RxJsonSchema<RxDocumentData<Item>> = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 20 }, body: { type: 'string' } },
  required: ['id', 'body'],
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-level-wbs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const item = (n: number): RxDocumentData<Item> => ({
  id: `i${String(n).padStart(6, '0')}`,
  body: 'x'.repeat(600),
  _deleted: false,
  _attachments: {},
  _rev: createRevision(randomToken(10)),
  _meta: { lwt: now() },
});

/** Table files LevelDB wrote after ~7 MB and one more write. */
async function tablesAfterBulkLoad(settings: Omit<LevelDBSettings, 'directory'>): Promise<number> {
  const inst = await getRxStorageLevelDB({ directory: dir, ...settings }).createStorageInstance<Item>({
    databaseInstanceToken: randomToken(10),
    databaseName: 'db',
    collectionName: 'items',
    schema,
    options: { directory: dir },
    multiInstance: false,
    devMode: false,
  });
  try {
    const docs = Array.from({ length: 10_000 }, (_, i) => ({ document: item(i) }));
    expect((await inst.bulkWrite(docs, 'load')).error).toEqual([]);
    expect((await inst.bulkWrite([{ document: item(10_000) }], 'one more')).error).toEqual([]);
    await inst.close();
  } catch (err) {
    await inst.close().catch(() => undefined);
    throw err;
  }
  return readdirSync(dir).filter((f) => f.endsWith('.ldb')).length;
}

describe('LevelDB RxStorage: writeBufferSize', () => {
  it('LevelDB default (4 MB): the bulk load is flushed to a table file', async () => {
    expect(await tablesAfterBulkLoad({})).toBeGreaterThan(0);
  });

  it('16 MB: the same load stays in the memtable and its log', async () => {
    expect(await tablesAfterBulkLoad({ writeBufferSize: 16 << 20 })).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createRevision, fillWithDefaultSettings, now, randomToken } from 'rxdb';
import type { RxDocumentData, RxJsonSchema, RxStorageInstance, RxStorageWriteErrorConflict } from 'rxdb';
import { getRxStorageLevelDB } from './index.js';

/**
 * The conflict check of a bulk write looks up only ids at or below the
 * highest stored one (leveldb-id-ceiling.ts): every stored id must still be
 * found, whatever the order of ids, across reopen, cleanup and remove, and
 * with characters whose UTF-16 order differs from LevelDB's UTF-8 order.
 */
interface Rec {
  id: string;
  n: number;
}

const schema: RxJsonSchema<RxDocumentData<Rec>> = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    n: { type: 'integer', minimum: 0, maximum: 1e9, multipleOf: 1 },
  },
  required: ['id', 'n'],
  indexes: ['n'],
});

let dir: string;
const open: RxStorageInstance<Rec, unknown, unknown>[] = [];

async function instance(collectionName = 'recs'): Promise<RxStorageInstance<Rec, unknown, unknown>> {
  const inst = (await getRxStorageLevelDB({ directory: dir }).createStorageInstance<Rec>({
    databaseInstanceToken: randomToken(10),
    databaseName: 'db',
    collectionName,
    schema,
    options: { directory: dir },
    multiInstance: false,
    devMode: false,
  })) as unknown as RxStorageInstance<Rec, unknown, unknown>;
  open.push(inst);
  return inst;
}

const doc = (id: string, n = 1): RxDocumentData<Rec> => ({
  id,
  n,
  _deleted: false,
  _attachments: {},
  _rev: createRevision(randomToken(10)),
  _meta: { lwt: now() },
});

/** Inserts `ids` as new documents; returns the ids reported as conflicts. */
async function insert(inst: RxStorageInstance<Rec, unknown, unknown>, ids: string[]): Promise<string[]> {
  const res = await inst.bulkWrite(
    ids.map((id) => ({ document: doc(id) })),
    'test',
  );
  return res.error.map((e) => {
    expect(e.status).toBe(409);
    expect((e as RxStorageWriteErrorConflict<Rec>).documentInDb.id).toBe(e.documentId);
    return e.documentId;
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-level-conflicts-'));
});
afterEach(async () => {
  for (const i of open.splice(0)) await i.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('bulk insert conflict check', () => {
  it('finds stored ids below, at and among new ids above the highest stored one', async () => {
    const inst = await instance();
    expect(await insert(inst, ['b', 'd', 'f'])).toEqual([]);
    // new ids above 'f' mixed with stored ones: only the stored ones conflict
    expect(await insert(inst, ['g', 'f', 'h', 'b', 'a'])).toEqual(['f', 'b']);
    // the write raised the bound to 'h': 'h' and 'g' are found again
    expect(await insert(inst, ['z', 'h', 'g'])).toEqual(['h', 'g']);
  });

  it('reads the bound from disk after a reopen, and a second instance of the collection shares it', async () => {
    let inst = await instance();
    await insert(inst, ['k1', 'k2', 'k3']);
    await inst.close();
    inst = await instance();
    const other = await instance();
    expect(await insert(inst, ['k4', 'k3'])).toEqual(['k3']);
    expect(await insert(other, ['k4', 'k5'])).toEqual(['k4']);
    expect(await insert(inst, ['k5'])).toEqual(['k5']);
  });

  it('sees every id as new in an empty collection and after remove(), and stored ones after cleanup of others', async () => {
    let inst = await instance();
    expect(await insert(inst, ['m'])).toEqual([]);
    await inst.remove();
    inst = await instance();
    expect(await insert(inst, ['m', 'a'])).toEqual([]);
    // delete 'm', purge it: the bound stays 'm' (an upper bound), 'a' is still found
    const [m] = await inst.findDocumentsById(['m'], false);
    await inst.bulkWrite(
      [
        {
          previous: m!,
          document: { ...m!, _deleted: true, _rev: createRevision(randomToken(10), m!), _meta: { lwt: now() } },
        },
      ],
      'test',
    );
    await inst.cleanup(0);
    expect(await inst.findDocumentsById(['m'], true)).toEqual([]);
    expect(await insert(inst, ['a', 'm'])).toEqual(['a']);
  });

  it('orders like LevelDB: ids with characters above U+FFFF and in U+E000–U+FFFF', async () => {
    const inst = await instance();
    // in UTF-16 '\uffff' > '𝔘' (a surrogate pair); in UTF-8 (LevelDB) the other way round
    expect(await insert(inst, ['\uffff', '𝔘', '\ue000x'])).toEqual([]);
    expect(await insert(inst, ['\uffffa', '\uffff', '𝔘', '𝔘a', '\ue000x'])).toEqual(['\uffff', '𝔘', '\ue000x']);
    await inst.close();
    // the last key on disk now has a surrogate ('𝔘a' sorts last in UTF-8): every id is looked up
    const again = await instance();
    expect(await insert(again, ['\uffffa', '𝔘a', 'zz', '\uffffb'])).toEqual(['\uffffa', '𝔘a']);
  });

  it('property: a batch conflicts exactly on the ids stored before it, whatever their order', async () => {
    const idChar = fc.constantFrom('a', 'b', 'z', '0', '~', 'é', '\ue000', '\uffff', '𝔘', '😀', ' ');
    const id = fc.array(idChar, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uniqueArray(id, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (batches, reopenHalfway) => {
          let inst = await instance(`p${run++}`);
          const stored = new Set<string>();
          for (let b = 0; b < batches.length; b++) {
            if (reopenHalfway && b === Math.floor(batches.length / 2)) {
              await inst.close();
              inst = await instance(`p${run - 1}`);
            }
            const batch = batches[b]!;
            const conflicts = await insert(inst, batch);
            expect(conflicts.sort()).toEqual(batch.filter((i) => stored.has(i)).sort());
            for (const i of batch) stored.add(i);
          }
          await inst.remove();
        },
      ),
      { numRuns: 60 },
    );
  });
});

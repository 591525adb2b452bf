// Kept query results (leveldb-query-results.ts): a prepared query run again
// with no write in between returns its kept ids; every kind of write makes
// the next run walk the index again. Checked against RxDB's memory storage
// running the same operations, with the same prepared query objects reused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createRevision, fillWithDefaultSettings, normalizeMangoQuery, now, prepareQuery, randomToken } from 'rxdb';
import type { MangoQuery, RxDocumentData, RxJsonSchema, RxStorage, RxStorageInstance } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageLevelDB } from './index.js';

interface Item {
  id: string;
  age: number;
  team: string;
}
type Stored = RxDocumentData<Item>;

const schema: RxJsonSchema<Stored> = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 20 },
    age: { type: 'integer', minimum: 0, maximum: 100, multipleOf: 1 },
    team: { type: 'string', maxLength: 5 },
  },
  required: ['id', 'age', 'team'],
  indexes: ['age', ['team', 'age']],
});

const q = (m: MangoQuery<Stored>) => prepareQuery<Item>(schema, normalizeMangoQuery<Stored>(schema, m));
// the same objects every run, as RxDB re-runs a prepared query
const QUERIES = [
  q({ selector: { _deleted: false, age: { $gte: 30 } }, sort: [{ _deleted: 'asc' }, { age: 'asc' }], limit: 5 }),
  q({
    selector: { _deleted: false, team: 'a', age: { $lt: 60 } },
    sort: [{ _deleted: 'asc' }, { team: 'asc' }, { age: 'asc' }],
  }),
  q({ selector: { _deleted: false, age: { $gt: 10 } }, sort: [{ id: 'desc' }], skip: 1, limit: 3 }),
  q({ selector: { team: 'b' }, sort: [{ id: 'asc' }] }),
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-level-results-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function open(storage: RxStorage<unknown, unknown>, name: string) {
  return (await storage.createStorageInstance<Item>({
    databaseInstanceToken: randomToken(10),
    databaseName: name,
    collectionName: 'items',
    schema,
    options: { directory: dir },
    multiInstance: false,
    devMode: false,
  })) as RxStorageInstance<Item, unknown, unknown>;
}

type Op =
  | { kind: 'put'; id: number; age: number; team: string; deleted: boolean }
  | { kind: 'query'; q: number }
  | { kind: 'cleanup' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('put' as const),
    id: fc.integer({ min: 0, max: 12 }),
    age: fc.integer({ min: 0, max: 100 }),
    team: fc.constantFrom('a', 'b'),
    deleted: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('query' as const), q: fc.integer({ min: 0, max: QUERIES.length - 1 }) }),
  fc.record({ kind: fc.constant('query' as const), q: fc.integer({ min: 0, max: QUERIES.length - 1 }) }),
  fc.constant({ kind: 'cleanup' as const }),
);

/** Applies a put the way RxDB does: an insert, or an update naming the stored state as previous. */
async function put(s: RxStorageInstance<Item, unknown, unknown>, o: Extract<Op, { kind: 'put' }>, lwt: number) {
  const id = `i${o.id}`;
  const [previous] = await s.findDocumentsById([id], true);
  const document: Stored = {
    id,
    age: o.age,
    team: o.team,
    _deleted: o.deleted,
    _attachments: {},
    _rev: createRevision(randomToken(10), previous),
    _meta: { lwt },
  };
  const res = await s.bulkWrite([previous ? { previous, document } : { document }], 't');
  expect(res.error).toEqual([]);
}

describe('kept query results', () => {
  it('match RxDB’s memory storage through any sequence of writes, deletes, cleanups and repeated queries', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        round++;
        const level = await open(getRxStorageLevelDB({ directory: dir }) as RxStorage<unknown, unknown>, `l${round}`);
        // a second instance of the same collection: its writes must reach the first one's kept results
        const sibling = await open(getRxStorageLevelDB({ directory: dir }) as RxStorage<unknown, unknown>, `l${round}`);
        const memory = await open(getRxStorageMemory() as RxStorage<unknown, unknown>, `m${round}-${randomToken(5)}`);
        try {
          // a minute in the past: cleanup(0) then purges every deleted document in both storages.
          // From now(), the last put's lwt lay up to 1 ms ahead, and whether it was purged
          // depended on which storage's cleanup read the clock first.
          let lwt = now() - 60_000;
          for (const [i, o] of ops.entries()) {
            if (o.kind === 'put') {
              lwt += 1;
              await put(i % 2 === 0 ? level : sibling, o, lwt);
              await put(memory, o, lwt);
            } else if (o.kind === 'cleanup') {
              await level.cleanup(0);
              await memory.cleanup(0);
            } else {
              const query = QUERIES[o.q]!;
              const want = (await memory.query(query)).documents.map((d) => `${d.id}:${d.age}:${d.team}`);
              const got = (await level.query(query)).documents.map((d) => `${d.id}:${d.age}:${d.team}`);
              expect(got).toEqual(want);
            }
          }
        } finally {
          await level.close();
          await sibling.close();
          await memory.remove();
        }
      }),
      { numRuns: 40 },
    );
  });
});

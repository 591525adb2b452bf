import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { getRxStorageLevelDB, openHandleCount } from './index.js';

const taskSchema = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    title: { type: 'string' },
    done: { type: 'boolean' },
    at: { type: 'integer', minimum: 0, maximum: 1e15, multipleOf: 1 },
  },
  required: ['id', 'title', 'done', 'at'],
  indexes: ['at'],
} as const;

let dir: string;
interface Task {
  id: string;
  title: string;
  done: boolean;
  at: number;
}
type TaskDb = RxDatabase<{ tasks: RxCollection<Task> }>;
let dbs: TaskDb[] = [];

async function openDb(name = 'agent'): Promise<TaskDb> {
  const db = await createRxDatabase<{ tasks: RxCollection<Task> }>({
    name,
    storage: getRxStorageLevelDB({ directory: dir }),
    multiInstance: false,
  });
  await db.addCollections({ tasks: { schema: taskSchema } });
  dbs.push(db);
  return db;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-rxdb-'));
});
afterEach(async () => {
  for (const db of dbs) if (!db.closed) await db.close();
  dbs = [];
  rmSync(dir, { recursive: true, force: true });
});

describe('RxDB 17 on the LevelDB storage', () => {
  it('inserts, queries, patches, removes, and finds it all again after reopening from disk', async () => {
    const db = await openDb();
    await db.tasks.bulkInsert(
      Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, title: `task ${i}`, done: i % 3 === 0, at: 1000 + i })),
    );
    const t5 = await db.tasks.findOne('t5').exec(true);
    await t5.incrementalPatch({ title: 'changed' });
    await (await db.tasks.findOne('t6').exec(true)).remove();
    // 10 of 30 are done; t6 (done) was removed
    expect(await db.tasks.count({ selector: { done: true } }).exec()).toBe(9);
    const late = await db.tasks.find({ selector: { at: { $gte: 1025 } }, sort: [{ at: 'desc' }] }).exec();
    expect(late.map((d) => d.id)).toEqual(['t29', 't28', 't27', 't26', 't25']);
    await db.close();
    expect(openHandleCount()).toBe(0);

    const again = await openDb();
    expect(await again.tasks.count().exec()).toBe(29);
    expect((await again.tasks.findOne('t5').exec(true)).title).toBe('changed');
    expect(await again.tasks.findOne('t6').exec()).toBeNull();
  });

  it('reactive queries see writes', async () => {
    const db = await openDb();
    const counts: number[] = [];
    const sub = db.tasks.count().$.subscribe((n) => counts.push(n));
    await db.tasks.insert({ id: 'a', title: 'a', done: false, at: 1 });
    await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(counts.at(-1)).toBe(1);
  });
});

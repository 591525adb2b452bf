import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { ReusableBatch } from './leveldb-reusable-batch.js';

let dir: string;
let db: ClassicLevel<string, string>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'st-level-batch-'));
  db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const all = async () => Object.fromEntries(await db.iterator().all());

describe('ReusableBatch', () => {
  it('writes exactly what each write put, write after write, deletes included', async () => {
    const reused = new ReusableBatch(db);
    for (let w = 0; w < 20; w++) {
      const sink = reused.begin();
      for (let i = 0; i < 50; i++) sink.put(`k${w}-${i}`, `v${w}-${i}-é𝔘`);
      if (w > 0) sink.del(`k${w - 1}-0`);
      expect(sink.length).toBe(w > 0 ? 51 : 50);
      await sink.write(true);
    }
    const stored = await all();
    expect(Object.keys(stored)).toHaveLength(20 * 50 - 19);
    expect(stored['k19-49']).toBe('v19-49-é𝔘');
    expect(stored['k3-0']).toBeUndefined();
    expect(stored['k19-0']).toBe('v19-0-é𝔘');
  });

  it('a discarded write leaves nothing behind, neither on disk nor in the next write', async () => {
    const reused = new ReusableBatch(db);
    const dropped = reused.begin();
    dropped.put('dropped', 'x');
    await dropped.discard();
    const next = reused.begin();
    next.put('kept', 'y');
    await next.write(false);
    expect(await all()).toEqual({ kept: 'y' });
    // an empty write writes nothing and frees the batch for the next
    await reused.begin().write(true);
    const last = reused.begin();
    last.put('last', 'z');
    await last.write(true);
    expect(await all()).toEqual({ kept: 'y', last: 'z' });
  });

  it('a second write begun while one is under way gets a batch of its own', async () => {
    const reused = new ReusableBatch(db);
    const first = reused.begin();
    const second = reused.begin();
    first.put('a', '1');
    second.put('b', '2');
    await Promise.all([second.write(true), first.write(true)]);
    expect(await all()).toEqual({ a: '1', b: '2' });
  });

  it('lets go of a batch that grew past the limit, and after release() starts afresh', async () => {
    const reused = new ReusableBatch(db);
    const big = reused.begin();
    big.put('big', 'x'.repeat(5 << 20));
    await big.write(false);
    const after = reused.begin();
    after.put('small', 's');
    await after.write(false);
    await reused.release();
    const again = reused.begin();
    again.put('again', 'a');
    await again.write(true);
    const stored = await all();
    expect(Object.keys(stored).sort()).toEqual(['again', 'big', 'small']);
    expect(stored['big']).toHaveLength(5 << 20);
  });

  it('on a closed handle, a write is refused with LevelDB’s typed error instead of touching the closed database', async () => {
    const reused = new ReusableBatch(db);
    const sink = reused.begin();
    sink.put('a', '1');
    await sink.write(true);
    await db.close();
    expect(() => reused.begin()).toThrow(expect.objectContaining({ code: 'LEVEL_DATABASE_NOT_OPEN' }));
    await db.open();
    expect(await all()).toEqual({ a: '1' });
    // reopened (the storage never does this: it opens a new handle): writes land again
    const reopened = reused.begin();
    reopened.put('b', '2');
    await reopened.write(true);
    expect(await all()).toEqual({ a: '1', b: '2' });
  });
});

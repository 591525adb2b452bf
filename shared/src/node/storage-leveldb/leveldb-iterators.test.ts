import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { IndexRangeCounts } from './leveldb-counts.js';
import { IndexIterators } from './leveldb-iterators.js';
import type { KeyRange } from './leveldb-keys.js';

let dir: string;
let db: ClassicLevel<string, string>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'st-iters-'));
  db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  // index 'p/' holds k00..k19 -> ids; a neighbouring range must never leak in
  await db.batch([
    ...Array.from({ length: 20 }, (_, i) => ({
      type: 'put' as const,
      key: `p/k${String(i).padStart(2, '0')}`,
      value: `id${i}`,
    })),
    { type: 'put', key: 'q/k05', value: 'other' },
  ]);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function scan(iters: IndexIterators, range: KeyRange, chunk = 3): Promise<string[]> {
  const out: string[] = [];
  await iters.scan(
    'p/',
    range,
    () => chunk,
    async (ids) => {
      out.push(...ids);
      return true;
    },
  );
  return out;
}

describe('IndexIterators', () => {
  it('honours every bound kind, a bound on an existing key included, across chunks and reuse', async () => {
    const iters = new IndexIterators(db, new IndexRangeCounts());
    for (let round = 0; round < 2; round++) {
      expect(await scan(iters, { gt: 'p/k03', lt: 'p/k07' })).toEqual(['id4', 'id5', 'id6']);
      expect(await scan(iters, { gte: 'p/k03', lte: 'p/k07' })).toEqual(['id3', 'id4', 'id5', 'id6', 'id7']);
      expect(await scan(iters, { gte: 'p/k18' })).toEqual(['id18', 'id19']);
      expect(await scan(iters, { lt: 'p/k02' })).toEqual(['id0', 'id1']);
      expect(await scan(iters, { gt: 'p/k19' })).toEqual([]);
    }
    await iters.shutdown();
  });

  it('stops when the callback says so, and a write makes the next scan read afresh', async () => {
    const counts = new IndexRangeCounts();
    const iters = new IndexIterators(db, counts);
    const seen: string[] = [];
    await iters.scan(
      'p/',
      { gte: 'p/' },
      () => 2,
      async (ids) => (seen.push(...ids), false),
    );
    expect(seen).toEqual(['id0', 'id1']);
    counts.beginWrite();
    await db.put('p/k025', 'new');
    counts.endWrite(undefined);
    expect(await scan(iters, { gte: 'p/k02', lt: 'p/k03' })).toEqual(['id2', 'new']);
    await iters.shutdown();
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import fc from 'fast-check';
import { IndexRangeCounts, keyInRange } from './leveldb-counts.js';
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

  it('returns exactly the keys a brute-force filter keeps, for any bounds and chunk size', async () => {
    const iters = new IndexIterators(db, new IndexRangeCounts());
    const all = Array.from({ length: 20 }, (_, i) => `p/k${String(i).padStart(2, '0')}`);
    // bounds on existing keys and between them ('p/k035'), before and after the range
    const bound = fc.constantFrom(...all, 'p/k035', 'p/k10a', 'p/', 'p/k', 'p/z', 'p/\uffff');
    await fc.assert(
      fc.asyncProperty(
        fc.record({ gt: bound, gte: bound, lt: bound, lte: bound }, { requiredKeys: [] }),
        fc.integer({ min: 1, max: 25 }),
        async (raw, chunk) => {
          const range: KeyRange = {};
          // one lower and one upper bound at most, as queries give them
          if (raw.gt !== undefined) range.gt = raw.gt;
          else if (raw.gte !== undefined) range.gte = raw.gte;
          if (raw.lt !== undefined) range.lt = raw.lt;
          else if (raw.lte !== undefined) range.lte = raw.lte;
          const want = all.filter((k) => keyInRange(k, range)).map((k) => `id${Number(k.slice(3, 5))}`);
          expect(await scan(iters, range, chunk)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
    await iters.shutdown();
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareKeys, IndexRangeCounts, keyInRange } from './leveldb-counts.js';

const utf8Order = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

describe('compareKeys', () => {
  it('orders keys as LevelDB does (bytewise on UTF-8), astral characters and \\uffff included', () => {
    // JS `<` puts an astral character (a surrogate pair) before \uffff; UTF-8 puts it after
    expect('a\u{1f600}' < 'a\uffff').toBe(true);
    expect(compareKeys('a\u{1f600}', 'a\uffff')).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareKeys(a, b))).toBe(utf8Order(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('keyInRange honours each bound kind', () => {
    expect(keyInRange('b', { gt: 'a', lt: 'c' })).toBe(true);
    expect(keyInRange('a', { gt: 'a' })).toBe(false);
    expect(keyInRange('a', { gte: 'a' })).toBe(true);
    expect(keyInRange('c', { lt: 'c' })).toBe(false);
    expect(keyInRange('c', { lte: 'c' })).toBe(true);
    expect(keyInRange('x\u{1f600}', { lt: 'x\uffff' })).toBe(false);
  });
});

describe('IndexRangeCounts', () => {
  const range = { gte: 'b', lt: 'd' };

  it('keeps a stored count exact as writes add and remove keys, per index', () => {
    const c = new IndexRangeCounts();
    c.set(1, range, 5, c.ticket());
    expect(c.get(1, range)).toBe(5);
    expect(c.get(2, range)).toBeUndefined();
    c.beginWrite();
    c.endWrite(new Map([[1, { added: ['b', 'c1', 'd', 'a'], removed: ['c2'] }]]));
    expect(c.get(1, range)).toBe(6); // +b +c1 -c2; 'd' and 'a' lie outside
  });

  it('drops a walk that overlapped a write, and refuses one taken during a write', () => {
    const c = new IndexRangeCounts();
    const before = c.ticket();
    c.beginWrite();
    expect(c.ticket()).toBeUndefined();
    c.endWrite(undefined);
    c.set(1, range, 3, before); // the walk may or may not have seen the write
    expect(c.get(1, range)).toBeUndefined();
  });

  it('evicts the least recently used count beyond its size', () => {
    const c = new IndexRangeCounts(2);
    c.set(1, { gte: 'a' }, 1, c.ticket());
    c.set(1, { gte: 'b' }, 2, c.ticket());
    expect(c.get(1, { gte: 'a' })).toBe(1); // now 'b' is the oldest
    c.set(1, { gte: 'c' }, 3, c.ticket());
    expect(c.get(1, { gte: 'b' })).toBeUndefined();
    expect(c.get(1, { gte: 'a' })).toBe(1);
    expect(c.get(1, { gte: 'c' })).toBe(3);
  });
});

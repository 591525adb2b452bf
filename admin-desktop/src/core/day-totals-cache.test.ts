// Per person-day totals kept under (record set, rules) stamps: reused while
// nothing changed, computed again for exactly the person whose records
// changed (a new record, a deleted screenshot: both reach the index as
// invalidateHours of the row's hour) or for everyone when the rules stamp
// changes.
import { describe, expect, it } from 'vitest';
import { DayTotalsCache } from './day-totals-cache.js';
import { OpenedIndex } from './opened-index.js';

const DAYS = ['2026-11-02', '2026-11-03', '2026-11-04'];

/** A cache whose compute counts calls and the days it was asked for. */
function counting() {
  const cache = new DayTotalsCache<number>();
  const asked: string[][] = [];
  let value = 1;
  const get = (e: string, stamp: string, dates = DAYS) =>
    cache.days(e, stamp, dates, async (missing) => {
      asked.push(missing);
      return new Map(missing.map((d) => [d, value]));
    });
  return { cache, asked, get, set: (v: number) => (value = v) };
}

const index = () =>
  new OpenedIndex(
    async () => [],
    () => ({ records: [], cannotOpen: 0, problems: [] }),
    'Europe/Berlin',
  );

describe('DayTotalsCache', () => {
  it('computes missing days once and then answers from what it kept', async () => {
    const c = counting();
    expect([...(await c.get('ada', 's1')).values()]).toEqual([1, 1, 1]);
    c.set(2);
    expect([...(await c.get('ada', 's1')).values()]).toEqual([1, 1, 1]);
    expect(c.asked).toEqual([DAYS]);
    // a longer range computes only the days not kept
    await c.get('ada', 's1', ['2026-11-01', ...DAYS, '2026-11-05']);
    expect(c.asked[1]).toEqual(['2026-11-01', '2026-11-05']);
    expect(c.cache.keptDays('ada')).toBe(5);
  });

  it('computes everything again under a new stamp (a rule set published), and nothing kept under the old one shows', async () => {
    const c = counting();
    await c.get('ada', 'records-1|rules@1');
    c.set(7);
    const after = await c.get('ada', 'records-1|rules@2');
    expect([...after.values()]).toEqual([7, 7, 7]);
    expect(c.asked).toEqual([DAYS, DAYS]);
    expect(c.cache.keptDays('ada')).toBe(3);
  });

  it('refuses a compute that leaves a day out (no silent hole in a report)', async () => {
    const cache = new DayTotalsCache<number>();
    await expect(cache.days('ada', 's', DAYS, async () => new Map([[DAYS[0]!, 1]]))).rejects.toThrow(
      /2026-11-03 was not computed/,
    );
    expect(cache.keptDays('ada')).toBe(0);
  });

  it('drops the least recently used person beyond its bound', async () => {
    const cache = new DayTotalsCache<number>(2);
    const one = async (missing: string[]) => new Map(missing.map((d) => [d, 1]));
    await cache.days('a', 's', DAYS, one);
    await cache.days('b', 's', DAYS, one);
    await cache.days('a', 's', DAYS, one); // a is the most recent now
    await cache.days('c', 's', DAYS, one);
    expect([cache.keptDays('a'), cache.keptDays('b'), cache.keptDays('c')]).toEqual([3, 0, 3]);
  });
});

describe('OpenedIndex.recordSetStamp: what makes kept day totals stale', () => {
  it('changes for the person a new or deleted row belongs to, and for nobody else', async () => {
    const idx = index();
    const c = counting();
    const ada0 = idx.recordSetStamp('ada');
    const bo0 = idx.recordSetStamp('bo');
    await c.get('ada', ada0);
    await c.get('bo', bo0);
    // a record sealed in some hour arrives for ada (a deleted screenshot of hers reaches the index the same way)
    idx.invalidateHours('ada', [Date.UTC(2026, 10, 3, 9)]);
    expect(idx.recordSetStamp('ada')).not.toBe(ada0);
    expect(idx.recordSetStamp('bo')).toBe(bo0);
    c.set(5);
    expect([...(await c.get('ada', idx.recordSetStamp('ada'))).values()]).toEqual([5, 5, 5]);
    expect([...(await c.get('bo', idx.recordSetStamp('bo'))).values()]).toEqual([1, 1, 1]);
    expect(c.asked).toHaveLength(3);
  });

  it('changes when whole people are invalidated (new device keys) and when the index is cleared', () => {
    const idx = index();
    const a = idx.recordSetStamp('ada');
    idx.invalidate(['ada']);
    const b = idx.recordSetStamp('ada');
    expect(b).not.toBe(a);
    idx.clear();
    expect(idx.recordSetStamp('ada')).not.toBe(b);
  });
});

describe('DayTotalsCache: values that depend on the clock', () => {
  it('computes a kept value again while `stale` says so (an open session’s day), and only that day', async () => {
    const cache = new DayTotalsCache<{ v: number; volatile: boolean }>();
    const asked: string[][] = [];
    let v = 1;
    const get = () =>
      cache.days(
        'ada',
        's',
        DAYS,
        async (missing) => {
          asked.push(missing);
          return new Map(missing.map((d) => [d, { v, volatile: d === DAYS[2] }]));
        },
        (x) => x.volatile,
      );
    await get();
    v = 2;
    const again = await get();
    expect(asked).toEqual([DAYS, [DAYS[2]]]);
    expect([...again.values()].map((x) => x.v)).toEqual([1, 1, 2]);
  });
});

// Key ranges kept by query-plan content (leveldb-range-cache.ts): two plans
// share a kept range only if every part the range depends on is the same.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RxQueryPlan } from 'rxdb';
import { planKey, RangeCache } from './leveldb-range-cache.js';

const bound = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(null, undefined, -0, 0, '', '0', Number.MIN_SAFE_INTEGER, String.fromCharCode(65535)),
);
// few values, so that pairs of plans often match in all but one part
const nearBound = fc.constantFrom(null, undefined, -0, 0, NaN, '', '0', 'null', 1, '1', true, 'true', false);
const planOf = (b: fc.Arbitrary<unknown>) =>
  fc.integer({ min: 1, max: 2 }).chain((n) =>
    fc.record({
      index: fc.array(fc.constantFrom('a', 'b', 'a,b', ''), { minLength: n, maxLength: n }),
      startKeys: fc.array(b, { minLength: n, maxLength: n }),
      endKeys: fc.array(b, { minLength: n, maxLength: n }),
      inclusiveStart: fc.boolean(),
      inclusiveEnd: fc.boolean(),
      sortSatisfiedByIndex: fc.boolean(),
      selectorSatisfiedByIndex: fc.boolean(),
    }),
  ) as fc.Arbitrary<RxQueryPlan>;
const plan = planOf(bound);
const nearPlan = planOf(nearBound);

/** What a key range is built from, compared exactly (Object.is tells -0 from 0 and NaN from NaN). */
function sameRangeInputs(a: RxQueryPlan, b: RxQueryPlan): boolean {
  const same = (x: readonly unknown[], y: readonly unknown[]) =>
    x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
  return (
    a.inclusiveStart === b.inclusiveStart &&
    a.inclusiveEnd === b.inclusiveEnd &&
    same(a.index, b.index) &&
    same(a.startKeys, b.startKeys) &&
    same(a.endKeys, b.endKeys)
  );
}

describe('planKey', () => {
  it('is equal for two plans exactly when their index, bounds and inclusiveness are', () => {
    for (const arb of [plan, nearPlan])
      fc.assert(
        fc.property(arb, arb, (a, b) => {
          expect(planKey(a) === planKey(b)).toBe(sameRangeInputs(a, b));
        }),
        { numRuns: 3000 },
      );
    // a plan and the same plan with one bound swapped for a value that may print alike
    fc.assert(
      fc.property(nearPlan, nearBound, fc.nat(), fc.boolean(), (a, v, at, start) => {
        const b = structuredClone(a);
        const keys = start ? b.startKeys : b.endKeys;
        keys[at % keys.length] = v as never;
        expect(planKey(a) === planKey(b)).toBe(sameRangeInputs(a, b));
      }),
      { numRuns: 3000 },
    );
    // the same plan content in a fresh object
    fc.assert(
      fc.property(plan, (a) => {
        expect(planKey(structuredClone(a))).toBe(planKey(a));
      }),
    );
  });

  it('tells apart bounds that print alike', () => {
    const base: RxQueryPlan = {
      index: ['a'],
      startKeys: [1],
      endKeys: [2],
      inclusiveStart: true,
      inclusiveEnd: true,
      sortSatisfiedByIndex: true,
      selectorSatisfiedByIndex: true,
    };
    const keys = [
      planKey(base),
      planKey({ ...base, startKeys: ['1'] }),
      planKey({ ...base, startKeys: [-0], endKeys: [2] }),
      planKey({ ...base, startKeys: [0] }),
      // RxDB types bounds as string | number | undefined; at run time `$eq: false` and `$eq: null` reach them too
      planKey({ ...base, startKeys: [null as never] }),
      planKey({ ...base, startKeys: [false as never] }),
      planKey({ ...base, startKeys: [undefined] }),
      planKey({ ...base, inclusiveStart: false }),
      planKey({ ...base, inclusiveEnd: false }),
      planKey({ ...base, index: ['b'] }),
      // a field name that contains what a naive join would put between two fields
      planKey({ ...base, index: ['a,b'], startKeys: [1], endKeys: [2] }),
      planKey({ ...base, index: ['a', 'b'], startKeys: [1, 1], endKeys: [2, 2] }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives no key for a bound of a type it does not encode, so such a range is never shared', () => {
    const odd = { index: ['a'], startKeys: [{}], endKeys: [1], inclusiveStart: true, inclusiveEnd: true };
    expect(planKey(odd as unknown as RxQueryPlan)).toBeUndefined();
    const cache = new RangeCache();
    let built = 0;
    const build = () => ({ gte: `x${++built}` });
    expect(cache.get(odd as unknown as RxQueryPlan, build)).toEqual({ gte: 'x1' });
    expect(cache.get(odd as unknown as RxQueryPlan, build)).toEqual({ gte: 'x2' });
    expect(cache.size).toBe(0);
  });
});

describe('RangeCache', () => {
  it('builds a range once per plan content and keeps at most its limit', () => {
    const cache = new RangeCache(3);
    const p = (start: number): RxQueryPlan => ({
      index: ['a'],
      startKeys: [start],
      endKeys: [100],
      inclusiveStart: true,
      inclusiveEnd: true,
      sortSatisfiedByIndex: true,
      selectorSatisfiedByIndex: true,
    });
    let built = 0;
    const build = (start: number) => () => {
      built++;
      return { gte: String(start) };
    };
    expect(cache.get(p(1), build(1))).toEqual({ gte: '1' });
    expect(cache.get(p(1), build(1))).toEqual({ gte: '1' });
    expect(built).toBe(1);
    for (const s of [2, 3, 4]) cache.get(p(s), build(s));
    expect(cache.size).toBe(3);
    // the oldest went: built again
    expect(cache.get(p(1), build(1))).toEqual({ gte: '1' });
    expect(built).toBe(5);
  });
});

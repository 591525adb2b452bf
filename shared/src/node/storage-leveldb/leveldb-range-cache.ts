import type { RxQueryPlan } from 'rxdb';
import type { KeyRange } from './leveldb-keys.js';

/** Key ranges kept per collection (a few hundred bytes each). */
const MAX_RANGES = 256;

/** One bound value of a query plan, typed and length-prefixed so that no two distinct values share a string. */
function boundPart(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return `s${v.length}:${v}`;
    case 'number':
      return Object.is(v, -0) ? 'n-0' : `n${v}`;
    case 'boolean':
      return v ? 't' : 'f';
    case 'undefined':
      return 'u';
    default:
      return v === null ? 'z' : undefined;
  }
}

/**
 * A string that identifies everything of a query plan the key range depends
 * on (index fields, bounds, inclusiveness); undefined if a bound is of a type
 * it does not encode (then the range is simply not kept).
 */
export function planKey(plan: RxQueryPlan): string | undefined {
  let key = `${plan.inclusiveStart ? 1 : 0}${plan.inclusiveEnd ? 1 : 0}`;
  for (const field of plan.index) key += `${field.length}:${field}`;
  key += `|${plan.startKeys.length}`;
  for (const v of plan.startKeys) {
    const part = boundPart(v);
    if (part === undefined) return undefined;
    key += part;
  }
  key += `|${plan.endKeys.length}`;
  for (const v of plan.endKeys) {
    const part = boundPart(v);
    if (part === undefined) return undefined;
    key += part;
  }
  return key;
}

/**
 * Key ranges of query plans seen before, by plan content. A newly prepared
 * query (a new RxQuery, a page of a list re-opened) repeats a plan seen
 * before; building its range runs RxDB's indexable-string code per bound
 * field, which was ~12 % of a fresh 100-row query in the profile. Ranges do
 * not depend on the stored data, so no write invalidates them.
 */
export class RangeCache {
  private readonly ranges = new Map<string, KeyRange>();

  constructor(private readonly max = MAX_RANGES) {}

  /** The range of `plan`, built by `build` unless a plan with the same content was seen. */
  get(plan: RxQueryPlan, build: () => KeyRange): KeyRange {
    const key = planKey(plan);
    if (key === undefined) return build();
    let range = this.ranges.get(key);
    if (range === undefined) {
      range = build();
      this.ranges.set(key, range);
      if (this.ranges.size > this.max) this.ranges.delete(this.ranges.keys().next().value!);
    }
    return range;
  }

  get size(): number {
    return this.ranges.size;
  }
}

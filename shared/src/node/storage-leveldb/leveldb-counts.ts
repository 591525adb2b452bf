import type { KeyRange } from './leveldb-keys.js';

/**
 * Maps a UTF-16 code unit so that comparing mapped units orders strings by
 * code point, which is the order of their UTF-8 bytes, which is LevelDB's
 * key order. Plain `<` on JS strings differs from it only where a surrogate
 * (an astral character) meets a unit in U+E000–U+FFFF, e.g. the '\uffff'
 * upper bounds RxDB and this storage put into ranges.
 */
const codePointRank = (c: number): number => (c < 0xd800 ? c : c < 0xe000 ? c + 0x2000 : c - 0x800);
const SURROGATE = /[\ud800-\udfff]/;

/** Compares two keys the way LevelDB orders them (bytewise on UTF-8). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

export function keyInRange(key: string, r: KeyRange): boolean {
  if (r.gt !== undefined && compareKeys(key, r.gt) <= 0) return false;
  if (r.gte !== undefined && compareKeys(key, r.gte) < 0) return false;
  if (r.lt !== undefined && compareKeys(key, r.lt) >= 0) return false;
  if (r.lte !== undefined && compareKeys(key, r.lte) > 0) return false;
  return true;
}

interface Entry {
  readonly range: KeyRange;
  count: number;
}

/**
 * Counts of index ranges that were counted before, kept exact as writes add
 * and remove index keys, so a repeated count (RxDB re-runs a reactive count
 * query on every change of its collection) costs a map lookup instead of a
 * walk over every key in the range. The first count of a range walks it.
 *
 * A walk may run while a write is under way; its result is kept only if no
 * write started or ran between taking the ticket and storing the count, so
 * a stored count never misses or double-counts a write's keys.
 */
export class IndexRangeCounts {
  /** index number -> (range id -> entry), each map in least-recently-used order */
  private readonly byIndex = new Map<number, Map<string, Entry>>();
  private size = 0;
  private generation = 0;
  private writing = 0;

  constructor(private readonly max = 64) {}

  private static id(range: KeyRange): string {
    return JSON.stringify([range.gt, range.gte, range.lt, range.lte]);
  }

  get(no: number, range: KeyRange): number | undefined {
    const entries = this.byIndex.get(no);
    const id = IndexRangeCounts.id(range);
    const entry = entries?.get(id);
    if (!entry || !entries) return undefined;
    entries.delete(id);
    entries.set(id, entry);
    return entry.count;
  }

  /** Taken before a walk; undefined while a write is under way (its result could not be trusted). */
  ticket(): number | undefined {
    return this.writing === 0 ? this.generation : undefined;
  }

  /** Whether no write started or ran since the ticket was taken. */
  stillValid(ticket: number | undefined): boolean {
    return ticket !== undefined && ticket === this.generation && this.writing === 0;
  }

  set(no: number, range: KeyRange, count: number, ticket: number | undefined): void {
    if (!this.stillValid(ticket)) return;
    let entries = this.byIndex.get(no);
    if (!entries) this.byIndex.set(no, (entries = new Map()));
    const id = IndexRangeCounts.id(range);
    if (!entries.has(id)) this.size++;
    entries.delete(id);
    entries.set(id, { range, count });
    if (this.size > this.max) this.evictOne();
  }

  private evictOne(): void {
    // the largest map gives up its least recently used entry
    let victim: Map<string, Entry> | undefined;
    for (const entries of this.byIndex.values()) if (!victim || entries.size > victim.size) victim = entries;
    const first = victim?.keys().next();
    if (victim && first && !first.done) {
      victim.delete(first.value);
      this.size--;
    }
  }

  /** Whether any count of this index is kept (writes skip collecting keys for the others). */
  tracks(no: number): boolean {
    return (this.byIndex.get(no)?.size ?? 0) > 0;
  }

  beginWrite(): void {
    this.writing++;
    this.generation++;
  }

  /** Applies a committed write: index keys added and removed, per index number. */
  endWrite(changes: ReadonlyMap<number, { added: string[]; removed: string[] }> | undefined): void {
    this.writing--;
    this.generation++;
    if (!changes) return;
    for (const [no, { added, removed }] of changes) {
      const entries = this.byIndex.get(no);
      if (!entries) continue;
      for (const entry of entries.values()) {
        for (const key of added) if (keyInRange(key, entry.range)) entry.count++;
        for (const key of removed) if (keyInRange(key, entry.range)) entry.count--;
      }
    }
  }

  /** Forgets every count (a failed write, a removed collection). */
  clear(): void {
    this.byIndex.clear();
    this.size = 0;
    this.generation++;
  }
}

import type { ClassicLevel } from 'classic-level';
import { docRangeStart } from './leveldb-keys.js';

// the handle type is spelled out here: leveldb-types.ts imports this file
type LevelHandle = ClassicLevel<string, string>;

/**
 * An upper bound of a collection's stored document ids, kept in memory, so
 * the conflict check of a bulk write skips the LevelDB lookup of every id
 * above it: such an id is surely not stored. Inserts of new records mostly
 * carry ids that grow (device and sequence number), so the common batch needs
 * no lookup at all instead of 1,000 `getSync` calls.
 *
 * The bound is read once from disk (the last document key) and raised
 * before every write that may store a higher id (so a write that fails
 * half-way leaves it high, never low); purges leave it as it is, which keeps
 * it an upper bound. Ids compare in JavaScript (UTF-16 code units) as
 * LevelDB compares their UTF-8 bytes, except where a surrogate pair (a
 * character above U+FFFF) meets U+E000–U+FFFF. So ids with a surrogate are
 * left out on both sides: such an id is always looked up, and never equals
 * an id without one, so the bound only has to cover ids without; if the
 * last stored id has one, the bound is off (`null`) for the open session.
 */
export class IdCeiling {
  /** undefined: not read yet; null: unknown (every id is looked up); '' with `empty`: nothing stored */
  private bound: string | null | undefined;
  private empty = false;

  constructor(
    private readonly db: LevelHandle,
    private readonly prefix: string,
  ) {}

  /** Reads the bound from disk once; later calls return at once. */
  async load(): Promise<void> {
    if (this.bound !== undefined) return;
    const start = docRangeStart(this.prefix);
    // up to the end of the document section: ids may start with any character
    const last = await this.db.keys({ gte: start, lt: this.prefix + 'd\x01', reverse: true, limit: 1 }).all();
    // a write may have raised it while the read ran
    if (this.bound !== undefined) return;
    if (last.length === 0) {
      this.empty = true;
      this.bound = '';
    } else this.bound = safe(last[0]!.slice(start.length));
  }

  /** True when `id` is surely not stored (it sorts above every stored id). */
  isNew(id: string): boolean {
    const bound = this.bound;
    if (bound === undefined || bound === null || hasSurrogate(id)) return false;
    return this.empty || id > bound;
  }

  /** Called with the ids a write is about to store, before the write: keeps the bound above them. */
  raise(ids: Iterable<string>): void {
    if (this.bound === undefined || this.bound === null) return;
    for (const id of ids) {
      if (hasSurrogate(id)) continue; // never decided here, see above
      if (this.empty || id > this.bound) {
        this.bound = id;
        this.empty = false;
      }
    }
  }
}

const SURROGATE = /[\ud800-\udfff]/;
const hasSurrogate = (s: string): boolean => SURROGATE.test(s);
const safe = (id: string): string | null => (hasSurrogate(id) ? null : id);

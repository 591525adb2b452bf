import type { AbstractIterator } from 'abstract-level';
import { compareKeys, type IndexRangeCounts } from './leveldb-counts.js';
import { HIGH, type KeyRange } from './leveldb-keys.js';
import type { ClassicLevel } from 'classic-level';

// the handle type is spelled out here: leveldb-types.ts imports this file
type LevelHandle = ClassicLevel<string, string>;
type EntryIterator = AbstractIterator<LevelHandle, string, string>;

interface Pooled {
  it: EntryIterator;
  ticket: number | undefined;
}

/**
 * Open iterators over whole index ranges, reused by seeking. Creating a
 * LevelDB iterator (and closing it again) cost more than half of a 100-row
 * query in the profile; a seek on an open one is much cheaper. An iterator
 * reads the snapshot it was created on, so one is reused only while no
 * write has started or ran since (the counts' write tickets), and writes
 * close the idle ones.
 */
export class IndexIterators {
  private readonly idle = new Map<string, Pooled>();
  private shut = false;

  constructor(
    private readonly db: LevelHandle,
    private readonly counts: IndexRangeCounts,
  ) {}

  private take(indexPrefix: string): Pooled {
    const pooled = this.idle.get(indexPrefix);
    if (pooled) {
      this.idle.delete(indexPrefix);
      if (this.counts.stillValid(pooled.ticket)) return pooled;
      void pooled.it.close().catch(() => undefined);
    }
    const ticket = this.counts.ticket();
    const it = this.db.iterator({ gte: indexPrefix, lt: indexPrefix + HIGH, highWaterMarkBytes: 1 << 16 });
    return { it, ticket };
  }

  private give(indexPrefix: string, pooled: Pooled): void {
    if (!this.shut && !this.idle.has(indexPrefix) && this.counts.stillValid(pooled.ticket))
      this.idle.set(indexPrefix, pooled);
    else void pooled.it.close().catch(() => undefined);
  }

  /**
   * Iterates the doc ids (the values) of `range`, which lies inside the
   * index range `indexPrefix`, in key order, a chunk at a time; `onChunk`
   * returns false to stop early.
   */
  async scan(
    indexPrefix: string,
    range: KeyRange,
    chunkSize: () => number,
    onChunk: (docIds: string[]) => Promise<boolean>,
  ): Promise<void> {
    const pooled = this.take(indexPrefix);
    const { it } = pooled;
    let healthy = false;
    try {
      const start = range.gte ?? range.gt;
      if (start !== undefined) it.seek(start);
      else it.seek(indexPrefix);
      let first = true;
      for (;;) {
        const entries = await it.nextv(Math.max(1, chunkSize()));
        if (entries.length === 0) break;
        // Keys come sorted: only the first key after the seek can equal a `gt`
        // bound, and the upper bound is checked on the chunk's last key; keys
        // are compared one by one only in the chunk where the range ends.
        let from = 0;
        if (first && range.gt !== undefined && compareKeys(entries[0]![0], range.gt) <= 0) from = 1;
        first = false;
        let to = entries.length;
        if (!withinUpper(entries[to - 1]![0], range)) {
          to = from;
          while (to < entries.length && withinUpper(entries[to]![0], range)) to++;
        }
        const ended = to < entries.length;
        const ids: string[] = new Array<string>(Math.max(0, to - from));
        for (let i = from; i < to; i++) ids[i - from] = entries[i]![1]!;
        if (ids.length > 0 && !(await onChunk(ids))) break;
        if (ended) break;
      }
      healthy = true;
    } finally {
      if (healthy) this.give(indexPrefix, pooled);
      else void it.close().catch(() => undefined);
    }
  }

  /** Closes the idle iterators and pools no more (the collection is closed or removed). */
  shutdown(): Promise<void> {
    this.shut = true;
    return this.closeIdle();
  }

  /** Closes the idle iterators (after a write: their snapshots are old). */
  closeIdle(): Promise<void> {
    const closing = [...this.idle.values()].map((p) => p.it.close().catch(() => undefined));
    this.idle.clear();
    return Promise.all(closing).then(() => undefined);
  }
}

function withinUpper(key: string, range: KeyRange): boolean {
  if (range.lt !== undefined) return compareKeys(key, range.lt) < 0;
  if (range.lte !== undefined) return compareKeys(key, range.lte) <= 0;
  return true;
}

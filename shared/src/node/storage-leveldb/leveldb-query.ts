import type { LevelHandle } from './leveldb-types.js';

export interface KeyRange {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
}

/**
 * Iterates the doc ids stored under an index range, in index order, handing
 * them to `onChunk` a chunk at a time (one getMany per chunk instead of one
 * read per document). `onChunk` returns false to stop early.
 */
export async function scanIndexRange(
  db: LevelHandle,
  range: KeyRange,
  chunkSize: number | (() => number),
  onChunk: (docIds: string[]) => Promise<boolean>,
): Promise<void> {
  const it = db.values(range);
  try {
    for (;;) {
      const ids = await it.nextv(typeof chunkSize === 'number' ? chunkSize : Math.max(1, chunkSize()));
      if (ids.length === 0) return;
      if (!(await onChunk(ids))) return;
    }
  } finally {
    await it.close();
  }
}

/**
 * Number of keys in a range, walking keys only. The iterator's default
 * 16 KiB read-ahead would stop every ~150 index keys; a larger one lets each
 * native call return a whole chunk.
 */
export async function countKeys(db: LevelHandle, range: KeyRange): Promise<number> {
  let count = 0;
  const it = db.keys({ ...range, highWaterMarkBytes: 1 << 20 });
  try {
    for (let n = (await it.nextv(5000)).length; n > 0; n = (await it.nextv(5000)).length) count += n;
  } finally {
    await it.close();
  }
  return count;
}

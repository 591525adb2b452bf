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

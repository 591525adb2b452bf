import type { LevelHandle } from './leveldb-types.js';

export interface KeyRange {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
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

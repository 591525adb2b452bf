import type { Subject } from 'rxjs';
import type { ClassicLevel } from 'classic-level';
import type { IndexRangeCounts } from './leveldb-counts.js';
import type { DocCache } from './leveldb-doc-cache.js';
import type { IdCeiling } from './leveldb-id-ceiling.js';
import type { ReusableBatch } from './leveldb-reusable-batch.js';
import type { IndexIterators } from './leveldb-iterators.js';
import type { EventBulk, RxDocumentData, RxJsonSchema, RxStorageChangeEvent, RxStorageDefaultCheckpoint } from 'rxdb';

export interface LevelDBSettings {
  /** Directory that holds the LevelDB files; one handle per directory per process. */
  directory: string;
  /**
   * fsync each bulkWrite before it resolves (default true). Only benchmarks
   * that want to show the cost of durability turn this off.
   */
  sync?: boolean;
  /** Parsed documents kept in memory per collection for repeated reads (default 500; 0 turns it off). */
  docCacheSize?: number;
  /**
   * LevelDB's memtable size in bytes (LevelDB's default 4 MB when unset). A
   * larger one takes bulk loads with fewer flushes and compactions, at up to
   * that much more resident memory. The directory's first opener sets it:
   * every database on a directory shares one handle.
   */
  writeBufferSize?: number;
}

export type LevelHandle = ClassicLevel<string, string>;

/** One index the storage maintains: its fields and the function that builds its key. */
export interface LevelIndex {
  readonly fields: string[];
  readonly name: string;
  /** short, stable number used in the key prefix */
  readonly no: number;
  readonly toIndexString: (doc: RxDocumentData<unknown>) => string;
}

/**
 * State shared by every storage instance of the same collection in this
 * process: the write queue and the change stream, so that two RxDB databases
 * on one directory see each other's writes (multiInstance inside a process).
 */
export interface LevelCollectionState {
  /** the collection's names (its key in the handle's table; format 1's prefix), see collectionPrefix */
  readonly name: string;
  /** on-disk layout, see leveldb-layout.ts */
  readonly format: 1 | 2;
  /** what every key of the collection starts with */
  readonly prefix: string;
  readonly schema: RxJsonSchema<RxDocumentData<unknown>>;
  readonly indexes: LevelIndex[];
  readonly changes$: Subject<EventBulk<RxStorageChangeEvent<RxDocumentData<unknown>>, RxStorageDefaultCheckpoint>>;
  /** serialises bulkWrites: categorisation reads the current state, so writes must not interleave */
  writeQueue: Promise<unknown>;
  /** counts of index ranges asked for before, kept exact by every write */
  readonly counts: IndexRangeCounts;
  /** recently read documents, parsed */
  readonly docCache: DocCache;
  /** an upper bound of the stored ids: the conflict check looks up only ids at or below it */
  readonly ids: IdCeiling;
  /** the write batch each write of the collection reuses, one after another */
  readonly batch: ReusableBatch;
  /** open index iterators reused by queries while no write intervenes */
  readonly iterators: IndexIterators;
  refCount: number;
  removed: boolean;
  /** Set by remove(); settles once the data is cleared and the state is out of the table. */
  removal?: Promise<void>;
}

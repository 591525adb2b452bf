import { Subject } from 'rxjs';
import type { RxDocumentData, RxJsonSchema, RxStorageInstanceCreationParams } from 'rxdb';
import { acquireHandle } from './leveldb-handles.js';
import { buildIndexes } from './leveldb-indexes.js';
import { collectionPrefix } from './leveldb-keys.js';
import { IndexRangeCounts } from './leveldb-counts.js';
import { DocCache } from './leveldb-doc-cache.js';
import { IndexIterators } from './leveldb-iterators.js';
import { RxStorageInstanceLevelDB } from './rx-storage-instance-leveldb.js';
import type { LevelDBSettings } from './leveldb-types.js';

/** Parsed documents kept per collection (about 1 KB each for sealed records; settings.docCacheSize overrides). */
const DEFAULT_DOC_CACHE_SIZE = 500;

/**
 * Opens a storage instance: leases the directory's shared LevelDB handle and
 * joins (or starts) the collection's shared state.
 */
export async function createLevelDBStorageInstance<RxDocType>(
  params: RxStorageInstanceCreationParams<RxDocType, LevelDBSettings>,
  settings: LevelDBSettings,
): Promise<RxStorageInstanceLevelDB<RxDocType>> {
  const lease = await acquireHandle(settings.directory);
  const prefix = collectionPrefix(params.databaseName, params.collectionName, params.schema.version);
  let state = lease.collections.get(prefix);
  while (state?.removal) {
    // a remove() of this collection is under way: open on what is left after it
    await state.removal.catch(() => undefined);
    state = lease.collections.get(prefix);
  }
  if (!state) {
    const schema = params.schema as RxJsonSchema<RxDocumentData<unknown>>;
    const counts = new IndexRangeCounts();
    state = {
      prefix,
      schema,
      indexes: buildIndexes(schema),
      changes$: new Subject(),
      writeQueue: Promise.resolve(),
      counts,
      docCache: new DocCache(settings.docCacheSize ?? DEFAULT_DOC_CACHE_SIZE),
      iterators: new IndexIterators(lease.db, counts),
      refCount: 0,
      removed: false,
    };
    lease.collections.set(prefix, state);
  }
  state.refCount++;
  return new RxStorageInstanceLevelDB<RxDocType>(
    params.databaseName,
    params.collectionName,
    params.schema,
    settings,
    lease,
    state,
  );
}

import { Subject } from 'rxjs';
import type { RxDocumentData, RxJsonSchema, RxStorageInstanceCreationParams } from 'rxdb';
import { acquireHandle } from './leveldb-handles.js';
import { buildIndexes } from './leveldb-indexes.js';
import { collectionPrefix } from './leveldb-keys.js';
import { IndexRangeCounts } from './leveldb-counts.js';
import { DocCache } from './leveldb-doc-cache.js';
import { IndexIterators } from './leveldb-iterators.js';
import { IdCeiling } from './leveldb-id-ceiling.js';
import { ReusableBatch } from './leveldb-reusable-batch.js';
import { RxStorageInstanceLevelDB } from './rx-storage-instance-leveldb.js';
import { resolveLayout } from './leveldb-layout.js';
import type { LevelCollectionState, LevelDBSettings } from './leveldb-types.js';

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
  const lease = await acquireHandle(settings.directory, {
    ...(settings.writeBufferSize ? { writeBufferSize: settings.writeBufferSize } : {}),
  });
  const name = collectionPrefix(params.databaseName, params.collectionName, params.schema.version);
  let state: LevelCollectionState | undefined;
  try {
    for (;;) {
      state = lease.collections.get(name);
      if (state?.removal) {
        // a remove() of this collection is under way: open on what is left after it
        await state.removal.catch(() => undefined);
        continue;
      }
      if (state) break;
      const layout = await resolveLayout(lease.db, name);
      if (lease.collections.has(name)) continue; // another open of it got there first
      const schema = params.schema as RxJsonSchema<RxDocumentData<unknown>>;
      const counts = new IndexRangeCounts();
      state = {
        name,
        format: layout.format,
        prefix: layout.prefix,
        schema,
        indexes: buildIndexes(schema, layout.format),
        changes$: new Subject(),
        writeQueue: Promise.resolve(),
        counts,
        docCache: new DocCache(settings.docCacheSize ?? DEFAULT_DOC_CACHE_SIZE),
        iterators: new IndexIterators(lease.db, counts),
        ids: new IdCeiling(lease.db, layout.prefix),
        batch: new ReusableBatch(lease.db),
        refCount: 0,
        removed: false,
      };
      lease.collections.set(name, state);
      break;
    }
  } catch (err) {
    await lease.release();
    throw err;
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

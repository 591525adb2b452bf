import { ensureRxStorageInstanceParamsAreCorrect, RXDB_VERSION } from 'rxdb';
import type { RxStorage, RxStorageInstanceCreationParams } from 'rxdb';
import type { LevelStorageInternals, RxStorageInstanceLevelDB } from './rx-storage-instance-leveldb.js';
import { createLevelDBStorageInstance } from './leveldb-open.js';
import type { LevelDBSettings } from './leveldb-types.js';

export type { LevelDBSettings } from './leveldb-types.js';
export { RxStorageInstanceLevelDB } from './rx-storage-instance-leveldb.js';
export { openHandleCount } from './leveldb-handles.js';
export { StorageFormatError } from './leveldb-layout.js';

export type RxStorageLevelDB = RxStorage<LevelStorageInternals, LevelDBSettings>;

/**
 * RxDB storage on LevelDB (classic-level): persistent in Node and Electron
 * main. Every RxDB database given the same `directory` shares one LevelDB
 * handle; each collection is a key range inside it.
 */
export function getRxStorageLevelDB(settings: LevelDBSettings): RxStorageLevelDB {
  return {
    name: 'leveldb',
    rxdbVersion: RXDB_VERSION,
    createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, LevelDBSettings>,
    ): Promise<RxStorageInstanceLevelDB<RxDocType>> {
      ensureRxStorageInstanceParamsAreCorrect(params);
      return createLevelDBStorageInstance(params, { ...settings, ...(params.options ?? {}) });
    },
  };
}

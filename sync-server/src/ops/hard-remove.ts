/**
 * Removes documents for real, on either engine: `_purge` + compaction on
 * CouchDB, a direct LevelDB purge + compaction on the embedded engine (see
 * leveldb-purge.ts for why). A database that does not exist counts as empty.
 */
import { join } from 'node:path';
import type { EmbeddedEngine } from '../engine/embedded-engine.js';
import type { Engine } from '../engine/engine.js';
import { statusOf } from '../provisioning/engine-ops.js';
import { purgeCouchDb } from './couchdb-purge.js';
import { purgeLevelDb, type DocSelector, type PurgeCount } from './leveldb-purge.js';

export type { DocSelector, PurgeCount } from './leveldb-purge.js';

export function isEmbedded(engine: Engine): engine is EmbeddedEngine {
  return engine.kind === 'embedded' && 'releaseDatabase' in engine;
}

export async function databaseExists(engine: Engine, db: string): Promise<boolean> {
  try {
    await engine.nano.db.get(db);
    return true;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    throw e;
  }
}

export async function hardRemove(engine: Engine, db: string, select: DocSelector): Promise<PurgeCount> {
  if (!(await databaseExists(engine, db))) return { examined: 0, removed: 0 };
  if (isEmbedded(engine)) {
    await engine.releaseDatabase(db);
    return purgeLevelDb(join(engine.dataDir, db), select);
  }
  return purgeCouchDb(engine.nano, db, select);
}

/** Every database of ours (prefix `st-`), sorted. */
export async function sealtimeDatabases(engine: Engine): Promise<string[]> {
  return (await engine.nano.db.list()).filter((n) => n.startsWith('st-')).sort();
}

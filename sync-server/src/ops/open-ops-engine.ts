/**
 * The engine an offline operation works on: the CouchDB at a URL, or the
 * embedded engine's LevelDB directories under `<data-dir>/engine` opened in
 * this process. A running server holds LevelDB's lock on its databases, so
 * that is checked first and reported as "stop the server", not as a raw
 * LevelDB error half-way through an operation.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connectCouchDB } from '../engine/couchdb-engine.js';
import type { CouchDBUrls } from '../engine/open-engine.js';
import { startEmbeddedEngine } from '../engine/embedded-engine.js';
import type { Engine } from '../engine/engine.js';
import { dbNames } from '../provisioning/db-names.js';
import { openRaw } from './leveldb-purge.js';
import { OpsError } from './ops-errors.js';

export interface OpsEngineOptions {
  /** The server's data directory (the embedded engine lives in its `engine/` folder). */
  dataDir: string;
  couchdbUrl?: CouchDBUrls;
  /** Fail when there is no embedded data yet (everything but restore). */
  mustExist: boolean;
}

/** Databases a running server always has open. */
const ALWAYS_OPEN = ['pouch__all_dbs__', dbNames.provisioning, dbNames.system, dbNames.audit];

async function checkNotLocked(engineDir: string): Promise<void> {
  for (const name of ALWAYS_OPEN) {
    const dir = join(engineDir, name);
    if (!existsSync(dir)) continue;
    try {
      const db = await openRaw(dir);
      await new Promise<void>((done) => db.close(() => done()));
    } catch (e) {
      if (e instanceof OpsError && e.code === 'engine-locked') {
        throw new OpsError(
          'engine-locked',
          `the data directory ${engineDir} is in use by a running sealtime server; stop the server first, then run this command again`,
        );
      }
      throw e;
    }
  }
}

export function engineDirOf(dataDir: string): string {
  return join(resolve(dataDir), 'engine');
}

export async function openOpsEngine(opts: OpsEngineOptions): Promise<Engine> {
  if (opts.couchdbUrl) return connectCouchDB({ url: opts.couchdbUrl });
  const dir = engineDirOf(opts.dataDir);
  if (opts.mustExist && !existsSync(dir)) {
    throw new OpsError(
      'no-data',
      `no embedded engine data at ${dir}; pass the server's --data-dir, or --couchdb-url for CouchDB`,
    );
  }
  await checkNotLocked(dir);
  return startEmbeddedEngine({ dataDir: dir });
}

/**
 * Purge while the server runs (the privacy API): the same real removal as
 * hard-remove.ts — `_purge` + compaction on CouchDB, a direct LevelDB purge on
 * the embedded engine — but the embedded engine's database is in use: it is
 * released first, and a request that reopens it in the short window before
 * the purge takes LevelDB's lock makes the purge fail with `engine-locked`.
 * Then it is released and tried again (each try is idempotent: it removes
 * whatever the selector still picks). Writers whose handle was closed under
 * them (consolidation) reopen it on their own retry.
 */
import type { Engine } from '../engine/engine.js';
import { hardRemove, type DocSelector, type PurgeCount } from './hard-remove.js';
import { OpsError } from './ops-errors.js';

const ATTEMPTS = 6;

export async function purgeLive(engine: Engine, db: string, select: DocSelector): Promise<PurgeCount> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await hardRemove(engine, db, select);
    } catch (e) {
      if (!(e instanceof OpsError && e.code === 'engine-locked') || attempt >= ATTEMPTS) throw e;
      await new Promise((done) => setTimeout(done, 50 * 2 ** attempt));
    }
  }
}

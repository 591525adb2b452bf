/** Writes sealed docs straight into the embedded engine (store-org.ts's `writeDocs`). */
import type { DirectWriter } from './store-org.js';

type BulkDb = {
  bulkDocs(
    docs: object[],
    opts: { new_edits: false },
  ): Promise<Array<{ id?: string; error?: string; reason?: string }>>;
};
/** The part of sync-server's EmbeddedEngine used here (its `PouchDB` class is bound to the engine's data directory). */
interface EngineLike {
  readonly kind: string;
  readonly PouchDB?: new (name: string) => unknown;
}

/**
 * Sealed docs straight into the embedded engine's databases, replication
 * style (`new_edits: false`), skipping HTTP and the gateway's per-request
 * checks; the server's consolidation then copies them as it copies pushed
 * ones. Only the embedded engine (the bench's) is supported.
 */
export function engineWriter(engine: EngineLike): DirectWriter {
  const PouchDB = engine.PouchDB;
  if (engine.kind !== 'embedded' || !PouchDB) throw new Error('direct writes need the embedded engine');
  const dbs = new Map<string, BulkDb>();
  return async (name, docs) => {
    if (docs.length === 0) return;
    let db = dbs.get(name);
    if (!db) dbs.set(name, (db = new PouchDB(name) as unknown as BulkDb));
    const results = await db.bulkDocs(docs as object[], { new_edits: false });
    const bad = results.filter((r) => r.error);
    if (bad.length > 0)
      throw new Error(
        `${name} refused ${bad.length} of ${docs.length} docs: ${bad
          .slice(0, 3)
          .map((r) => `${r.id} ${r.error} ${r.reason ?? ''}`)
          .join('; ')}`,
      );
  };
}

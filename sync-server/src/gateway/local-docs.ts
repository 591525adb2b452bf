/**
 * Replication checkpoints (`_local` documents) kept apart per principal and
 * bounded. A client names its checkpoint (`_local/<replication id>`, a hash
 * chosen by PouchDB); the gateway stores it as `_local/<owner>~<that id>`, so
 * one principal can neither read nor overwrite another's, nor any `_local`
 * document the server keeps for itself. Per principal and database at most
 * MAX_LOCAL_DOCS ids are admitted per server run (counted in memory: a
 * restart forgets the count, but no client can cause one) and each
 * document is at most LOCAL_DOC_BYTES (a PouchDB checkpoint is under 2 KB).
 */
import type { Principal } from '../auth/principal.js';

export const MAX_LOCAL_DOCS = 64;
export const LOCAL_DOC_BYTES = 16 * 1024;
/** How many (database, principal) pairs are remembered; the oldest are forgotten past it. */
const MAX_TRACKED = 100_000;

export function localOwner(p: Principal): string {
  return p.type === 'device' ? `device.${p.deviceId}` : `user.${p.userId}`;
}

/** The id a client's `_local/<clientId>` is stored under, without the `_local/` prefix. */
export function storedLocalId(p: Principal, clientId: string): string {
  return `${localOwner(p)}~${clientId}`;
}

export class LocalDocLedger {
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly maxPerOwner = MAX_LOCAL_DOCS) {}

  /** Whether `p` may write `_local/<clientId>` in `dbName`; records the id when admitted. */
  admit(dbName: string, p: Principal, clientId: string): boolean {
    const key = `${dbName}\u0000${localOwner(p)}`;
    let ids = this.seen.get(key);
    if (ids?.has(clientId)) return true;
    if (ids && ids.size >= this.maxPerOwner) return false;
    if (!ids) {
      ids = new Set();
      this.seen.set(key, ids);
      if (this.seen.size > MAX_TRACKED) this.seen.delete(this.seen.keys().next().value!);
    }
    ids.add(clientId);
    return true;
  }
}

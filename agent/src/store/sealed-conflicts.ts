/**
 * The device's own sealed records and images are authoritative (DESIGN.md
 * decision 8): when replication finds the server holding something else
 * under one of their ids, RxDB's default conflict handling would let the
 * server's copy replace the local one — a forgery written ahead of the device
 * would then erase the genuine record on both sides. This handler keeps the
 * local document every time, so it stays stored and is offered to the server
 * again, and reports the conflict (compose turns it into an integrity-alert
 * record; the server refuses the genuine copy until an admin removes the
 * impostor, and says why in the sync error).
 *
 * Sealed documents never change once written, so two states are "equal"
 * exactly when their envelopes (and deletion flags) are.
 */
import type { RxConflictHandler } from 'rxdb';

export interface SealedConflict {
  collection: 'records' | 'blobs';
  id: string;
  /** What the server holds instead: a different envelope, or a deletion. */
  server: 'different' | 'deleted';
  at: number;
}

/** Where conflicts are announced: a small listener list, one per store. */
export class SealedConflicts {
  private readonly listeners = new Set<(c: SealedConflict) => void>();
  private readonly seen = new Set<string>();

  on(listener: (c: SealedConflict) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Each id is announced once per process: a record re-offered many times is one alert. */
  emit(c: SealedConflict): void {
    const key = `${c.collection}:${c.id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    for (const l of this.listeners) {
      try {
        l(c);
      } catch {
        // a failing listener must not fail the replication that called it
      }
    }
  }
}

interface Sealed {
  id: string;
  envelope: string;
  _deleted: boolean;
}

export function ownSealedWins<T extends { id: string; envelope: string }>(
  collection: SealedConflict['collection'],
  conflicts: SealedConflicts,
): RxConflictHandler<T> {
  return {
    isEqual(a, b) {
      const x = a as unknown as Sealed;
      const y = b as unknown as Sealed;
      return x.envelope === y.envelope && Boolean(x._deleted) === Boolean(y._deleted);
    },
    resolve(i) {
      const local = i.newDocumentState as unknown as Sealed;
      const server = i.realMasterState as unknown as Sealed;
      if (server.envelope !== local.envelope || Boolean(server._deleted) !== Boolean(local._deleted)) {
        conflicts.emit({ collection, id: local.id, server: server._deleted ? 'deleted' : 'different', at: Date.now() });
      }
      return Promise.resolve(i.newDocumentState);
    },
  };
}

import { ClassicLevel } from 'classic-level';
import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { LevelCollectionState, LevelHandle } from './leveldb-types.js';

/**
 * LevelDB allows one open handle per directory per process (it holds a file
 * lock), so every RxDB database on the same directory shares one handle,
 * counted by references and closed when the last user closes.
 *
 * A closing handle stays in the table until its close() has finished: an
 * acquire in that window (an instance closed without being awaited and
 * reopened at once, as on an agent restart) waits for it and then opens a
 * fresh handle, instead of opening a second one while the first still holds
 * the LOCK file ("IO error: lock …/LOCK: already held by process").
 */
interface SharedHandle {
  db: LevelHandle;
  opened: Promise<void>;
  refs: number;
  collections: Map<string, LevelCollectionState>;
  /** Set once the last lease let go; settles after the handle is closed and out of the table. */
  closing?: Promise<void>;
}

const HANDLES = new Map<string, SharedHandle>();

export interface HandleLease {
  readonly db: LevelHandle;
  readonly collections: Map<string, LevelCollectionState>;
  release(): Promise<void>;
}

/** LevelDB options of a new handle (an open handle keeps those it was opened with). */
export interface HandleOptions {
  writeBufferSize?: number;
}

export async function acquireHandle(directory: string, options: HandleOptions = {}): Promise<HandleLease> {
  const key = resolve(directory);
  let shared = HANDLES.get(key);
  while (shared?.closing) {
    await shared.closing;
    shared = HANDLES.get(key);
  }
  if (!shared) {
    mkdirSync(key, { recursive: true });
    const db: LevelHandle = new ClassicLevel<string, string>(key, {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
      ...(options.writeBufferSize ? { writeBufferSize: options.writeBufferSize } : {}),
    });
    shared = { db, opened: db.open(), refs: 0, collections: new Map() };
    HANDLES.set(key, shared);
  }
  shared.refs++;
  const lease = shared;
  try {
    await lease.opened;
  } catch (err) {
    lease.refs--;
    if (lease.refs === 0) HANDLES.delete(key);
    throw err;
  }
  let released = false;
  return {
    db: lease.db,
    collections: lease.collections,
    async release() {
      if (released) return;
      released = true;
      lease.refs--;
      if (lease.refs === 0) {
        let failed: { err: unknown } | undefined;
        lease.closing = lease.db
          .close()
          .catch((err: unknown) => void (failed = { err })) // thrown to the closer below; a waiting opener just tries afresh
          .finally(() => {
            if (HANDLES.get(key) === lease) HANDLES.delete(key);
          });
        await lease.closing;
        if (failed) throw failed.err;
      }
    },
  };
}

/** Number of directories with an open handle (used by tests to prove nothing leaks). */
export function openHandleCount(): number {
  return HANDLES.size;
}

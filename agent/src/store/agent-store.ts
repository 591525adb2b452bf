/**
 * The agent's local database: RxDB 17 on the project's LevelDB storage.
 *
 *   records, blobs, inbox   the shared record model (replicated by sync)
 *   state                   device-local bookkeeping, never replicated: clock
 *                           anchor, sync checkpoints, budget and attendance state
 *
 * Four collections in all: open-source RxDB allows 13 per process. Every write
 * is fsynced by the storage before it resolves, so "awaited" means "durable".
 */
import { createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { SEALTIME_COLLECTIONS, type BlobDoc, type InboxDoc, type RecordDoc } from '@sealtime/shared';
import { getRxStorageLevelDB } from '@sealtime/shared/node';
import { ownSealedWins, SealedConflicts } from './sealed-conflicts.js';

export interface StateDoc {
  id: string;
  data: Record<string, unknown>;
  updatedAt: number;
}

const stateSchema: RxJsonSchema<StateDoc> = {
  title: 'sealtime agent local state',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    data: { type: 'object' },
    updatedAt: { type: 'integer', minimum: 0, maximum: 8_640_000_000_000_000, multipleOf: 1 },
  },
  required: ['id', 'data', 'updatedAt'],
  additionalProperties: false,
};

export type AgentCollections = {
  records: RxCollection<RecordDoc>;
  blobs: RxCollection<BlobDoc>;
  inbox: RxCollection<InboxDoc>;
  state: RxCollection<StateDoc>;
};

export type AgentDatabase = RxDatabase<AgentCollections>;

export interface AgentStore {
  readonly dir: string;
  readonly db: AgentDatabase;
  readonly records: RxCollection<RecordDoc>;
  readonly blobs: RxCollection<BlobDoc>;
  readonly inbox: RxCollection<InboxDoc>;
  readonly state: RxCollection<StateDoc>;
  /** Replication conflicts on records and blobs: the local copy is always kept (sealed-conflicts.ts). */
  readonly conflicts: SealedConflicts;
  /** A local state entry, or undefined when never written. */
  getState<T extends object>(id: string): Promise<T | undefined>;
  /** Replaces a local state entry; resolves once durable. */
  putState(id: string, data: object): Promise<void>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'locked' | 'open-failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export interface OpenStoreOptions {
  /** RxDB database name inside the directory (default 'agent'). */
  name?: string;
  /**
   * How long to keep trying while another process holds the LevelDB lock
   * (default 0: fail at once). A CLI command that opened the store while no
   * agent ran, or an agent still shutting down, holds it for a moment only.
   */
  lockWaitMs?: number;
}

/** classic-level reports a held LOCK file as LEVEL_LOCKED somewhere in the cause chain. */
function isLockedError(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === 'LEVEL_LOCKED') return true;
  }
  return false;
}

async function openDatabase(dir: string, name: string, lockWaitMs: number): Promise<AgentDatabase> {
  const deadline = Date.now() + lockWaitMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await createRxDatabase<AgentCollections>({
        name,
        storage: getRxStorageLevelDB({ directory: dir }),
        // one process owns the directory (LevelDB holds a lock); RxDB's
        // cross-process broadcast is not available in Node
        multiInstance: false,
      });
    } catch (err) {
      const locked = isLockedError(err);
      // the last wait is cut to the deadline, so a waiter tries until then
      // (giving up when the next full delay would pass it gave up early)
      const left = deadline - Date.now();
      if (locked && left > 0) {
        await new Promise((r) => setTimeout(r, Math.min(delay, left)));
        continue;
      }
      throw new StoreError(
        locked ? 'locked' : 'open-failed',
        locked ? `the store in ${dir} is in use by another process` : `cannot open the store in ${dir}`,
        { cause: err },
      );
    }
  }
}

export async function openAgentStore(dir: string, options: OpenStoreOptions = {}): Promise<AgentStore> {
  const db = await openDatabase(dir, options.name ?? 'agent', options.lockWaitMs ?? 0);
  const conflicts = new SealedConflicts();
  try {
    await db.addCollections({
      ...SEALTIME_COLLECTIONS,
      records: { ...SEALTIME_COLLECTIONS.records, conflictHandler: ownSealedWins<RecordDoc>('records', conflicts) },
      blobs: { ...SEALTIME_COLLECTIONS.blobs, conflictHandler: ownSealedWins<BlobDoc>('blobs', conflicts) },
      state: { schema: stateSchema },
    });
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new StoreError('open-failed', `cannot open the collections in ${dir}`, { cause: err });
  }
  const state = db.state;
  return {
    dir,
    db,
    records: db.records,
    blobs: db.blobs,
    inbox: db.inbox,
    state,
    conflicts,
    async getState<T extends object>(id: string): Promise<T | undefined> {
      const doc = await state.findOne(id).exec();
      return doc ? (doc.toMutableJSON().data as T) : undefined;
    },
    async putState(id: string, data: object): Promise<void> {
      // incrementalUpsert: concurrent writers of the same entry queue instead of conflicting
      await state.incrementalUpsert({
        id,
        data: JSON.parse(JSON.stringify(data)) as Record<string, unknown>,
        updatedAt: Date.now(),
      });
    },
    async close() {
      await db.close();
    },
  };
}

/**
 * The reviewer's local replica: RxDB on the project's LevelDB storage, in the
 * core process only. Four collections (open-source RxDB allows 13):
 *
 *   replica   sealed records pulled from the role's databases; `source` says
 *             which database (one collection for all, not one each)
 *   images    sealed full-size screenshot envelopes, an LRU under a size budget
 *   outbox    actions made offline, sent when the server answers again
 *   meta      small signed/wrapped things needed offline: the wrapped key
 *             ring, device signing keys, the people directory
 *
 * Nothing decrypted is ever written here.
 */
import {
  addRxPlugin,
  createRxDatabase,
  defaultCacheReplacementPolicyMonad,
  type RxCollection,
  type RxDatabase,
  type RxJsonSchema,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageLevelDB } from '@sealtime/shared/node';

export interface ReplicaDoc {
  /** The server document id (`<deviceId>:<seq>`). */
  id: string;
  /** Server database it came from, e.g. st-org-records. */
  source: string;
  employeeId: string;
  deviceId: string;
  seq: number;
  /** base64url envelope bytes, as on the server. */
  envelope: string;
  /**
   * The clear routing fields other than the above (kind or routing class, a
   * time or hour bucket…): a coarse prefilter at most; what a record is and
   * when it was made are read from the opened envelope only.
   */
  hint: Record<string, unknown>;
  /**
   * The hour the record was sealed in (ms, from the clear `hour`, or the
   * legacy clear `createdAt` floored; 0 when neither is there): indexed with
   * the employee so a day's records are read without the rest of the month.
   * A coarse prefilter like the hint, never what is shown.
   */
  hour: number;
}

const HOUR_MS = 3_600_000;

/** The sealing hour a clear row shows, 0 when it shows none. */
export function hourOfHint(hint: Record<string, unknown>): number {
  const t = typeof hint.hour === 'number' ? hint.hour : typeof hint.createdAt === 'number' ? hint.createdAt : 0;
  return Number.isSafeInteger(t) && t > 0 && t <= MAX_TIME ? Math.floor(t / HOUR_MS) * HOUR_MS : 0;
}

export interface ImageDoc {
  /** The screenshot record id this image belongs to. */
  id: string;
  /** base64url of the sealed blob envelope, as fetched. */
  envelope: string;
  bytes: number;
  lastUsedAt: number;
}

export interface OutboxDoc {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: number;
  attempts: number;
  lastError: string | null;
}

export interface MetaDoc {
  id: string;
  data: Record<string, unknown>;
  updatedAt: number;
}

const MAX_TIME = 8_640_000_000_000_000;
const time = { type: 'integer', minimum: 0, maximum: MAX_TIME, multipleOf: 1 } as const;

const replicaSchema: RxJsonSchema<ReplicaDoc> = {
  title: 'sealtime admin replica',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    source: { type: 'string', maxLength: 100 },
    employeeId: { type: 'string', maxLength: 64 },
    deviceId: { type: 'string', maxLength: 64 },
    seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, multipleOf: 1 },
    envelope: { type: 'string' },
    hint: { type: 'object' },
    hour: time,
  },
  required: ['id', 'source', 'employeeId', 'deviceId', 'seq', 'envelope', 'hint', 'hour'],
  indexes: [
    ['employeeId', 'deviceId', 'seq'],
    ['employeeId', 'hour'],
  ],
  additionalProperties: false,
};

const imageSchema: RxJsonSchema<ImageDoc> = {
  title: 'sealtime admin sealed image cache',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    envelope: { type: 'string' },
    bytes: { type: 'integer', minimum: 0, maximum: 256 * 1024 * 1024, multipleOf: 1 },
    lastUsedAt: time,
  },
  required: ['id', 'envelope', 'bytes', 'lastUsedAt'],
  indexes: ['lastUsedAt'],
  additionalProperties: false,
};

const outboxSchema: RxJsonSchema<OutboxDoc> = {
  title: 'sealtime admin outbox',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 200 },
    type: { type: 'string', maxLength: 64 },
    payload: { type: 'object' },
    createdAt: time,
    attempts: { type: 'integer', minimum: 0, maximum: 1_000_000_000, multipleOf: 1 },
    lastError: { type: ['string', 'null'] },
  },
  required: ['id', 'type', 'payload', 'createdAt', 'attempts', 'lastError'],
  additionalProperties: false,
};

const metaSchema: RxJsonSchema<MetaDoc> = {
  title: 'sealtime admin offline metadata',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 200 },
    data: { type: 'object' },
    updatedAt: time,
  },
  required: ['id', 'data', 'updatedAt'],
  additionalProperties: false,
};

export type ReplicaCollections = {
  replica: RxCollection<ReplicaDoc>;
  images: RxCollection<ImageDoc>;
  outbox: RxCollection<OutboxDoc>;
  meta: RxCollection<MetaDoc>;
};

export type ReplicaDatabase = RxDatabase<ReplicaCollections>;

/**
 * The employees the replica holds records of, one index seek each (not a
 * scan of every row: a month of an organisation is ~400k rows).
 */
export async function replicaEmployees(replica: RxCollection<ReplicaDoc>): Promise<string[]> {
  const out: string[] = [];
  for (let after = ''; ;) {
    const d = await replica
      .findOne({ selector: { employeeId: { $gt: after } }, sort: [{ employeeId: 'asc' }, { hour: 'asc' }] })
      .exec();
    if (!d) return out;
    out.push(d.employeeId);
    after = d.employeeId;
  }
}

/** An employee's rows sealed in [fromHour, toHour) plus those showing no hour (0): always read, never lost. */
export async function replicaRowsByHour(
  replica: RxCollection<ReplicaDoc>,
  employeeId: string,
  fromHour: number,
  toHour: number,
): Promise<ReplicaDoc[]> {
  const [inRange, unknown] = await Promise.all([
    replica.find({ selector: { employeeId, hour: { $gte: fromHour, $lt: toHour } } }).exec(),
    fromHour > 0 ? replica.find({ selector: { employeeId, hour: 0 } }).exec() : Promise.resolve([]),
  ]);
  return [...inRange, ...unknown].map((d) => d.toMutableJSON());
}

export interface ReplicaStore {
  readonly db: ReplicaDatabase;
  getMeta<T extends object>(id: string): Promise<T | undefined>;
  putMeta(id: string, data: object): Promise<void>;
  close(): Promise<void>;
}

/**
 * RxDB keeps the last 100 queries of a collection with their results; here
 * that was ~50 MB of sealed rows (and sealed full images) that the opened
 * index and the image service already keep in their own bounded form. A
 * query nobody subscribes to is dropped once it has answered.
 */
const KEEP_NO_FINISHED_QUERIES = defaultCacheReplacementPolicyMonad(0, 0);

/**
 * One directory per server + user (the caller picks it): a reviewer who signs
 * in elsewhere gets a separate replica, never a mix.
 */
export async function openReplicaStore(dir: string): Promise<ReplicaStore> {
  addRxPlugin(RxDBMigrationSchemaPlugin);
  const db = await createRxDatabase<ReplicaCollections>({
    name: 'admin-replica',
    storage: getRxStorageLevelDB({ directory: dir }),
    // one core process owns the directory (LevelDB holds a lock)
    multiInstance: false,
  });
  try {
    await db.addCollections({
      // version 1 added `hour` (and its index): read from the row's own clear fields
      replica: {
        schema: replicaSchema,
        migrationStrategies: { 1: (d: Omit<ReplicaDoc, 'hour'>) => ({ ...d, hour: hourOfHint(d.hint ?? {}) }) },
        cacheReplacementPolicy: KEEP_NO_FINISHED_QUERIES,
      },
      images: { schema: imageSchema, cacheReplacementPolicy: KEEP_NO_FINISHED_QUERIES },
      outbox: { schema: outboxSchema },
      meta: { schema: metaSchema },
    });
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return {
    db,
    async getMeta<T extends object>(id: string) {
      const d = await db.meta.findOne(id).exec();
      return d ? (d.toJSON().data as T) : undefined;
    },
    async putMeta(id, data) {
      await db.meta.upsert({ id, data: data as Record<string, unknown>, updatedAt: Date.now() });
    },
    close: async () => {
      await db.close();
    },
  };
}

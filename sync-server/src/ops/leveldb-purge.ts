/**
 * Purge for the embedded engine: pouchdb-adapter-leveldb has no `_purge`
 * (PouchDB implements it only in its indexeddb adapter) and express-pouchdb
 * has no `_purge` route, so this removes documents from the database's
 * LevelDB directly, the way CouchDB's purge does: every revision body, the
 * revision tree, attachment references and the document count, while all
 * other documents keep their sequence numbers and `update_seq` is untouched
 * (clients' and consolidation's checkpoints stay valid). A full-range
 * compaction then rewrites the tables, so the removed bytes leave the disk.
 *
 * The store layout is pouchdb-adapter-leveldb's (sublevel-pouchdb keys
 * `\xff<store>\xff<key>`); the database must be closed in this process
 * (EmbeddedEngine.releaseDatabase) and no other process may hold it.
 * Each batch of removals is one atomic LevelDB write, so a crash leaves
 * every document either whole or gone.
 */
import { createRequire } from 'node:module';
import { OpsError } from './ops-errors.js';

/** Chooses, from a document's winning revision, whether it is removed. */
export type DocSelector = (doc: Record<string, unknown> & { _id: string }) => boolean;

export interface PurgeCount {
  examined: number;
  removed: number;
}

interface DocMetadata {
  id: string;
  rev: string;
  winningRev?: string;
  deleted?: boolean;
  rev_map: Record<string, number>;
}

type Op = { type: 'del'; key: Buffer } | { type: 'put'; key: Buffer; value: string };

interface RawIterator {
  next(cb: (err: Error | null, key?: Buffer, value?: Buffer) => void): void;
  end(cb: (err?: Error | null) => void): void;
}

interface RawLevelDown {
  open(opts: { createIfMissing: boolean }, cb: (err?: Error | null) => void): void;
  close(cb: (err?: Error | null) => void): void;
  get(
    key: Buffer,
    opts: { asBuffer: true },
    cb: (err: (Error & { notFound?: boolean; code?: string }) | null, value?: Buffer) => void,
  ): void;
  batch(ops: Op[], cb: (err?: Error | null) => void): void;
  iterator(opts: { gte: Buffer; lt: Buffer; keyAsBuffer: true; valueAsBuffer: true }): RawIterator;
  compactRange(start: Buffer, end: Buffer, cb: (err?: Error | null) => void): void;
}

// the same leveldown build the adapter uses, resolved through it (not a dependency of ours)
const adapterRequire = createRequire(createRequire(import.meta.url).resolve('pouchdb-adapter-leveldb'));
const leveldown = adapterRequire('leveldown') as (location: string) => RawLevelDown;

const STORES = {
  doc: 'document-store',
  seq: 'by-sequence',
  att: 'attach-store',
  bin: 'attach-binary-store',
  meta: 'meta-store',
} as const;
const DOC_COUNT_KEY = '_local_doc_count';
const BATCH_DOCS = 200;

const key = (store: string, k: string): Buffer => Buffer.from(`\xff${store}\xff${k}`, 'utf8');
const formatSeq = (n: number): string => `0000000000000000${n}`.slice(-16);

function call<T = void>(f: (cb: (err?: Error | null, v?: T) => void) => void): Promise<T> {
  return new Promise((done, reject) => f((err, v) => (err ? reject(err) : done(v as T))));
}

async function getRaw(db: RawLevelDown, k: Buffer): Promise<Buffer | null> {
  return new Promise((done, reject) =>
    db.get(k, { asBuffer: true }, (err, v) => {
      if (err)
        return err.notFound || err.code === 'LEVEL_NOT_FOUND' || /notfound/i.test(err.message)
          ? done(null)
          : reject(err);
      done(v ?? null);
    }),
  );
}

async function getJson<T>(db: RawLevelDown, k: Buffer): Promise<T | null> {
  const raw = await getRaw(db, k);
  return raw ? (JSON.parse(raw.toString('utf8')) as T) : null;
}

/** Every document id and metadata of the store, read ahead of any write. */
async function* documents(db: RawLevelDown): AsyncGenerator<DocMetadata> {
  const prefix = key(STORES.doc, '');
  const it = db.iterator({
    gte: prefix,
    lt: Buffer.concat([prefix, Buffer.from([0xff])]),
    keyAsBuffer: true,
    valueAsBuffer: true,
  });
  try {
    for (;;) {
      const [k, v] = await new Promise<[Buffer | undefined, Buffer | undefined]>((done, reject) =>
        it.next((err, k2, v2) => (err ? reject(err) : done([k2, v2]))),
      );
      if (k === undefined || v === undefined) return;
      yield JSON.parse(v.toString('utf8')) as DocMetadata;
    }
  } finally {
    await call((cb) => it.end(cb));
  }
}

/** Opens a closed database directory; a directory another process holds fails with engine-locked. */
export async function openRaw(location: string): Promise<RawLevelDown> {
  const db = leveldown(location);
  try {
    await call((cb) => db.open({ createIfMissing: false }, cb));
  } catch (e) {
    const msg = (e as Error).message;
    if (/lock/i.test(msg))
      throw new OpsError(
        'engine-locked',
        `${location} is in use by another process (is the server running? stop it first)`,
      );
    throw new OpsError('purge-failed', `could not open ${location}: ${msg}`);
  }
  return db;
}

export async function purgeLevelDb(location: string, select: DocSelector): Promise<PurgeCount> {
  const db = await openRaw(location);
  let examined = 0;
  let removed = 0;
  try {
    // choose first, write after: iterating a store while deleting from it is avoided
    const doomed: DocMetadata[] = [];
    for await (const meta of documents(db)) {
      if (meta.id.startsWith('_design/')) continue; // validation belongs to provisioning, never purged
      examined++;
      const winning = meta.winningRev ?? meta.rev;
      const seq = meta.rev_map[winning];
      const body =
        seq === undefined ? null : await getJson<Record<string, unknown>>(db, key(STORES.seq, formatSeq(seq)));
      if (select({ ...(body ?? {}), _id: meta.id })) doomed.push(meta);
    }
    for (let i = 0; i < doomed.length; i += BATCH_DOCS) {
      await removeBatch(db, doomed.slice(i, i + BATCH_DOCS));
      removed += Math.min(BATCH_DOCS, doomed.length - i);
    }
    // rewrites every table without the removed entries (and flushes the write-ahead log)
    if (removed > 0) await call((cb) => db.compactRange(Buffer.from([0x00]), Buffer.from([0xff, 0xff]), cb));
  } finally {
    await call((cb) => db.close(cb));
  }
  return { examined, removed };
}

async function removeBatch(db: RawLevelDown, docs: DocMetadata[]): Promise<void> {
  const ops: Op[] = [];
  const attachments = new Map<string, { refs: Record<string, boolean> } | null>();
  let live = 0;
  for (const meta of docs) {
    if (!meta.deleted) live++;
    ops.push({ type: 'del', key: key(STORES.doc, meta.id) });
    for (const [rev, seq] of Object.entries(meta.rev_map)) {
      const seqKey = key(STORES.seq, formatSeq(seq));
      const body = await getJson<{ _attachments?: Record<string, { digest?: string }> }>(db, seqKey);
      ops.push({ type: 'del', key: seqKey });
      for (const att of Object.values(body?._attachments ?? {})) {
        if (!att.digest) continue;
        if (!attachments.has(att.digest)) attachments.set(att.digest, await getJson(db, key(STORES.att, att.digest)));
        const entry = attachments.get(att.digest);
        if (entry?.refs) delete entry.refs[`${meta.id}@${rev}`];
      }
    }
  }
  for (const [digest, entry] of attachments) {
    if (entry && Object.keys(entry.refs ?? {}).length > 0) {
      ops.push({ type: 'put', key: key(STORES.att, digest), value: JSON.stringify(entry) });
    } else {
      ops.push({ type: 'del', key: key(STORES.att, digest) }, { type: 'del', key: key(STORES.bin, digest) });
    }
  }
  const count = (await getJson<number>(db, key(STORES.meta, DOC_COUNT_KEY))) ?? 0;
  ops.push({ type: 'put', key: key(STORES.meta, DOC_COUNT_KEY), value: JSON.stringify(Math.max(0, count - live)) });
  await call((cb) => db.batch(ops, cb));
}

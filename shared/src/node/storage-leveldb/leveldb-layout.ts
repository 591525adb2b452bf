import { HIGH } from './leveldb-keys.js';
import type { LevelHandle } from './leveldb-types.js';

/**
 * Where a collection's keys live in the LevelDB directory.
 *
 * Format 2 (now): a registry entry per collection gives it a short number,
 * and its keys sit under `\x02<number, base 36>\x01`, 3–4 bytes instead of
 * the 20–40 of its names; every key of every document carries the prefix,
 * so the names cost a tenth of the bytes LevelDB wrote (log, memtable,
 * compactions). Cleanup uses the schema's own `_deleted`-first index.
 *
 *   \x00c\x01<db>\x01<collection>\x01<schemaVersion>\x01  -> {"format":2,"no":n}
 *
 * Format 1 (before): the keys under the names themselves
 * (`<db>\x01<collection>\x01<schemaVersion>\x01`) and one more index for
 * cleanup. Such a collection opens as it is and stays in format 1: moving a
 * million documents on open would stall the app; a collection removed and
 * created again starts in format 2. A registry entry of an unknown format
 * (written by a newer version) is refused with StorageFormatError.
 */
export const CURRENT_FORMAT = 2;

export interface CollectionLayout {
  readonly format: 1 | 2;
  /** what every key of the collection starts with */
  readonly prefix: string;
}

export class StorageFormatError extends Error {
  readonly code = 'LEVELDB_FORMAT_UNSUPPORTED';
  constructor(
    readonly collection: string,
    readonly found: string,
  ) {
    super(
      `leveldb collection ${collection.split('\x01').join('/')} is stored in a format this version cannot read ` +
        `(registry entry ${found}); open it with the newer Sealtime that wrote it`,
    );
    this.name = 'StorageFormatError';
  }
}

const REGISTRY = '\x00c\x01';
const registryKey = (name: string): string => REGISTRY + name;
const numberedPrefix = (no: number): string => `\x02${no.toString(36)}\x01`;

/** Registry lookups and number allocations run one at a time per handle, so two opens never take the same number. */
const serial = new WeakMap<LevelHandle, Promise<unknown>>();

/**
 * The layout of collection `name` (its format-1 prefix, see
 * collectionPrefix), registering a new collection in format 2.
 */
export function resolveLayout(db: LevelHandle, name: string): Promise<CollectionLayout> {
  const run = (serial.get(db) ?? Promise.resolve()).then(() => resolveNow(db, name));
  serial.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}

async function resolveNow(db: LevelHandle, name: string): Promise<CollectionLayout> {
  const raw = await db.get(registryKey(name));
  if (raw !== undefined) {
    const entry = parseEntry(raw);
    if (!entry) throw new StorageFormatError(name, raw);
    return { format: 2, prefix: numberedPrefix(entry.no) };
  }
  const old = await db.keys({ gte: name, lt: name + HIGH, limit: 1 }).all();
  if (old.length > 0) return { format: 1, prefix: name };
  let max = 0;
  for await (const value of db.values({ gt: REGISTRY, lt: REGISTRY + HIGH })) {
    // numbers of entries in other formats count too: a newer version may have given them
    const no = Number((/"no":(\d+)/.exec(value) ?? [])[1] ?? 0);
    if (no > max) max = no;
  }
  const no = max + 1;
  // written before any document of the collection: LevelDB's log keeps the order, so no crash leaves documents without it
  await db.put(registryKey(name), JSON.stringify({ format: CURRENT_FORMAT, no }), { sync: true });
  return { format: 2, prefix: numberedPrefix(no) };
}

function parseEntry(raw: string): { no: number } | undefined {
  try {
    const v = JSON.parse(raw) as { format?: unknown; no?: unknown };
    if (v.format === CURRENT_FORMAT && Number.isSafeInteger(v.no) && (v.no as number) > 0)
      return { no: v.no as number };
  } catch {
    // not JSON: the caller reports it as an unreadable entry
  }
  return undefined;
}

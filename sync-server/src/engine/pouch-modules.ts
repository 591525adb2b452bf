/**
 * PouchDB and express-pouchdb are untyped CommonJS packages. They are loaded
 * here, once, through createRequire with the small shapes this project uses,
 * so no ambient module declarations leak into other folders.
 */
import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface PouchInfo {
  db_name: string;
  doc_count: number;
  update_seq: number | string;
}

export interface PouchReplicationInfo {
  docs_written?: number;
  docs_read?: number;
  last_seq?: number | string;
}

/** A running PouchDB replication: an event emitter that can be cancelled. */
export interface PouchReplication {
  on(event: 'change', cb: (info: { docs_written: number; last_seq?: number | string }) => void): PouchReplication;
  on(event: 'paused' | 'active' | 'complete' | 'denied' | 'error', cb: (info: unknown) => void): PouchReplication;
  cancel(): void;
}

export interface PouchDatabase {
  readonly name: string;
  info(): Promise<PouchInfo>;
  get(id: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface ReplicateOptions {
  live?: boolean;
  retry?: boolean;
  filter?: (doc: Record<string, unknown>) => boolean;
  batch_size?: number;
  checkpoint?: 'source' | 'target' | false;
  back_off_function?: (delay: number) => number;
}

export interface PouchConstructor {
  new (name: string, opts?: Record<string, unknown>): PouchDatabase;
  plugin(p: unknown): PouchConstructor;
  defaults(o: Record<string, unknown>): PouchConstructor;
  replicate(source: PouchDatabase | string, target: PouchDatabase | string, opts?: ReplicateOptions): PouchReplication;
  allDbs?(): Promise<string[]>;
  /** express-pouchdb's cache of open databases. */
  __dbCacheMap?: { forEach(cb: (db: PouchDatabase, name: string) => void): void };
}

export type ExpressPouchFactory = (
  PouchDB: PouchConstructor,
  opts: Record<string, unknown>,
) => RequestListener & {
  setPouchDB?(p: PouchConstructor): Promise<void>;
};

let base: PouchConstructor | null = null;

/**
 * pouchdb-core's plugin() always installs on the one base class (and some
 * plugins refuse a second installation), so the base is built once per
 * process with every adapter and plugin this project uses.
 */
function pouchBase(): PouchConstructor {
  base ??= (require('pouchdb-core') as PouchConstructor)
    .plugin(require('pouchdb-adapter-leveldb'))
    .plugin(require('pouchdb-adapter-http'))
    .plugin(require('pouchdb-mapreduce'))
    .plugin(require('pouchdb-replication'));
  return base;
}

/**
 * A PouchDB class for an on-disk directory. `defaults` returns a subclass, so
 * the options and static methods express-pouchdb installs stay on this
 * engine's class and several engines can live in one process (tests do that).
 */
export function leveldbPouch(prefix: string): PouchConstructor {
  return pouchBase().defaults({ adapter: 'leveldb', prefix: prefix.endsWith('/') ? prefix : `${prefix}/` });
}

/** PouchDB speaking HTTP: for replication clients in tests and tools. */
export function httpPouch(): PouchConstructor {
  return pouchBase().defaults({ adapter: 'http' });
}

export function expressPouchDB(): ExpressPouchFactory {
  return require('express-pouchdb') as ExpressPouchFactory;
}

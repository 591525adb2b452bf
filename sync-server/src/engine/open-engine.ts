/**
 * The one place that picks the storage engine: Apache CouchDB when a URL is
 * given, otherwise the embedded PouchDB engine in `<dataDir>/engine`. The
 * server and the offline tools (backup, purge, erase) open it through here,
 * so they can never disagree about where the data lives.
 */
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { connectCouchDB, type CouchDBEngine } from './couchdb-engine.js';
import { startEmbeddedEngine, type EmbeddedEngine } from './embedded-engine.js';

/** One CouchDB URL, or several nodes of one cluster. */
export type CouchDBUrls = string | readonly string[];

export type OpenedEngine = EmbeddedEngine | CouchDBEngine;

export interface OpenEngineOptions {
  dataDir: string;
  /** Apache CouchDB with admin credentials; without it the embedded engine. */
  couchdbUrl?: CouchDBUrls | undefined;
  logger?: Logger | undefined;
}

export async function openEngine(opts: OpenEngineOptions): Promise<OpenedEngine> {
  const log = opts.logger;
  if (opts.couchdbUrl && opts.couchdbUrl.length > 0)
    return connectCouchDB({ url: opts.couchdbUrl, ...(log ? { logger: log } : {}) });
  return startEmbeddedEngine({ dataDir: join(resolve(opts.dataDir), 'engine'), ...(log ? { logger: log } : {}) });
}

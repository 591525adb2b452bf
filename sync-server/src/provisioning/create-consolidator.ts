/** Picks the consolidation mechanism that fits the engine. */
import type { Logger } from 'pino';
import type { CouchDBEngine } from '../engine/couchdb-engine.js';
import type { EmbeddedEngine } from '../engine/embedded-engine.js';
import type { Engine } from '../engine/engine.js';
import type { Consolidator } from './consolidator.js';
import { createCouchDBConsolidator } from './couchdb-consolidator.js';
import { createEmbeddedConsolidator } from './embedded-consolidator.js';

export interface ConsolidatorOptions {
  /** CouchDB only: how CouchDB reaches itself for `_replicator` (default: the engine URL). */
  replicationBaseUrl?: string;
  logger?: Logger;
}

function isEmbedded(engine: Engine): engine is EmbeddedEngine {
  return engine.kind === 'embedded' && 'PouchDB' in engine;
}

function isCouchDB(engine: Engine): engine is CouchDBEngine {
  return engine.kind === 'couchdb' && 'replicationEndpoint' in engine;
}

export function createConsolidator(engine: Engine, opts: ConsolidatorOptions = {}): Consolidator {
  if (isEmbedded(engine)) return createEmbeddedConsolidator(engine, opts.logger ? { logger: opts.logger } : {});
  if (isCouchDB(engine)) {
    return createCouchDBConsolidator(engine, {
      ...(opts.replicationBaseUrl ? { replicationBaseUrl: opts.replicationBaseUrl } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
  }
  throw new Error('an embedded engine must be an EmbeddedEngine (with its PouchDB class)');
}

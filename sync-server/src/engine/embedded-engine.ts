/**
 * The embedded storage engine: PouchDB on LevelDB, served in-process by
 * express-pouchdb on a loopback ephemeral port. Only the gateway talks to it.
 *
 * express-pouchdb without its authentication module is an "admin party"
 * (every caller is admin, databases without _security are open). So the
 * listener here refuses any request that does not carry this engine's own
 * random admin credential, checked in constant time, before express-pouchdb
 * sees it. The credential lives only in this process's memory.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import nano from 'nano';
import type { Logger } from 'pino';
import type { Engine } from './engine.js';
import { EngineError } from './engine-errors.js';
import { applyExpressPouchFixes, unregisterCreationInstances } from './express-pouch-fixes.js';
import { expressPouchDB, leveldbPouch, type PouchConstructor } from './pouch-modules.js';

export interface EmbeddedEngineOptions {
  /** Directory holding one LevelDB directory per database (created if missing). */
  dataDir: string;
  /** Loopback port; an ephemeral one when omitted. */
  port?: number;
  logger?: Logger;
}

export interface EmbeddedEngine extends Engine {
  readonly kind: 'embedded';
  readonly dataDir: string;
  readonly port: number;
  /** PouchDB class bound to the data directory, for in-process work (consolidation). */
  readonly PouchDB: PouchConstructor;
  /**
   * Closes every handle of one database (express-pouchdb's cached instance
   * included) so its LevelDB directory can be opened directly; the next use
   * reopens it. For offline operations (ops/), with no request in flight.
   */
  releaseDatabase(name: string): Promise<void>;
  /**
   * The request listener the loopback server runs (the credential check, then
   * express-pouchdb), for callers in this process that skip TCP and HTTP
   * parsing (gateway/in-process-upstream.ts). After close() it drops every
   * request, as a closed listener refuses connections.
   */
  readonly handle: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

const ADMIN = 'sealtime-engine';

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((done, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      done((server.address() as AddressInfo).port);
    });
  });
}

function unauthorized(res: http.ServerResponse): void {
  const body = JSON.stringify({ error: 'unauthorized', reason: 'engine credentials required' });
  res.writeHead(401, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'www-authenticate': 'Basic realm="engine"',
  });
  res.end(body);
}

export async function startEmbeddedEngine(opts: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const PouchDB = leveldbPouch(dataDir);
  // minimumForPouchDB writes no config.json/log.txt into the working directory;
  // security stores _security objects (same provisioning as CouchDB);
  // validation runs design documents' validate_doc_update, the second wall;
  // no compression: the engine answers only the gateway and tools on
  // loopback, which never ask for it, yet the middleware wrapped every response.
  const app = expressPouchDB()(PouchDB, {
    mode: 'minimumForPouchDB',
    overrideMode: { include: ['routes/security', 'validation'], exclude: ['compression'] },
  });
  applyExpressPouchFixes(app, PouchDB); // cheap database lookup, no leaked longpoll heartbeats

  const password = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Basic ${Buffer.from(`${ADMIN}:${password}`).toString('base64')}`);
  const authorized = (header: string | undefined): boolean => {
    if (typeof header !== 'string') return false;
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  let closed = false;
  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (closed) {
      req.socket.destroy();
      return;
    }
    if (!authorized(req.headers.authorization)) return unauthorized(res);
    if (req.method === 'PUT') unregisterCreationInstances(PouchDB); // PUT /:db would leave an instance behind
    app(req, res);
  };
  const server = http.createServer(handle);
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0; // longpolls are bounded by the gateway
  server.on('clientError', (_err, socket) => socket.destroy());

  let port: number;
  try {
    port = await listen(server, opts.port ?? 0);
  } catch (e) {
    throw new EngineError('start-failed', `embedded engine could not listen: ${(e as Error).message}`);
  }
  const url = `http://${ADMIN}:${password}@127.0.0.1:${port}`;
  opts.logger?.info({ dataDir, port }, 'embedded engine listening on loopback');

  return {
    handle,
    kind: 'embedded',
    url,
    nano: nano(url),
    dataDir,
    port,
    PouchDB,
    async releaseDatabase(name) {
      (PouchDB.__dbCacheMap as { delete?(name: string): void } | undefined)?.delete?.(name);
      // instances of one name share a store: closing a fresh one closes it (and the
      // existence check keeps this from creating a database that is not there)
      if (existsSync(join(dataDir, name))) await new PouchDB(name).close();
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await closeAllDatabases(PouchDB, dataDir);
    },
  };
}

/**
 * Releases every LevelDB handle of this data directory, so the directory can
 * be reopened (restart in the same process) or removed. Instances of one name
 * share a store, so closing one instance per name closes it.
 */
async function closeAllDatabases(PouchDB: PouchConstructor, dataDir: string): Promise<void> {
  const names = new Set<string>();
  try {
    for (const n of (await PouchDB.allDbs?.()) ?? []) names.add(n);
  } catch {
    // the all-dbs index may be unavailable already; the cache below still lists what is open
  }
  PouchDB.__dbCacheMap?.forEach((_db, name) => names.add(name));
  names.add('pouch__all_dbs__');
  for (const name of names) {
    // PouchDB's class-level events are shared by every engine in a process, so
    // the index may name another engine's databases: only close what is on our disk.
    if (!existsSync(join(dataDir, name))) continue;
    try {
      await new PouchDB(name).close();
    } catch {
      // already closed
    }
  }
}

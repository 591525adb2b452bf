/**
 * A real CouchDB-compatible server for tests: PouchDB on LevelDB in a temp
 * dir, served by express-pouchdb on a loopback ephemeral port. Deliberately
 * independent of the engine module so auth/ and audit/ tests stand alone.
 *
 * The untyped CommonJS packages are loaded through createRequire with a local
 * minimal shape, so no ambient module declarations compete with other folders.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nano, { type ServerScope } from 'nano';

const require = createRequire(import.meta.url);

interface PouchStatic {
  plugin(p: unknown): PouchStatic;
  defaults(o: Record<string, unknown>): PouchStatic;
}

export interface PouchServer {
  /** Base URL, e.g. http://127.0.0.1:43123 (admin party: no credentials). */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly nano: ServerScope;
  /** Creates a database if it does not exist yet. */
  ensureDb(name: string): Promise<void>;
  /** Stops listening and drops open connections: clients see the server down. */
  stop(): Promise<void>;
  /** Listens again on the same port, serving the same data. */
  start(): Promise<void>;
  /** Stops and removes the data directory (unless it was given by the caller). */
  close(): Promise<void>;
}

export interface PouchServerOptions {
  /** Data directory; a fresh temp dir (removed on close) when omitted. */
  dir?: string;
  /** Port to listen on; an ephemeral one when omitted. */
  port?: number;
  /** Run design documents' validate_doc_update, as CouchDB does. */
  validation?: boolean;
}

function makeApp(dir: string, validation: boolean): http.RequestListener {
  const PouchDB = (require('pouchdb-core') as PouchStatic)
    .plugin(require('pouchdb-adapter-leveldb'))
    .plugin(require('pouchdb-mapreduce'))
    .defaults({ prefix: dir.endsWith('/') ? dir : `${dir}/` });
  const expressPouchDB = require('express-pouchdb') as (
    p: PouchStatic,
    o: Record<string, unknown>,
  ) => http.RequestListener;
  // minimumForPouchDB: no config.json/log.txt written into the working directory.
  return expressPouchDB(PouchDB, {
    mode: 'minimumForPouchDB',
    ...(validation ? { overrideMode: { include: ['validation'] } } : {}),
  });
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startPouchServer(opts: PouchServerOptions = {}): Promise<PouchServer> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'sealtime-pouch-')));
  const app = makeApp(dir, opts.validation ?? false);
  let server: http.Server | null = http.createServer(app);
  const port = await listen(server, opts.port ?? 0);
  const url = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    const s = server;
    server = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };

  const handle: PouchServer = {
    url,
    port,
    dir,
    nano: nano(url),
    async ensureDb(name) {
      try {
        await handle.nano.db.create(name);
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 412) throw e;
      }
    },
    stop,
    async start() {
      if (server) return;
      const s = http.createServer(app);
      await listen(s, port);
      server = s;
    },
    async close() {
      await stop();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

/**
 * A whole server for integration tests: embedded engine on disk in a temp
 * dir (or the CouchDB named by COUCHDB_URL), provisioning, gateway on a
 * loopback ephemeral port, and the in-memory TestIdentity. close() stops
 * everything and removes the temp dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startServer, type RunningServer, type ServerOptions } from '../src/server.js';
import { TestIdentity } from './test-identity.js';

export interface TestServer {
  server: RunningServer;
  identity: TestIdentity;
  dir: string;
  url: string;
  /** fetch against the gateway, as the holder of `token` (or anonymously). */
  fetchAs(token: string | null, path: string, init?: RequestInit): Promise<Response>;
  /** JSON request helper: returns status and parsed body. */
  json(
    token: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export type TestServerOptions = Partial<Omit<ServerOptions, 'identity' | 'dataDir'>> & {
  dataDir?: string;
  engine?: 'embedded' | 'env';
};

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const ownDir = opts.dataDir === undefined;
  const dir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'sealtime-server-')));
  const identity = new TestIdentity();
  const couchdbUrl = opts.couchdbUrl ?? (opts.engine === 'env' ? process.env.COUCHDB_URL : undefined);
  let server: RunningServer;
  try {
    server = await startServer({
      listen: { host: '127.0.0.1', port: 0 },
      logger: pino({ level: process.env.SEALTIME_TEST_LOG ?? 'silent' }),
      ...opts,
      ...(couchdbUrl ? { couchdbUrl } : {}),
      dataDir: dir,
      identity,
    });
  } catch (e) {
    if (ownDir) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const fetchAs = (token: string | null, path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${server.url}${path}`, { ...init, headers });
  };
  return {
    server,
    identity,
    dir,
    url: server.url,
    fetchAs,
    async json(token, method, path, body, headers = {}) {
      const res = await fetchAs(token, path, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep the text
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await server.close();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

// Connecting to CouchDB: the refusals are checked against real HTTP servers on
// loopback that answer as a wrong server would; a real CouchDB is used when
// COUCHDB_URL (with admin credentials) is set.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectCouchDB } from './couchdb-engine.js';
import { startEmbeddedEngine } from './embedded-engine.js';
import { EngineError, redactUrl } from './engine-errors.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function couchLike(version: string, roles: string[]): Promise<string> {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/') return res.end(JSON.stringify({ couchdb: 'Welcome', version }));
    if (req.url === '/_session') return res.end(JSON.stringify({ ok: true, userCtx: { name: 'x', roles } }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return `http://admin:pw@127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function refusal(url: string): Promise<EngineError> {
  const e = await connectCouchDB({ url, timeoutMs: 3000 }).then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof EngineError)) throw new Error(`expected an EngineError, got ${String(e)}`);
  return e;
}

describe('connecting to CouchDB', () => {
  it('reports an unreachable server without leaking the password', async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise((r) => server.close(r));
    const e = await refusal(`http://admin:s3cret@127.0.0.1:${port}`);
    expect(e.code).toBe('unreachable');
    expect(e.message).not.toContain('s3cret');
  });

  it('refuses something that is not CouchDB (here: the embedded express-pouchdb)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sealtime-engine-'));
    const engine = await startEmbeddedEngine({ dataDir: dir });
    cleanups.push(async () => {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    });
    expect((await refusal(engine.url)).code).toBe('unreachable');
  });

  it('refuses CouchDB before 3.0', async () => {
    const e = await refusal(await couchLike('2.3.1', ['_admin']));
    expect(e.code).toBe('unsupported-version');
  });

  it('refuses credentials that are not a server admin, and a URL without credentials', async () => {
    const url = await couchLike('3.3.3', ['reader']);
    expect((await refusal(url)).code).toBe('unauthorized');
    expect((await refusal(url.replace('admin:pw@', ''))).code).toBe('unauthorized');
  });

  it('accepts a CouchDB 3 admin', async () => {
    const engine = await connectCouchDB({ url: await couchLike('3.3.3', ['_admin']) });
    expect(engine).toMatchObject({ kind: 'couchdb', version: '3.3.3' });
  });

  it('redacts credentials in URLs it shows', () => {
    expect(redactUrl('http://admin:s3cret@couch:5984/')).toBe('http://***@couch:5984');
  });

  it.skipIf(!process.env.COUCHDB_URL)('connects to the real CouchDB in COUCHDB_URL', async () => {
    const engine = await connectCouchDB({ url: process.env.COUCHDB_URL! });
    expect(Number(engine.version.split('.')[0])).toBeGreaterThanOrEqual(3);
    expect(Array.isArray(await engine.nano.db.list())).toBe(true);
  });
});

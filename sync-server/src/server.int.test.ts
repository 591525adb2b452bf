// The composed server: engine + provisioning + gateway + listener, started
// and stopped as the CLI will, on a real data directory.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/engine-fixture.js';
import { createTestDevice, toWire } from '../test-support/sealed-records.js';
import { TestIdentity } from '../test-support/test-identity.js';
import { startTestServer } from '../test-support/test-server.js';
import { dbNames } from './provisioning/db-names.js';
import { startServer } from './server.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'sealtime-srv-'));
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

describe('startServer', () => {
  it('refuses plain HTTP on a public address before touching the data directory', async () => {
    const parent = await tempDir();
    const dataDir = join(parent, 'data');
    await expect(
      startServer({ dataDir, listen: { host: '0.0.0.0', port: 0 }, identity: new TestIdentity() }),
    ).rejects.toMatchObject({ code: 'insecure-listen' });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('serves HTTPS with a generated certificate and HSTS', async () => {
    const t = await startTestServer({ tls: { selfSigned: true } });
    cleanups.push(() => t.close());
    expect(t.server.secure).toBe(true);
    const ca = await readFile(join(t.dir, 'tls', 'cert.pem'));
    const res = await new Promise<{ status: number; hsts: unknown; body: string }>((resolve, reject) => {
      https
        .get(`${t.url}/`, { ca }, (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, hsts: r.headers['strict-transport-security'], body }));
        })
        .on('error', reject);
    });
    expect(res.status).toBe(200);
    expect(res.hsts).toBe('max-age=31536000');
    expect(JSON.parse(res.body)).toMatchObject({ couchdb: 'Welcome' });
  });

  it('sends no HSTS over plain loopback HTTP', async () => {
    const t = await startTestServer();
    cleanups.push(() => t.close());
    const res = await t.fetchAs(null, '/');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('restarts on the same data directory with the same identity, data and consolidation', async () => {
    const dataDir = await tempDir();
    const first = await startTestServer({ dataDir });
    await first.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: 'alpha' });
    const dev = await createTestDevice('d1', 'e1');
    const { token } = first.identity.device('d1', 'e1', 'alpha', dev.signPublicKey);
    const before = toWire(dev.activity());
    expect((await first.json(token, 'POST', '/st-emp-e1-records/_bulk_docs', { docs: [before] })).status).toBe(201);
    const uuid = (await first.json(null, 'GET', '/')).body.uuid;
    await first.close();
    await first.close(); // closing twice is harmless

    const second = await startTestServer({ dataDir });
    cleanups.push(() => second.close());
    expect((await second.json(null, 'GET', '/')).body.uuid).toBe(uuid);
    const again = second.identity.device('d1', 'e1', 'alpha', dev.signPublicKey).token;
    expect((await second.json(again, 'GET', `/st-emp-e1-records/${encodeURIComponent(before._id)}`)).status).toBe(200);
    const after = toWire(dev.activity());
    expect((await second.json(again, 'POST', '/st-emp-e1-records/_bulk_docs', { docs: [after] })).status).toBe(201);
    await eventually(
      async () => {
        const rows = (await second.server.engine.nano.use(dbNames.teamRecords('alpha')).list()).rows.map((r) => r.id);
        return rows.includes(before._id) && rows.includes(after._id);
      },
      20_000,
      'consolidation after restart',
    );
  });

  it('builds the identity and extra handlers from the running engine', async () => {
    const dataDir = await tempDir();
    const identity = new TestIdentity();
    let seenEngine: string | null = null;
    const s = await startServer({
      dataDir,
      listen: { host: '127.0.0.1', port: 0 },
      identity: (ctx) => {
        seenEngine = ctx.engine.kind;
        return identity;
      },
      mounts: () => [
        {
          prefix: '/_sealtime/',
          handle: (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":true}'),
        },
      ],
    });
    cleanups.push(() => s.close());
    expect(seenEngine).toBe('embedded');
    const res = await fetch(`${s.url}/_sealtime/ping`);
    expect(await res.json()).toEqual({ hello: true });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

// The real composition on a data directory: restart keeps accounts and the
// audit trail; an audit database that is gone neither blocks nor fails a
// person's write, and its entries survive on disk until it is back; another
// process's revocation reaches the gateway through st-system's changes feed;
// HTTPS with a generated certificate.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-support/wait-for.js';
import { systemActor } from './auth/actor.js';
import { SystemStore } from './auth/system-store.js';
import { auditSpillPath, startSealtimeServer, type SealtimeServer } from './compose.js';
import { dbNames } from './provisioning/db-names.js';

const PASSWORD = 'correct horse battery staple';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(
  dataDir: string,
  extra: Partial<Parameters<typeof startSealtimeServer>[0]> = {},
): Promise<SealtimeServer> {
  const s = await startSealtimeServer({
    dataDir,
    listen: { host: '127.0.0.1', port: 0 },
    logger: pino({ level: 'silent' }),
    ...extra,
  });
  cleanups.push(() => s.close());
  return s;
}

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'sealtime-compose-'));
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

async function login(url: string, userId: string): Promise<string> {
  const r = await fetch(`${url}/_sealtime/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, password: PASSWORD }),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { token: string }).token;
}

describe('startSealtimeServer', () => {
  it('keeps accounts and the audit trail across a restart; close() delivers what the audit log holds', async () => {
    const dir = await tempDir();
    const a = await start(dir);
    await a.services.users.createUser(systemActor('test'), { id: 'root', role: 'super-admin', password: PASSWORD });
    await login(a.url, 'root');
    await a.close();
    const b = await start(dir);
    // read before anything new is recorded: what is there was delivered by a.close()
    const audit = await b.server.engine.nano.use(dbNames.audit).list({ include_docs: true });
    const actions = audit.rows.map((r) => (r.doc as unknown as { action?: string }).action);
    expect(actions.filter((x) => x === 'login.success')).toHaveLength(1);
    expect(actions).toContain('user.create');
    await login(b.url, 'root');
  });

  it('follows st-system: a device revoked by another process on the same engine is refused within moments', async () => {
    const a = await start(await tempDir());
    expect(a.services.store.following).toBe(true);
    await a.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: 't1' });
    const code = await a.services.enrollment.createCode(systemActor('test'), {
      employeeId: 'e1',
      teamId: 't1',
      orgKeyFingerprint: 'ab'.repeat(16),
    });
    const dev = await a.services.enrollment.redeem(
      code.code,
      { name: 'laptop', platform: 'linux' },
      { ip: '127.0.0.1', userAgent: 'vitest' },
    );
    const authorization = `Basic ${Buffer.from(`${dev.deviceId}:${dev.deviceCredential}`).toString('base64')}`;
    const status = async () => (await fetch(`${a.url}/st-emp-e1-records`, { headers: { authorization } })).status;
    expect(await status()).toBe(200);
    // another server process on the same engine (as several gateways on one CouchDB) revokes the device
    const other = await SystemStore.open(a.server.engine.nano.use(dbNames.system), { cacheTtlMs: 0 });
    await other.updateDevice(dev.deviceId, (d) => ({ ...d, revokedAt: Date.now() }));
    await waitFor('the gateway to refuse the revoked device', async () => (await status()) === 401, 5_000, 20);
  });

  it("a person's inbox write succeeds while st-audit is gone; the entry is spilled to disk, then delivered", async () => {
    const dir = await tempDir();
    const s = await start(dir);
    await s.services.users.createUser(systemActor('test'), { id: 'ada', role: 'admin', password: PASSWORD });
    const token = await login(s.url, 'ada');
    await s.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: null });
    await s.audit.flush();
    await s.server.engine.nano.db.destroy(dbNames.audit);

    const started = performance.now();
    const r = await fetch(`${s.url}/${dbNames.employeeInbox('e1')}/_bulk_docs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        docs: [{ _id: 'policy:employee:e1', type: 'policy', target: 'e1', issuedAt: 1, doc: { a: 1 } }],
      }),
    });
    const ms = performance.now() - started;
    expect(r.status).toBe(201);
    expect(ms).toBeLessThan(2_000);
    const until = Date.now() + 10_000;
    while (s.audit.stats().spilled === 0 && Date.now() < until) await new Promise((x) => setTimeout(x, 50));
    expect(s.audit.stats()).toMatchObject({ down: true });
    expect(existsSync(auditSpillPath(dir))).toBe(true);
    expect(await readFile(auditSpillPath(dir), 'utf8')).toContain('policy:employee:e1');

    await s.server.engine.nano.db.create(dbNames.audit);
    await s.audit.flush(15_000);
    const rows = (await s.server.engine.nano.use(dbNames.audit).list({ include_docs: true })).rows;
    expect(
      rows.some(
        (row) =>
          (row.doc as unknown as { action?: string; target?: string }).target ===
          'db:st-emp-e1-inbox/policy:employee:e1',
      ),
    ).toBe(true);
  });

  it('serves the API over HTTPS with a generated certificate', async () => {
    const dir = await tempDir();
    const s = await start(dir, { tls: { selfSigned: true } });
    expect(s.url).toMatch(/^https:/);
    const ca = await readFile(join(dir, 'tls', 'cert.pem'));
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(`${s.url}/_sealtime/api/me`, { ca }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(401);
  });
});

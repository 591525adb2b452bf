// First run and sign-in against real servers: each failure gives its own
// clear message and loses nothing (unreachable, wrong password, disabled
// account, a session the server no longer accepts, an untrusted or
// mismatching TLS certificate); a fresh server's first admin sets up the
// organisation from the core, through a pinned self-signed TLS link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { systemActor } from '@sealtime/sync-server/testing';
import { startSealtimeServer, type SealtimeServer } from '@sealtime/sync-server/testing';
import { ServerClient } from '../admin/node/server-client.js';
import {
  lowParams,
  PASSPHRASE,
  ROOT_PASSWORD,
  startAdminTestServer,
  waitFor,
  type AdminTestServer,
} from '../admin/test-support/admin-server.js';
import type { AdminCore } from './admin-core.js';
import { testCores } from './test-support/test-cores.js';

let srv: AdminTestServer;
let tls: SealtimeServer;
let tlsDir = '';
const dirs = testCores('st-first-run-');
const newDir = dirs.newDir;
const cores: AdminCore[] = [];

async function newCore(): Promise<AdminCore> {
  // one replica database open per process (RxDB names it): a test that failed early leaves its core open
  for (const c of cores.splice(0)) await c.close().catch(() => undefined);
  const p = await lowParams();
  const core = await dirs.newCore({ params: { opsLimit: p.opsLimit, memLimitBytes: p.memLimitBytes } });
  cores.push(core);
  return core;
}

async function failure(p: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  return p.then(
    () => ({}),
    (e: unknown) => e as { code?: string; message?: string },
  );
}

beforeAll(async () => {
  srv = await startAdminTestServer();
  tlsDir = await newDir();
  tls = await startSealtimeServer({
    dataDir: join(tlsDir, 'server'),
    listen: { host: '127.0.0.1', port: 0 },
    tls: { selfSigned: true },
    logger: pino({ level: 'silent' }),
  });
  await tls.services.users.createUser(systemActor('test'), {
    id: 'root',
    role: 'super-admin',
    password: ROOT_PASSWORD,
    teams: [],
    employeeId: null,
  });
}, 120_000);
afterAll(async () => {
  for (const c of cores) await c.close().catch(() => undefined);
  await tls?.close();
  await srv?.close();
  await dirs.cleanup();
});

describe('first run and sign-in', () => {
  it('unreachable server, wrong password: clear messages, still signed out', async () => {
    const core = await newCore();
    // a port nothing listens on (fetch refuses well-known ones like 9 before trying)
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const down = await failure(
      core.signIn({ serverUrl: `http://127.0.0.1:${closed}`, user: 'root', password: ROOT_PASSWORD }),
    );
    expect(down).toMatchObject({ code: 'server-unreachable' });
    expect(down.message).toBe(
      `cannot reach http://127.0.0.1:${closed}: ECONNREFUSED: check the address and that the server is running`,
    );
    const wrong = await failure(core.signIn({ serverUrl: srv.url, user: 'root', password: 'not the password' }));
    expect(wrong).toMatchObject({ code: 'wrong-credentials' });
    expect(wrong.message).toMatch(/refused this user id and password/);
    expect(core.session()).toEqual({ state: 'signed-out' });
  });

  it('sets up a new organisation on a fresh server: recovery keys once, the fingerprint, then unlock with the passphrase', async () => {
    const core = await newCore();
    await core.signIn({ serverUrl: srv.url, user: 'root', password: ROOT_PASSWORD });
    expect((await failure(core.unlock({ passphrase: PASSPHRASE }))).code).toBe('not-found'); // no organisation yet
    const made = await core.request('setupOrganisation', { orgId: 'acme', passphrase: PASSPHRASE });
    expect(made.orgId).toBe('acme');
    expect(made.fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){7,}$/);
    expect(made.recoveryKeys.map((k) => k.role)).toEqual(['organisation', 'hr']);
    expect(new Set(made.recoveryKeys.map((k) => k.text)).size).toBe(2);
    const again = await failure(core.request('setupOrganisation', { orgId: 'acme', passphrase: PASSPHRASE }));
    expect(again).toMatchObject({ code: 'invalid-input' });
    expect(again.message).toMatch(/already has an organisation/);
    expect(await core.unlock({ passphrase: PASSPHRASE })).toMatchObject({ state: 'unlocked', orgId: 'acme' });
    await core.close(); // one replica database open per process (RxDB names it)
  }, 120_000);

  it('a session the server no longer accepts (account disabled): back to sign-in with a message, the replica kept', async () => {
    const root = new ServerClient({ url: srv.url });
    const admin = root.withToken((await root.login('root', ROOT_PASSWORD)).token);
    await admin.createUser({ id: 'dora', password: 'keys and coffee 42', role: 'admin' });
    const core = await newCore();
    await core.signIn({ serverUrl: srv.url, user: 'dora', password: 'keys and coffee 42' });
    await core.unlock({ passphrase: PASSPHRASE }); // the org set up above; dora's replica is made
    await core.lock();
    await admin.request('PATCH', '/_sealtime/api/users/dora', { disabled: true });

    const ended = await failure(core.unlock({ passphrase: PASSPHRASE }));
    expect(ended).toMatchObject({ code: 'session-expired' });
    expect(ended.message).toMatch(/no longer accepts your session.*Sign in again/);
    expect(core.session()).toMatchObject({ state: 'signed-out', server: srv.url, notice: ended.message });
    const dataDir = (core as unknown as { options: { dataDir: string } }).options.dataDir;
    expect((await readdir(join(dataDir, 'replicas'))).length).toBe(1);
    // signing in again is refused as a wrong password would be: the server does not tell which accounts exist
    expect(
      (await failure(core.signIn({ serverUrl: srv.url, user: 'dora', password: 'keys and coffee 42' }))).message,
    ).toMatch(/disabled account is refused the same way/);
    await core.close();
  }, 120_000);

  it('the session is ended while unlocked: the core goes back to sign-in by itself, with the message', async () => {
    const root = new ServerClient({ url: srv.url });
    const admin = root.withToken((await root.login('root', ROOT_PASSWORD)).token);
    await admin.createUser({ id: 'erin', password: 'tea and biscuits 7', role: 'admin' });
    const core = await newCore();
    await core.signIn({ serverUrl: srv.url, user: 'erin', password: 'tea and biscuits 7' });
    await core.unlock({ passphrase: PASSPHRASE });
    await core.awaitInSync();
    await admin.request('PATCH', '/_sealtime/api/users/erin', { disabled: true });
    await waitFor('the core to sign out', async () => core.session().state === 'signed-out', 90_000, 200);
    expect(core.session()).toMatchObject({
      state: 'signed-out',
      server: srv.url,
      notice: expect.stringMatching(/no longer accepts your session/),
    });
    await core.close();
  }, 120_000);

  it('self-signed TLS: untrusted without a CA or pin, works with the CA file or the right pin, a wrong pin is named', async () => {
    const core = await newCore();
    const fp = tls.server.fingerprint!;
    expect(tls.url).toMatch(/^https:/);
    const plain = await failure(core.signIn({ serverUrl: tls.url, user: 'root', password: ROOT_PASSWORD }));
    expect(plain).toMatchObject({ code: 'tls-untrusted' });
    expect(plain.message).toMatch(/is not trusted: give the server's CA file .* or pin its certificate fingerprint/);

    const wrongPin = fp.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A'));
    const mismatch = await failure(
      core.signIn({ serverUrl: tls.url, user: 'root', password: ROOT_PASSWORD, certFingerprint: wrongPin }),
    );
    expect(mismatch).toMatchObject({ code: 'tls-untrusted' });
    expect(mismatch.message).toContain(`fingerprint is ${fp}, not the pinned ${wrongPin}: this may not be your server`);

    expect(
      await core.signIn({
        serverUrl: tls.url,
        user: 'root',
        password: ROOT_PASSWORD,
        caFile: join(tlsDir, 'server', 'tls', 'cert.pem'),
      }),
    ).toMatchObject({ state: 'locked' });
    await core.signOut();
    // the pin (written without colons, lower case) is kept with the session: setting up and unlocking go through it too
    expect(
      await core.signIn({
        serverUrl: tls.url,
        user: 'root',
        password: ROOT_PASSWORD,
        certFingerprint: fp.replace(/:/g, '').toLowerCase(),
      }),
    ).toMatchObject({ state: 'locked' });
    const made = await core.request('setupOrganisation', { orgId: 'tls-org', passphrase: PASSPHRASE });
    expect(made.recoveryKeys).toHaveLength(2);
    expect(await core.unlock({ passphrase: PASSPHRASE })).toMatchObject({ state: 'unlocked', orgId: 'tls-org' });
    await core.awaitInSync();
    await core.close();
  }, 120_000);
});

// Signing in to the admin app with a second factor, against a real server: an
// account with TOTP gets 'totp-required' (the screen then asks for the code),
// a wrong code is refused with the same request for a code, and the current
// code or a recovery code signs in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { ServerClient } from '../admin/node/server-client.js';
import { ROOT_PASSWORD, startAdminTestServer, type AdminTestServer } from '../admin/test-support/admin-server.js';
import { AdminCore } from './admin-core.js';

let srv: AdminTestServer;
let secret: string;
let recovery: string[];
const dirs: string[] = [];

const code = (offsetMs = 0): string =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: Date.now() + offsetMs,
  });

beforeAll(async () => {
  srv = await startAdminTestServer();
  const anon = new ServerClient({ url: srv.url });
  const { token } = await anon.login('root', ROOT_PASSWORD);
  const client = new ServerClient({ url: srv.url, token });
  secret = (await client.totpSetup()).secret;
  recovery = (await client.totpEnable(code())).recoveryCodes;
});
afterAll(async () => {
  await srv?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  return (err as { code?: string } | null)?.code;
}

describe('admin core sign-in with TOTP', () => {
  it('asks for the code, refuses a wrong one, accepts the current code and a recovery code', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sealtime-core-totp-'));
    dirs.push(dataDir);
    const core = new AdminCore({ dataDir });
    await core.start();
    try {
      expect(await failure(core.signIn({ serverUrl: srv.url, user: 'root', password: ROOT_PASSWORD }))).toBe(
        'totp-required',
      );
      expect(
        await failure(
          core.signIn({
            serverUrl: srv.url,
            user: 'root',
            password: ROOT_PASSWORD,
            totp: '000000' === code() ? '111111' : '000000',
          }),
        ),
      ).toBe('totp-required');
      expect(core.session()).toEqual({ state: 'signed-out' });
      // the next step's code: the one used to enable TOTP may not be replayed
      expect(
        await core.signIn({ serverUrl: srv.url, user: 'root', password: ROOT_PASSWORD, totp: code(30_000) }),
      ).toMatchObject({ state: 'locked', user: 'root' });
      await core.request('signOut', {});
      expect(
        await core.signIn({ serverUrl: srv.url, user: 'root', password: ROOT_PASSWORD, totp: recovery[0]! }),
      ).toMatchObject({ state: 'locked', user: 'root' });
    } finally {
      await core.close();
    }
  });
});

/**
 * A real Sealtime server for the admin tests: embedded engine in a temp dir,
 * loopback HTTP, and the first super admin created the way the server's own
 * CLI does it (a system actor). Low Argon2 parameters (the floor) keep key
 * ring creation quick; production rings use the defaults.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { initSodium, MIN_MEM_LIMIT_BYTES, MIN_OPS_LIMIT, newPwhashParams, type PwhashParams } from '@sealtime/shared';
import { systemActor } from '@sealtime/sync-server/src/auth/actor.js';
import { startSealtimeServer, type SealtimeServer } from '@sealtime/sync-server/src/compose.js';
import { waitFor as sharedWaitFor } from '../../../../test-support/wait-for.js';

export const ROOT_PASSWORD = 'admin test super password 1';
export const PASSPHRASE = 'admin test org passphrase';

export interface AdminTestServer {
  s: SealtimeServer;
  url: string;
  dir: string;
  /** A fresh profile directory. */
  profile(): Promise<string>;
  close(): Promise<void>;
}

export async function lowParams(): Promise<PwhashParams> {
  await initSodium();
  return newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES);
}

export async function startAdminTestServer(): Promise<AdminTestServer> {
  await initSodium();
  const dir = await mkdtemp(join(tmpdir(), 'sealtime-admin-'));
  const s = await startSealtimeServer({ dataDir: join(dir, 'server'), listen: { host: '127.0.0.1', port: 0 }, logger: pino({ level: process.env.SEALTIME_TEST_LOG ?? 'silent' }) });
  await s.services.users.createUser(systemActor('test'), { id: 'root', role: 'super-admin', password: ROOT_PASSWORD, teams: [], employeeId: null });
  let n = 0;
  return {
    s,
    url: s.url,
    dir,
    profile: async () => join(dir, `profile-${n++}`),
    async close() {
      await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export { sleep } from '../../../../test-support/wait-for.js';

/** The shared waitFor with this suite's defaults (30 s, every 150 ms). */
export const waitFor = <T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, everyMs = 150): Promise<T> =>
  sharedWaitFor(what, check, timeoutMs, everyMs);

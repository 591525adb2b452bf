/**
 * A real Sealtime server for the admin tests: embedded engine in a temp dir,
 * loopback HTTP, and the first super admin created the way the server's own
 * CLI does it (a system actor). Low Argon2 parameters (the floor) keep key
 * ring creation quick; production rings use the defaults.
 */
import { join } from 'node:path';
import { initSodium, MIN_MEM_LIMIT_BYTES, MIN_OPS_LIMIT, newPwhashParams, type PwhashParams } from '@sealtime/shared';
import { startServerWithRoot, type SealtimeServer } from '@sealtime/sync-server/testing';
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
  const { s, dir, close } = await startServerWithRoot({
    rootPassword: ROOT_PASSWORD,
    tmpPrefix: 'sealtime-admin-',
    serverSubdir: 'server',
  });
  let n = 0;
  return {
    s,
    url: s.url,
    dir,
    profile: async () => join(dir, `profile-${n++}`),
    close,
  };
}

export { sleep } from '../../../../test-support/wait-for.js';

/** The shared waitFor with this suite's defaults (30 s, every 150 ms). */
export const waitFor = <T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  everyMs = 150,
): Promise<T> => sharedWaitFor(what, check, timeoutMs, everyMs);

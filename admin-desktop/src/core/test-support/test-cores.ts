/**
 * The admin cores a core integration test opens: each started on a fresh
 * temporary folder (removed by `cleanup`), in UTC, retrying sync (and the
 * outbox, when asked) fast; and signed in and unlocked in one step.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminCore } from '../admin-core.js';
import type { AdminCoreOptions } from '../admin-core-options.js';

/** Retry bounds short enough for a test to see a retry happen. */
export const FAST_RETRY = { minRetryMs: 200, maxRetryMs: 1000 } as const;

export interface TestCores {
  /** A fresh temporary folder, removed by cleanup(). */
  newDir(): Promise<string>;
  /** A started core; `dataDir` defaults to a fresh folder, the other options to the factory's. */
  newCore(options?: Partial<AdminCoreOptions>): Promise<AdminCore>;
  /** Removes every folder made so far. */
  cleanup(): Promise<void>;
}

/** `defaults` apply to every core, after UTC and fast sync retries. */
export function testCores(tmpPrefix: string, defaults: Partial<Omit<AdminCoreOptions, 'dataDir'>> = {}): TestCores {
  const dirs: string[] = [];
  const newDir = async () => {
    const d = await mkdtemp(join(tmpdir(), tmpPrefix));
    dirs.push(d);
    return d;
  };
  return {
    newDir,
    async newCore(options = {}) {
      const dataDir = options.dataDir ?? (await newDir());
      const core = new AdminCore({ timeZone: 'UTC', sync: FAST_RETRY, ...defaults, ...options, dataDir });
      await core.start();
      return core;
    },
    async cleanup() {
      for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    },
  };
}

/** Signs `core` in to the server as `user` and unlocks its key rings with `passphrase`. */
export async function signInAndUnlock(
  core: AdminCore,
  serverUrl: string,
  user: { id: string; password: string },
  passphrase: string,
): Promise<AdminCore> {
  await core.signIn({ serverUrl, user: user.id, password: user.password });
  await core.unlock({ passphrase });
  return core;
}

/** What `p` rejects with (null when it resolves): the tests read its code and message. */
export function errorOf(p: Promise<unknown>): Promise<{ code?: string; message?: string } | null> {
  return p.then(
    () => null,
    (e: unknown) => e as { code?: string; message?: string },
  );
}

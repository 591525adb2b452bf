/** How the admin core is set up by its shell (Electron main, `sealtime-admin ui`, tests). */
import type { PwhashParams } from '@sealtime/shared';
import type { UnlockCache } from './unlock-cache.js';

export interface AdminCoreOptions {
  /** Profile (session token, pinned org) and replicas live here. */
  dataDir: string;
  /** HR and managers: their key ring file, handed over by an admin. */
  keyringFile?: string;
  timeZone?: string;
  imageBudgetBytes?: number;
  sync?: { minRetryMs?: number; maxRetryMs?: number; baseFetch?: typeof fetch };
  /** Outbox delivery retry bounds (default 1 s … 60 s). */
  outbox?: { minRetryMs?: number; maxRetryMs?: number };
  /** Tests: Argon2id parameters for rings made by this core (none today). */
  params?: Pick<PwhashParams, 'opsLimit' | 'memLimitBytes'>;
  now?: () => number;
  /** Desktop shell: keeps an unlock across restarts, sealed by the OS key store (unlock-cache.ts). */
  unlockCache?: UnlockCache;
}

/**
 * The admin app's own figures, to be filled in by the admin core's owners
 * (h-core, issue 14): each slot gets the stored organisation and returns
 * its measurement, or undefined while it is not implemented — the bench then
 * prints "not measured yet" and writes no row. Never return a made-up number.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AdminCore } from '@sealtime/admin-desktop/src/core/admin-core.js';
import type { StoredOrg } from '../../test-support/org-fixture/index.js';
import { measureUi } from './ui-timings.js';

export type { AdminBenchContext, SlotRow } from './bench-context.js';
import type { AdminBenchContext, SlotRow } from './bench-context.js';

/**
 * SLOT (h-core): open the admin core as `admin` (password + organisation
 * passphrase from ctx.stored) and pull st-org-records into its LevelDB
 * replica; return the documents pulled and the seconds it took. The bench
 * compares it with PouchDB's replicator (must be ≥ 1.0×).
 */
export async function measureReplicaPull(
  ctx: AdminBenchContext,
  /** more figures taken in the same core while its complete replica is open (work-core-timings.ts) */
  whileOpen?: (core: AdminCore) => Promise<void>,
): Promise<{ docs: number; seconds: number } | undefined> {
  const admin = ctx.stored.users.find((u) => u.role === 'admin');
  if (!admin) throw new Error('the stored organisation has no admin');
  const core = new AdminCore({ dataDir: await mkdtemp(join(ctx.workDir, 'admin-core-')) });
  await core.start();
  try {
    await core.signIn({ serverUrl: ctx.serverUrl, user: admin.userId, password: admin.password });
    // timed from the unlock: it opens the empty replica and starts the live pull
    const started = performance.now();
    await core.unlock({ passphrase: ctx.stored.passphrases.organisation });
    await core.awaitInSync();
    const seconds = (performance.now() - started) / 1000;
    const docs = await core.replicaCount();
    await whileOpen?.(core);
    return { docs, seconds };
  } finally {
    await core.close();
  }
}

/**
 * UI timings and memory through `sealtime-admin ui` in Chromium
 * (bench/admin/ui-timings.ts), each as a row.
 */
export async function measureUiTimings(ctx: AdminBenchContext): Promise<SlotRow[] | undefined> {
  return measureUi(ctx, {
    timeZone: ctx.org.timeZone,
    date: ctx.org.lastWorkDate,
    expectedRecords: ctx.stored.expected['st-org-records'] ?? 0,
    days: ctx.org.days,
  });
}

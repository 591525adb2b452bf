/**
 * The admin app's own figures, to be filled in by the admin core's owners
 * (h-core, issue 14): each slot gets the stored organisation and returns
 * its measurement, or undefined while it is not implemented — the bench then
 * prints "not measured yet" and writes no row. Never return a made-up number.
 */
import type { StoredOrg } from '../../test-support/org-fixture/index.js';

export interface AdminBenchContext {
  serverUrl: string;
  stored: StoredOrg;
  /** A scratch directory for profiles and replicas (removed after the run). */
  workDir: string;
}

export interface SlotRow {
  metric: string;
  value: number;
  unit: string;
  higherIsBetter: boolean;
}

/**
 * SLOT (h-core): open the admin core as `admin` (password + organisation
 * passphrase from ctx.stored) and pull st-org-records into its LevelDB
 * replica; return the documents pulled and the seconds it took. The bench
 * compares it with PouchDB's replicator (must be ≥ 1.0×).
 */
export async function measureReplicaPull(_ctx: AdminBenchContext): Promise<{ docs: number; seconds: number } | undefined> {
  return undefined;
}

/**
 * SLOT (h-core / h-views): UI timings through `sealtime-admin ui` in
 * Chromium (e.g. first paint of the timeline, a gallery of a day's
 * thumbnails, switching employees), each as a row.
 */
export async function measureUiTimings(_ctx: AdminBenchContext): Promise<SlotRow[] | undefined> {
  return undefined;
}

/** What every bench:admin slot gets, and the row it reports (its own file: the slots and the UI timings both use it). */
import type { StoredOrg } from '../../test-support/org-fixture/index.js';

export interface AdminBenchContext {
  serverUrl: string;
  stored: StoredOrg;
  /** A scratch directory for profiles and replicas (removed after the run). */
  workDir: string;
  log: (msg: string) => void;
  /** The generated plan's time zone and last working day. */
  org: { timeZone: string; lastWorkDate: string; days: number };
}

export interface SlotRow {
  metric: string;
  value: number;
  unit: string;
  higherIsBetter: boolean;
}

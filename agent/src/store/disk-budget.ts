/**
 * What to do when local disk use grows past the budget (offline for weeks).
 * Records are never dropped: only screenshots, the bulk of the bytes, degrade —
 * first to lower quality, then paused — and each step raises an alert once per
 * episode, so a reviewer learns why images are missing or poor.
 *
 *   used / budget   < 0.9        0.9 … 1.0      1.0 … 1.1     ≥ 1.1
 *   from normal     normal       normal         reduced       paused
 *   from reduced    normal       reduced        reduced       paused
 *   from paused     normal       reduced        paused        paused
 *
 * The gaps between the thresholds are hysteresis: a store hovering at the
 * budget does not flip quality back and forth with every screenshot.
 */

export type ScreenshotMode = 'normal' | 'reduced' | 'paused';

/** Default budget while the policy has no field for it: 2 GiB. */
export const DEFAULT_DISK_BUDGET_BYTES = 2 * 1024 * 1024 * 1024;
export const REDUCE_AT = 1.0;
export const PAUSE_AT = 1.1;
export const RECOVER_BELOW = 0.9;

/** Screenshot quality relative to the policy's normal quality. */
export const QUALITY: Record<ScreenshotMode, number> = { normal: 1, reduced: 0.5, paused: 0 };

export type BudgetAlert = 'budget-exceeded' | 'screenshots-paused';

export interface BudgetState {
  mode: ScreenshotMode;
  /** Alerts already raised in the current episode (cleared when back to normal). */
  alerted: BudgetAlert[];
}

export const INITIAL_BUDGET_STATE: BudgetState = { mode: 'normal', alerted: [] };

export interface BudgetDecision extends BudgetState {
  quality: number;
  /** Alerts to record now (each at most once per episode). */
  raise: BudgetAlert[];
  ratio: number;
}

export function decideDiskBudget(
  usedBytes: number,
  budgetBytes: number,
  previous: BudgetState = INITIAL_BUDGET_STATE,
): BudgetDecision {
  // a missing or nonsensical budget must not stop screenshots by accident, nor
  // a nonsensical measurement switch anything on or off
  const valid = Number.isFinite(budgetBytes) && budgetBytes > 0 && Number.isFinite(usedBytes) && usedBytes >= 0;
  const ratio = valid ? usedBytes / budgetBytes : 0;
  let mode: ScreenshotMode;
  if (!valid) mode = previous.mode;
  else if (ratio >= PAUSE_AT) mode = 'paused';
  else if (ratio >= REDUCE_AT) mode = previous.mode === 'paused' ? 'paused' : 'reduced';
  else if (ratio >= RECOVER_BELOW) mode = previous.mode === 'normal' ? 'normal' : 'reduced';
  else mode = 'normal';

  const alerted = mode === 'normal' ? [] : [...previous.alerted];
  const raise: BudgetAlert[] = [];
  const once = (a: BudgetAlert) => {
    if (!alerted.includes(a)) {
      alerted.push(a);
      raise.push(a);
    }
  };
  if (mode !== 'normal') once('budget-exceeded');
  if (mode === 'paused') once('screenshots-paused');
  return { mode, alerted, quality: QUALITY[mode], raise, ratio };
}

export function budgetAlertDetail(alert: BudgetAlert, usedBytes: number, budgetBytes: number): string {
  const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
  return alert === 'budget-exceeded'
    ? `local storage ${mb(usedBytes)} passed the budget of ${mb(budgetBytes)}: screenshot quality lowered, records kept`
    : `local storage ${mb(usedBytes)} passed ${Math.round(PAUSE_AT * 100)} % of the budget of ${mb(budgetBytes)}: screenshots paused, records kept`;
}

/**
 * Applies the disk-budget decision at run time: measures the store's
 * directory (throttled), keeps the screenshot mode, and hands the recorder
 * the alerts to raise. Alert flags are persisted only after the recorder has
 * written the alert, so a crash in between repeats an alert rather than
 * losing it.
 */
import type { AgentStore } from '../store/agent-store.js';
import {
  DEFAULT_DISK_BUDGET_BYTES,
  INITIAL_BUDGET_STATE,
  decideDiskBudget,
  type BudgetAlert,
  type BudgetDecision,
  type BudgetState,
} from '../store/disk-budget.js';
import { directoryBytes } from '../store/disk-usage.js';

const STATE_ID = 'disk-budget';

export interface BudgetCheck {
  decision: BudgetDecision;
  usedBytes: number;
  budgetBytes: number;
}

export class DiskBudgetGuard {
  private lastMeasuredAt = -Infinity;
  private usedBytes = 0;
  private current: BudgetDecision;
  private persisted: BudgetState;

  private constructor(
    private readonly store: AgentStore,
    private readonly budget: () => number,
    private readonly intervalMs: number,
    saved: BudgetState,
  ) {
    this.persisted = saved;
    this.current = {
      ...saved,
      quality: saved.mode === 'normal' ? 1 : saved.mode === 'reduced' ? 0.5 : 0,
      raise: [],
      ratio: 0,
    };
  }

  static async open(
    store: AgentStore,
    budget: number | (() => number) = DEFAULT_DISK_BUDGET_BYTES,
    intervalMs = 10_000,
  ): Promise<DiskBudgetGuard> {
    const raw = await store.getState<Partial<BudgetState>>(STATE_ID);
    const saved: BudgetState =
      raw && (raw.mode === 'normal' || raw.mode === 'reduced' || raw.mode === 'paused') && Array.isArray(raw.alerted)
        ? {
            mode: raw.mode,
            alerted: raw.alerted.filter((a): a is BudgetAlert => a === 'budget-exceeded' || a === 'screenshots-paused'),
          }
        : INITIAL_BUDGET_STATE;
    return new DiskBudgetGuard(store, typeof budget === 'function' ? budget : () => budget, intervalMs, saved);
  }

  get decision(): BudgetDecision {
    return this.current;
  }

  get lastUsedBytes(): number {
    return this.usedBytes;
  }

  /** Measures (unless measured recently) and decides; `raise` lists alerts not yet recorded. */
  async check(force = false): Promise<BudgetCheck> {
    const now = performance.now();
    if (force || now - this.lastMeasuredAt >= this.intervalMs) {
      this.lastMeasuredAt = now;
      this.usedBytes = await directoryBytes(this.store.dir);
    }
    const budgetBytes = this.budget();
    this.current = decideDiskBudget(this.usedBytes, budgetBytes, this.persisted);
    return { decision: this.current, usedBytes: this.usedBytes, budgetBytes };
  }

  /** Call after the alerts in `decision.raise` are durable. */
  async commit(decision: BudgetDecision): Promise<void> {
    const next: BudgetState = { mode: decision.mode, alerted: decision.alerted };
    if (next.mode === this.persisted.mode && next.alerted.join() === this.persisted.alerted.join()) return;
    await this.store.putState(STATE_ID, next);
    this.persisted = next;
  }
}

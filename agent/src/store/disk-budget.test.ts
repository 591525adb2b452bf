// The disk-budget decision as a pure function: degrade order, hysteresis,
// each alert once per episode, nothing switched by nonsense input.
import { describe, expect, it } from 'vitest';
import { INITIAL_BUDGET_STATE, decideDiskBudget, type BudgetState } from './disk-budget.js';

const B = 1000;

/** Feeds a sequence of disk readings through the decision, as the recorder does. */
function walk(readings: number[], budget = B) {
  let state: BudgetState = INITIAL_BUDGET_STATE;
  return readings.map((used) => {
    const d = decideDiskBudget(used, budget, state);
    state = { mode: d.mode, alerted: d.alerted };
    return { used, mode: d.mode, quality: d.quality, raise: d.raise };
  });
}

describe('decideDiskBudget', () => {
  it('lowers quality first, then pauses, never the other way round', () => {
    expect(walk([500, 899, 999, 1000, 1050, 1099, 1100, 2000]).map((s) => s.mode)).toEqual([
      'normal',
      'normal',
      'normal',
      'reduced',
      'reduced',
      'reduced',
      'paused',
      'paused',
    ]);
    expect(walk([1000, 1100]).map((s) => s.quality)).toEqual([0.5, 0]);
  });

  it('raises each alert once per episode and again in a new episode', () => {
    const steps = walk([1000, 1010, 1100, 1200, 1050, 1150, 950, 800, 1000, 1100]);
    expect(steps.map((s) => s.raise)).toEqual([
      ['budget-exceeded'],
      [],
      ['screenshots-paused'],
      [],
      [],
      [],
      [],
      [],
      ['budget-exceeded'],
      ['screenshots-paused'],
    ]);
  });

  it('jumping straight past the pause threshold raises both alerts at once', () => {
    expect(walk([5000])).toEqual([
      { used: 5000, mode: 'paused', quality: 0, raise: ['budget-exceeded', 'screenshots-paused'] },
    ]);
  });

  it('has hysteresis: recovers only below 90 % of the budget', () => {
    expect(walk([1100, 1050, 990, 950, 900, 899]).map((s) => s.mode)).toEqual([
      'paused',
      'paused',
      'reduced',
      'reduced',
      'reduced',
      'normal',
    ]);
    expect(walk([1000, 950, 1000, 899]).map((s) => s.mode)).toEqual(['reduced', 'reduced', 'reduced', 'normal']);
  });

  it('keeps the previous mode for nonsense budgets or readings', () => {
    const paused: BudgetState = { mode: 'paused', alerted: ['budget-exceeded', 'screenshots-paused'] };
    for (const [used, budget] of [
      [NaN, B],
      [-1, B],
      [500, 0],
      [500, NaN],
      [500, -5],
      [Infinity, B],
    ]) {
      expect(decideDiskBudget(used!, budget!, paused)).toMatchObject({ mode: 'paused', raise: [] });
      expect(decideDiskBudget(used!, budget!)).toMatchObject({ mode: 'normal', raise: [] });
    }
  });
});

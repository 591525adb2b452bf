import { describe, it, expect } from 'vitest';
import { cpuAtCadence, shotCost } from './shot-cost.js';

/** Cumulative CPU samples, one a second, from per-second costs. */
function series(perSecond: number[]): Array<{ atS: number; cpuS: number }> {
  let cpu = 0;
  return [{ atS: 0, cpuS: 0 }, ...perSecond.map((d, i) => ({ atS: i + 1, cpuS: (cpu += d) }))];
}

describe('shotCost', () => {
  it('takes the idle rate outside the rounds and the excess inside them, per round', () => {
    // 0.01 s/s idle; two rounds of 0.5 + 0.2 + 0.1 s on top of idle, 40 s apart
    const s = Array.from({ length: 100 }, () => 0.01);
    for (const at of [20, 60]) {
      s[at] = 0.51;
      s[at + 1] = 0.21;
      s[at + 2] = 0.11;
    }
    // two displays: two grabber starts per round, a second apart
    const c = shotCost(series(s), [20, 21, 60, 61], { beforeS: 2, afterS: 10 });
    expect(c.rounds).toBe(2);
    expect(c.baselinePct).toBeCloseTo(1, 6);
    expect(c.perRoundCpuS).toBeCloseTo(0.8, 6);
    // 6 rounds an hour: 1 % + 0.8 s × 6 / 3600 s
    expect(cpuAtCadence(c, 6)).toBeCloseTo(1 + (0.8 * 6 * 100) / 3600, 6);
  });

  it('finds no round in a run without grabs', () => {
    const c = shotCost(series(Array.from({ length: 30 }, () => 0.002)), []);
    expect(c).toMatchObject({ rounds: 0, perRoundCpuS: 0 });
    expect(c.baselinePct).toBeCloseTo(0.2, 6);
  });
});

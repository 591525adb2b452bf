/**
 * What one screenshot round costs, from the per-second CPU samples of a run
 * with screenshots on: a round (list displays, grab, encode, thumbnail, seal)
 * shows as a burst far above the agent's idle rate. Seconds from a burst's
 * start to `afterS` later are the round's; everything else is the baseline
 * (idle, window titles, sync). The round's cost is its excess over that
 * baseline, so a policy's CPU at any cadence is baseline + cost × rounds/h.
 */

export interface ShotCost {
  /** CPU of the tree outside the rounds, % of one core. */
  baselinePct: number;
  /** Excess CPU seconds per round (all displays), averaged over the rounds seen. */
  perRoundCpuS: number;
  /** Bursts found (rounds). */
  rounds: number;
  /** Seconds of the window attributed to rounds. */
  roundSeconds: number;
}

export function shotCost(
  series: ReadonlyArray<{ atS: number; cpuS: number }>,
  opts: { burstCpuS?: number; afterS?: number } = {},
): ShotCost {
  const burst = opts.burstCpuS ?? 0.15;
  const after = opts.afterS ?? 10;
  let inRound = 0;
  let inRoundTime = 0;
  let outside = 0;
  let outsideTime = 0;
  let rounds = 0;
  let roundUntil = -Infinity;
  for (let i = 1; i < series.length; i++) {
    const dt = series[i]!.atS - series[i - 1]!.atS;
    const d = series[i]!.cpuS - series[i - 1]!.cpuS;
    if (d >= burst && series[i - 1]!.atS >= roundUntil) rounds++;
    if (d >= burst) roundUntil = Math.max(roundUntil, series[i - 1]!.atS + after);
    if (series[i - 1]!.atS < roundUntil) {
      inRound += d;
      inRoundTime += dt;
    } else {
      outside += d;
      outsideTime += dt;
    }
  }
  const baseRate = outsideTime > 0 ? outside / outsideTime : 0;
  const excess = inRound - baseRate * inRoundTime;
  return {
    baselinePct: baseRate * 100,
    perRoundCpuS: rounds > 0 ? excess / rounds : 0,
    rounds,
    roundSeconds: inRoundTime,
  };
}

/** CPU of the tree in % of one core at `perHour` rounds an hour. */
export function cpuAtCadence(c: ShotCost, perHour: number): number {
  return c.baselinePct + ((c.perRoundCpuS * perHour) / 3600) * 100;
}

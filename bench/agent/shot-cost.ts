/**
 * What one screenshot round costs, from the per-second CPU samples of a run
 * with screenshots on. A round is placed by the time its screenshot records
 * were made (read from them; the grab itself runs no helper process to spot);
 * the seconds from `beforeS` before to `afterS` after a start are the round's
 * (list displays, grab, encode, thumbnail, seal, push), everything else is
 * the baseline (idle, window titles, sync). The round's cost is its excess
 * over the baseline rate, so a policy's CPU at any cadence is
 * baseline + cost × rounds/h. Starts closer than `afterS` are one round.
 */

export interface ShotCost {
  /** CPU of the tree outside the rounds, % of one core. */
  baselinePct: number;
  /** Excess CPU seconds per round (all displays), averaged over the rounds seen. */
  perRoundCpuS: number;
  rounds: number;
  /** Seconds of the window attributed to rounds. */
  roundSeconds: number;
}

export function shotCost(
  series: ReadonlyArray<{ atS: number; cpuS: number }>,
  roundStartsS: readonly number[],
  opts: { beforeS?: number; afterS?: number } = {},
): ShotCost {
  const before = opts.beforeS ?? 2;
  const after = opts.afterS ?? 20;
  const windows: Array<[number, number]> = [];
  for (const s of [...roundStartsS].sort((a, b) => a - b)) {
    const last = windows[windows.length - 1];
    if (last && s - before <= last[1]) last[1] = Math.max(last[1], s + after);
    else windows.push([s - before, s + after]);
  }
  const inRound = (t: number) => windows.some(([a, b]) => t >= a && t < b);
  let inside = 0;
  let insideTime = 0;
  let outside = 0;
  let outsideTime = 0;
  for (let i = 1; i < series.length; i++) {
    const dt = series[i]!.atS - series[i - 1]!.atS;
    const d = series[i]!.cpuS - series[i - 1]!.cpuS;
    if (inRound(series[i - 1]!.atS)) {
      inside += d;
      insideTime += dt;
    } else {
      outside += d;
      outsideTime += dt;
    }
  }
  const baseRate = outsideTime > 0 ? outside / outsideTime : 0;
  const excess = inside - baseRate * insideTime;
  return {
    baselinePct: baseRate * 100,
    perRoundCpuS: windows.length > 0 ? excess / windows.length : 0,
    rounds: windows.length,
    roundSeconds: insideTime,
  };
}

/** CPU of the tree in % of one core at `perHour` rounds an hour. */
export function cpuAtCadence(c: ShotCost, perHour: number): number {
  return c.baselinePct + ((c.perRoundCpuS * perHour) / 3600) * 100;
}

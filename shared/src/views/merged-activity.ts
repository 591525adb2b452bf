/**
 * Activity % per grid slot from activity-slot records of one person, any
 * number of devices. A record's seconds are spread over the grid slots it
 * overlaps in proportion to the overlap.
 *
 * Two devices in one slot: tracked time is the longest any device covered
 * (they measure the same wall period), active time is the devices' active
 * seconds added up, capped at the tracked time. Adding is right for the
 * usual case (laptop for 5 min, then desktop for 5 min: 300 + 300 of 600 s
 * = 100 %, where taking the maximum would say 50 %); the cap keeps
 * simultaneous use from passing 100 %.
 */
import { activityPercent } from '../activity/activity-percent.js';
import type { OpenedRecordOf } from './opened-record.js';
import { overlap, slotIndicesOf, type SlotGrid } from './slot-grid.js';

export type SlotActivity = {
  activeSeconds: number;
  trackedSeconds: number;
  /** null: no device tracked anything in this slot */
  percent: number | null;
  deviceIds: string[];
};

const nonNegative = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);

export function mergeActivity(grid: SlotGrid, records: readonly OpenedRecordOf<'activity-slot'>[]): SlotActivity[] {
  // per slot: deviceId → [active, covered] seconds
  const perSlot = grid.slots.map(() => new Map<string, [number, number]>());
  for (const r of records) {
    const p = r.payload;
    const lengthMs = nonNegative(p.slotSeconds) * 1000;
    if (lengthMs === 0 || !Number.isFinite(p.start)) continue;
    const span = { start: p.start, end: p.start + lengthMs };
    const active = Math.min(nonNegative(p.activeSeconds), lengthMs / 1000);
    for (const i of slotIndicesOf(grid, span)) {
      const slot = grid.slots[i];
      const devices = perSlot[i];
      if (!slot || !devices) continue;
      const share = overlap(span, slot) / lengthMs;
      const acc = devices.get(r.deviceId) ?? [0, 0];
      acc[0] += active * share;
      acc[1] += (lengthMs * share) / 1000;
      devices.set(r.deviceId, acc);
    }
  }
  return perSlot.map((devices) => {
    let tracked = 0;
    let active = 0;
    for (const [a, c] of devices.values()) {
      tracked = Math.max(tracked, c);
      active += a;
    }
    active = Math.min(active, tracked);
    return {
      activeSeconds: active,
      trackedSeconds: tracked,
      percent:
        tracked > 0
          ? activityPercent({
              start: 0,
              slotSeconds: tracked,
              activeSeconds: active,
              keyPresses: 0,
              clicks: 0,
              mouseMoves: 0,
              scrolls: 0,
            })
          : null,
      deviceIds: [...devices.keys()].sort(),
    };
  });
}

/** Time-weighted total over slots: summed seconds, rounded once. */
export function totalActivity(slots: readonly SlotActivity[]): {
  activeSeconds: number;
  trackedSeconds: number;
  percent: number | null;
} {
  const activeSeconds = slots.reduce((s, x) => s + x.activeSeconds, 0);
  const trackedSeconds = slots.reduce((s, x) => s + x.trackedSeconds, 0);
  return {
    activeSeconds,
    trackedSeconds,
    percent: trackedSeconds > 0 ? Math.round((activeSeconds / trackedSeconds) * 100) : null,
  };
}

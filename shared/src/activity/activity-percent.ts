/**
 * Activity level, Hubstaff's definition: a second is *active* when at least
 * one input event (key press, click, mouse move, scroll) happened in it, and a
 * slot's activity % = active seconds / slot seconds × 100.
 *
 * Percentages are rounded to the nearest integer, halves up (Math.round), so
 * 299.5/600 → 50 %. Rounding happens once, at the end: aggregates are computed
 * from summed seconds, never by averaging rounded per-slot percentages.
 *
 * Counts are data from a collector, not code: out-of-range values are clamped
 * (activeSeconds into [0, slotSeconds], non-finite/negative → 0) rather than
 * thrown, so one bad sample cannot break a whole report.
 */

export type ActivitySlot = {
  /** epoch ms */
  start: number;
  slotSeconds: number;
  activeSeconds: number;
  keyPresses: number;
  clicks: number;
  mouseMoves: number;
  scrolls: number;
};

export type ActivityAggregate = {
  /** sum(active) / sum(slot) × 100, rounded; 0 when there are no slot seconds */
  percent: number;
  slotSeconds: number;
  /** each slot's active seconds clamped to its own length before summing */
  activeSeconds: number;
  keyPresses: number;
  clicks: number;
  mouseMoves: number;
  scrolls: number;
};

const nonNegative = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);

function clampedActiveSeconds(slot: ActivitySlot): number {
  return Math.min(nonNegative(slot.activeSeconds), nonNegative(slot.slotSeconds));
}

function percentOf(active: number, total: number): number {
  return total > 0 ? Math.round((active / total) * 100) : 0;
}

/** 0..100 integer; a slot of 0 seconds is 0 %. */
export function activityPercent(slot: ActivitySlot): number {
  return percentOf(clampedActiveSeconds(slot), nonNegative(slot.slotSeconds));
}

/** Time-weighted activity over many slots (a 10-min slot weighs 10× a 1-min one). */
export function aggregateActivity(slots: readonly ActivitySlot[]): ActivityAggregate {
  const acc = { slotSeconds: 0, activeSeconds: 0, keyPresses: 0, clicks: 0, mouseMoves: 0, scrolls: 0 };
  for (const s of slots) {
    acc.slotSeconds += nonNegative(s.slotSeconds);
    acc.activeSeconds += clampedActiveSeconds(s);
    acc.keyPresses += nonNegative(s.keyPresses);
    acc.clicks += nonNegative(s.clicks);
    acc.mouseMoves += nonNegative(s.mouseMoves);
    acc.scrolls += nonNegative(s.scrolls);
  }
  return { percent: percentOf(acc.activeSeconds, acc.slotSeconds), ...acc };
}

/**
 * Distinct seconds of the slot holding at least one event. Seconds are counted
 * from the slot start (not from the epoch), so a slot starting at .500 s has
 * its own second buckets [start, start+1000), [start+1000, start+2000), …
 * Events before the slot, at/after its end, or non-finite are ignored.
 */
export function activeSecondsFromEventTimes(
  eventTimesMs: readonly number[],
  slotStartMs: number,
  slotSeconds: number,
): number {
  const slotMs = nonNegative(slotSeconds) * 1000;
  if (slotMs === 0 || !Number.isFinite(slotStartMs)) return 0;
  const active = new Set<number>();
  for (const t of eventTimesMs) {
    const offset = t - slotStartMs;
    // `!(offset >= 0)` also drops NaN; a fractional slot keeps its partial last second.
    if (!(offset >= 0) || offset >= slotMs) continue;
    active.add(Math.floor(offset / 1000));
  }
  return active.size;
}

/**
 * A local day cut into fixed slots of real time, counted from local midnight.
 * DST days simply have fewer or more slots (10-minute slots: 138 / 144 / 150),
 * and on the fall-back day the wall labels 02:00…02:50 appear twice:
 *
 *   Europe/Berlin 2026-10-25   00:00 … 02:50 (CEST) │ 02:00 … 02:50 (CET) … 23:50
 *   slot index                 0    … 17            │ 18    … 23          … 149
 */
import type { TimeInterval } from '../attendance/types.js';
import { localDayBounds } from '../attendance/time-zone.js';
import { wallTimeOf } from './wall-clock.js';

export type GridSlot = TimeInterval & { index: number; /** 'HH:mm' local start */ label: string };

export type SlotGrid = { bounds: TimeInterval; slotMs: number; slots: GridSlot[] };

/** `withLabels: false` skips the Intl work where only the arithmetic is wanted (long reports). */
export function slotGrid(bounds: TimeInterval, slotMinutes: number, timeZone: string, withLabels = true): SlotGrid {
  if (!Number.isFinite(slotMinutes) || slotMinutes <= 0)
    throw new RangeError(`slotMinutes must be > 0, got ${slotMinutes}`);
  const slotMs = slotMinutes * 60_000;
  const slots: GridSlot[] = [];
  for (let start = bounds.start, index = 0; start < bounds.end; start += slotMs, index++) {
    slots.push({
      index,
      start,
      end: Math.min(start + slotMs, bounds.end),
      label: withLabels ? wallTimeOf(start, timeZone) : '',
    });
  }
  return { bounds, slotMs, slots };
}

/** Indices of the slots `interval` overlaps (empty when it misses the grid). */
export function slotIndicesOf(grid: SlotGrid, interval: TimeInterval): number[] {
  const start = Math.max(interval.start, grid.bounds.start);
  const end = Math.min(interval.end, grid.bounds.end);
  if (!(end > start)) return [];
  const first = Math.floor((start - grid.bounds.start) / grid.slotMs);
  const last = Math.min(grid.slots.length - 1, Math.floor((end - 1 - grid.bounds.start) / grid.slotMs));
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(i);
  return out;
}

export function overlap(a: TimeInterval, b: TimeInterval): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

// Dashboards and reports cut the same local dates of the same zones again
// and again (every person of an office shares them), and localDayBounds plus
// the Intl labels cost far more than the arithmetic that follows. Grids are
// never mutated by their users, so one copy per (date, zone, size) is shared.
// Pure memo, bounded so a long-running core does not grow without limit.
const MAX_CACHED = 5000;
const boundsCache = new Map<string, TimeInterval>();
const gridCache = new Map<string, SlotGrid>();

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const hit = cache.get(key);
  if (hit) return hit;
  const value = make();
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

/** localDayBounds, memoised. */
export function dayBounds(date: string, timeZone: string): TimeInterval {
  return remember(boundsCache, `${date}|${timeZone}`, () => Object.freeze(localDayBounds(date, timeZone)));
}

/** slotGrid of a local date, memoised; treat the result as read-only. */
export function dayGrid(date: string, timeZone: string, slotMinutes = 10, withLabels = true): SlotGrid {
  return remember(gridCache, `${date}|${timeZone}|${slotMinutes}|${withLabels}`, () =>
    slotGrid(dayBounds(date, timeZone), slotMinutes, timeZone, withLabels),
  );
}

/**
 * A local day cut into fixed slots of real time, counted from local midnight.
 * DST days simply have fewer or more slots (10-minute slots: 138 / 144 / 150),
 * and on the fall-back day the wall labels 02:00…02:50 appear twice:
 *
 *   Europe/Berlin 2026-10-25   00:00 … 02:50 (CEST) │ 02:00 … 02:50 (CET) … 23:50
 *   slot index                 0    … 17            │ 18    … 23          … 149
 */
import type { TimeInterval } from '../attendance/types.js';
import { wallTimeOf } from './wall-clock.js';

export type GridSlot = TimeInterval & { index: number; /** 'HH:mm' local start */ label: string };

export type SlotGrid = { bounds: TimeInterval; slotMs: number; slots: GridSlot[] };

/** `withLabels: false` skips the Intl work where only the arithmetic is wanted (long reports). */
export function slotGrid(bounds: TimeInterval, slotMinutes: number, timeZone: string, withLabels = true): SlotGrid {
  if (!Number.isFinite(slotMinutes) || slotMinutes <= 0) throw new RangeError(`slotMinutes must be > 0, got ${slotMinutes}`);
  const slotMs = slotMinutes * 60_000;
  const slots: GridSlot[] = [];
  for (let start = bounds.start, index = 0; start < bounds.end; start += slotMs, index++) {
    slots.push({ index, start, end: Math.min(start + slotMs, bounds.end), label: withLabels ? wallTimeOf(start, timeZone) : '' });
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

/** Arithmetic on half-open [start, end) intervals of epoch ms. */
import type { TimeInterval } from './types.js';

export function clip(i: TimeInterval, bounds: TimeInterval): TimeInterval | undefined {
  const start = Math.max(i.start, bounds.start);
  const end = Math.min(i.end, bounds.end);
  return end > start ? { start, end } : undefined;
}

export function totalMs(intervals: readonly TimeInterval[]): number {
  return intervals.reduce((sum, i) => sum + Math.max(0, i.end - i.start), 0);
}

/** Sorted, non-overlapping cover of the input; touching intervals are joined. */
export function union(intervals: readonly TimeInterval[]): TimeInterval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: TimeInterval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** `base` minus every hole, as sorted pieces. */
export function subtract(base: TimeInterval, holes: readonly TimeInterval[]): TimeInterval[] {
  const out: TimeInterval[] = [];
  let cursor = base.start;
  for (const h of union(holes)) {
    if (h.end <= cursor) continue;
    if (h.start >= base.end) break;
    if (h.start > cursor) out.push({ start: cursor, end: h.start });
    cursor = Math.max(cursor, h.end);
  }
  if (cursor < base.end) out.push({ start: cursor, end: base.end });
  return out;
}

/** Length of the part of `intervals` (overlaps counted once) inside `bounds`. */
export function overlapMs(intervals: readonly TimeInterval[], bounds: TimeInterval): number {
  return totalMs(union(intervals).flatMap((i) => clip(i, bounds) ?? []));
}

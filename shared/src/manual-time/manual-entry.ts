/**
 * Rules for manual time entries (time worked away from the computer), pure:
 *
 *   span       end after start, at most 24 h
 *   future     may not end later than `now` plus a small skew (clocks differ)
 *   manual     never overlaps another manual entry of the same person: refused
 *   tracked    overlapping tracked activity (slots with active seconds) is
 *              refused on the agent when it knows that activity, and always
 *              flagged in the admin views (a reviewer sees every device)
 *
 *      tracked slots   [■■■■■■]          [■■]
 *      manual entry        [------------------]
 *      overlap             [■■]          [■■]   → flagged, active seconds counted
 */
import type { ManualTimePayload } from '../records/payload-types.js';

export const MAX_MANUAL_MS = 24 * 3_600_000;
/** How far past the device's clock an entry may end: another device's clock may run ahead. */
export const MANUAL_FUTURE_SKEW_MS = 5 * 60_000;

export type ManualEntryProblemCode = 'bad-span' | 'in-future' | 'overlaps-manual' | 'overlaps-tracked';

export interface ManualEntryProblem {
  code: ManualEntryProblemCode;
  message: string;
  /** The entry or the slot start it collides with, when there is one. */
  with?: string;
}

/** Why [start, end) is not a manual span, or undefined. The record validator calls this too. */
export function manualSpanProblem(start: number, end: number): string | undefined {
  if (!(end > start)) return 'end must be after start';
  if (end - start > MAX_MANUAL_MS) return 'a manual entry is at most 24 hours';
  return undefined;
}

export interface TimeSpan {
  start: number;
  end: number;
}

/** Milliseconds two half-open spans share. */
export function overlapMs(a: TimeSpan, b: TimeSpan): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/** A tracked activity slot as far as overlap is concerned. */
export interface TrackedSlot {
  start: number;
  slotSeconds: number;
  activeSeconds: number;
}

/**
 * Active seconds of `slots` that fall inside the entry, a slot's active time
 * taken as spread evenly over it (slots hold counts, not instants).
 */
export function trackedOverlapSeconds(entry: TimeSpan, slots: readonly TrackedSlot[]): number {
  let seconds = 0;
  for (const s of slots) {
    if (s.activeSeconds <= 0) continue;
    const span = { start: s.start, end: s.start + s.slotSeconds * 1000 };
    const shared = overlapMs(entry, span);
    if (shared > 0) seconds += (s.activeSeconds * shared) / (s.slotSeconds * 1000);
  }
  return Math.round(seconds);
}

/** The first existing entry the new one overlaps (same person), or undefined. */
export function overlappingManual<E extends TimeSpan & { entryId: string }>(
  entry: TimeSpan & { entryId?: string },
  existing: readonly E[],
): E | undefined {
  return existing.find((e) => e.entryId !== entry.entryId && overlapMs(entry, e) > 0);
}

export interface ManualEntryContext {
  now: number;
  /** The person's other manual entries (rejected ones excluded by the caller if it wishes). */
  existing: readonly Pick<ManualTimePayload, 'entryId' | 'start' | 'end'>[];
  /** Tracked slots the checker knows of (the agent: its own device's). */
  tracked?: readonly TrackedSlot[];
}

/** Everything that refuses a new entry, in the order a person fixes them. */
export function checkManualEntry(
  entry: Pick<ManualTimePayload, 'start' | 'end'> & { entryId?: string },
  ctx: ManualEntryContext,
): ManualEntryProblem | undefined {
  const span = manualSpanProblem(entry.start, entry.end);
  if (span) return { code: 'bad-span', message: span };
  if (entry.end > ctx.now + MANUAL_FUTURE_SKEW_MS)
    return { code: 'in-future', message: 'a manual entry cannot end in the future' };
  const clash = overlappingManual(entry, ctx.existing);
  if (clash)
    return {
      code: 'overlaps-manual',
      message: `it overlaps your manual entry ${clash.entryId} (${new Date(clash.start).toISOString()} – ${new Date(clash.end).toISOString()})`,
      with: clash.entryId,
    };
  const active = trackedOverlapSeconds(entry, ctx.tracked ?? []);
  if (active > 0)
    return {
      code: 'overlaps-tracked',
      message: `it overlaps ${Math.round(active / 60)} min of tracked activity on this computer: manual time is for time away from it`,
    };
  return undefined;
}

/**
 * Folds per-second input counts into activity slots aligned to the epoch
 * (a 600 s slot starts at :00, :10, …), the ActivitySlotPayload the recorder
 * seals. Pure: the caller says what time it is.
 *
 * - A second counts as active when it had any input (Hubstaff's definition).
 * - A slot closes once the clock is past its end plus a grace (the last
 *   second's counts arrive just after the boundary).
 * - Slots the process never saw (it was suspended across them) are not
 *   invented; slots it saw without input are emitted with zeros unless
 *   `emitEmptySlots` is off.
 * - flush() hands out the partial current slot (stop, policy change) when it
 *   holds input, so nothing counted is lost. A restart inside the same slot
 *   then yields a second payload with the same start: readers add them up.
 * - cut(at) ends the current slot early at a whole second (the employee
 *   switched project): the part before is handed out with its own shorter
 *   slotSeconds, and the rest of the aligned slot is a slot of its own. So
 *   each part's sealed project is exact, and readers that spread a slot by
 *   its start and length (views/merged-activity.ts) need nothing new:
 *
 *     09:00 ─── A ───09:04:17─────── B ─────── 09:10
 *     {start 09:00, slotSeconds 257, A}  {start 09:04:17, slotSeconds 343, B}
 */
import type { ActivitySlotPayload } from '@sealtime/shared';
import type { InputSecond } from './input-protocol.js';

interface OpenSlot {
  start: number;
  /** the aligned slot's end, or the next cut's */
  end: number;
  activeSeconds: number;
  keyPresses: number;
  clicks: number;
  mouseMoves: number;
  scrolls: number;
}

export class ActivitySlotAggregator {
  private slot: OpenSlot;
  private readonly slotMs: number;

  constructor(
    readonly slotSeconds: number,
    nowMs: number,
    private readonly emitEmptySlots = true,
  ) {
    if (!Number.isInteger(slotSeconds) || slotSeconds <= 0)
      throw new RangeError(`slotSeconds must be a positive integer, got ${slotSeconds}`);
    this.slotMs = slotSeconds * 1000;
    this.slot = this.open(nowMs);
  }

  slotStart(t: number): number {
    return Math.floor(t / this.slotMs) * this.slotMs;
  }

  get currentStart(): number {
    return this.slot.start;
  }

  /** Adds one second of input; returns slots it closed (input that belongs to a later slot). */
  add(second: InputSecond): ActivitySlotPayload[] {
    // the counts cover the second that ended at `at`
    const out = this.rollTo(second.at - 1);
    const s = this.slot;
    s.activeSeconds = Math.min((s.end - s.start) / 1000, s.activeSeconds + 1);
    s.keyPresses += second.keyPresses;
    s.clicks += second.clicks;
    s.mouseMoves += second.mouseMoves;
    s.scrolls += second.scrolls;
    return out;
  }

  /** Closes the current slot when `nowMs` is past its end plus `graceMs`. */
  advance(nowMs: number, graceMs: number): ActivitySlotPayload[] {
    return this.rollTo(nowMs - graceMs);
  }

  /**
   * Ends the current slot at `atMs` (rounded down to a second) and hands out
   * the part before it, input or not (its time is attributed, like an empty
   * slot's); undefined when the cut is at the slot's start.
   */
  cut(atMs: number): ActivitySlotPayload | undefined {
    const s = this.slot;
    const at = Math.floor(atMs / 1000) * 1000;
    if (at <= s.start || at >= s.end) return undefined;
    this.slot = { ...this.open(s.start), start: at, end: s.end };
    const part = { ...s, end: at };
    part.activeSeconds = Math.min(part.activeSeconds, (at - s.start) / 1000);
    return this.payload(part);
  }

  /** The current slot so far, if it holds any input (or always, with `evenEmpty`: app usage may fill it); the slot is reset. */
  flush(evenEmpty = false): ActivitySlotPayload | undefined {
    const s = this.slot;
    if (s.activeSeconds === 0 && !evenEmpty) return undefined;
    this.slot = { ...this.open(s.start), start: s.start, end: s.end };
    return this.payload(s);
  }

  private rollTo(t: number): ActivitySlotPayload[] {
    const s = this.slot;
    if (t < s.end) return [];
    this.slot = this.open(t);
    return s.activeSeconds > 0 || this.emitEmptySlots ? [this.payload(s)] : [];
  }

  private open(t: number): OpenSlot {
    const start = this.slotStart(t);
    return { start, end: start + this.slotMs, activeSeconds: 0, keyPresses: 0, clicks: 0, mouseMoves: 0, scrolls: 0 };
  }

  private payload(s: OpenSlot): ActivitySlotPayload {
    return {
      v: 1,
      start: s.start,
      slotSeconds: (s.end - s.start) / 1000,
      activeSeconds: s.activeSeconds,
      keyPresses: s.keyPresses,
      clicks: s.clicks,
      mouseMoves: s.mouseMoves,
      scrolls: s.scrolls,
    };
  }
}

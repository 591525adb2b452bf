/**
 * ActivityWatch-style heartbeat merging (after aw-transform/src/heartbeat.rs).
 *
 * A heartbeat says "this app/title was focused at `start`". Consecutive
 * heartbeats with identical data collapse into one event as long as each new
 * heartbeat starts no later than `pulseTime` after the previous event ended:
 *
 *   last:       [start=====end)
 *   pulse:                     ·····pulseTime·····]
 *   hb (merge):                      [hb====)
 *   result:     [start=======================)        start kept, end = max(ends)
 *
 *   hb before last.start, after the pulse window, or with other data → a new event.
 *
 * Bad input (negative or non-finite durations, non-finite starts, negative
 * pulse) throws a RangeError instead of being clamped: such a heartbeat is a
 * bug in its producer, and clamping would hide it inside a plausible event.
 * Inputs are never mutated.
 */

export type AppEventData = { app: string; title: string; url?: string | undefined };

export type AppEvent = {
  /** epoch ms */
  start: number;
  /** ms, ≥ 0 */
  duration: number;
  data: AppEventData;
};

export type HeartbeatMergeResult = { merged: true; event: AppEvent } | { merged: false; event: AppEvent };

function assertValidEvent(e: AppEvent, name: string): void {
  if (!Number.isFinite(e.start)) throw new RangeError(`${name}.start must be a finite epoch-ms number, got ${e.start}`);
  if (!Number.isFinite(e.duration) || e.duration < 0) {
    throw new RangeError(`${name}.duration must be a finite number ≥ 0 ms, got ${e.duration}`);
  }
}

function assertValidPulse(pulseTimeMs: number): void {
  if (!Number.isFinite(pulseTimeMs) || pulseTimeMs < 0) {
    throw new RangeError(`pulseTimeMs must be a finite number ≥ 0, got ${pulseTimeMs}`);
  }
}

/**
 * Same keys with the same values. A key holding `undefined` counts as absent,
 * so `{ url: undefined }` equals `{}`: a JSON round trip drops such keys and
 * must not split an event in two.
 */
export function sameEventData(a: AppEventData, b: AppEventData): boolean {
  const entries = (d: AppEventData) =>
    Object.entries(d)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const ea = entries(a);
  const eb = entries(b);
  if (ea.length !== eb.length) return false;
  return ea.every(([k, v], i) => {
    const other = eb[i];
    return other !== undefined && other[0] === k && Object.is(other[1], v);
  });
}

/** Merges `hb` into `last` when the data match and `hb.start` lies in [last.start, last end + pulse]. */
export function mergeHeartbeat(last: AppEvent | undefined, hb: AppEvent, pulseTimeMs: number): HeartbeatMergeResult {
  assertValidEvent(hb, 'heartbeat');
  assertValidPulse(pulseTimeMs);
  if (last === undefined) return { merged: false, event: hb };
  assertValidEvent(last, 'last');

  if (!sameEventData(last.data, hb.data)) return { merged: false, event: hb };
  const lastEnd = last.start + last.duration;
  // A heartbeat older than the event it would extend is out of order: merging
  // it would move the start backwards, which aw-server refuses too.
  if (hb.start < last.start || hb.start > lastEnd + pulseTimeMs) return { merged: false, event: hb };

  const end = Math.max(lastEnd, hb.start + hb.duration);
  return { merged: true, event: { start: last.start, duration: end - last.start, data: last.data } };
}

/**
 * Folds heartbeats into events. The input is sorted by start (stable) first, so
 * a batch that arrives out of order yields the same events as a sorted one.
 */
export function mergeHeartbeats(events: readonly AppEvent[], pulseTimeMs: number): AppEvent[] {
  assertValidPulse(pulseTimeMs);
  const sorted = [...events].sort((a, b) => a.start - b.start);
  const out: AppEvent[] = [];
  for (const hb of sorted) {
    const result = mergeHeartbeat(out[out.length - 1], hb, pulseTimeMs);
    if (result.merged) out[out.length - 1] = result.event;
    else out.push(result.event);
  }
  return out;
}

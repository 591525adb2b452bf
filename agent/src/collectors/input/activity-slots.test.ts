import { describe, it, expect } from 'vitest';
import { validatePayload } from '@sealtime/shared';
import { ActivitySlotAggregator } from './activity-slots.js';
import { parseChildMessage, type InputSecond } from './input-protocol.js';

const T0 = 1_800_000_000_000; // a multiple of 60 s
const sec = (at: number, k = 0, c = 0, m = 0, w = 0): InputSecond => ({
  at,
  keyPresses: k,
  clicks: c,
  mouseMoves: m,
  scrolls: w,
});

describe('ActivitySlotAggregator', () => {
  it('sums seconds into an epoch-aligned slot and closes it after the grace', () => {
    const a = new ActivitySlotAggregator(60, T0 + 5_000);
    expect(a.add(sec(T0 + 10_000, 3, 1))).toEqual([]);
    expect(a.add(sec(T0 + 11_000, 2, 0, 40))).toEqual([]);
    expect(a.add(sec(T0 + 60_000, 0, 0, 0, 2))).toEqual([]); // covers [59 s, 60 s): still this slot
    expect(a.advance(T0 + 61_000, 1500)).toEqual([]);
    const [slot] = a.advance(T0 + 61_500, 1500);
    expect(slot).toEqual({
      v: 1,
      start: T0,
      slotSeconds: 60,
      activeSeconds: 3,
      keyPresses: 5,
      clicks: 1,
      mouseMoves: 40,
      scrolls: 2,
    });
    expect(validatePayload('activity-slot', slot)).toMatchObject({ ok: true });
    expect(a.currentStart).toBe(T0 + 60_000);
  });

  it('closes the open slot when a second of the next slot arrives', () => {
    const a = new ActivitySlotAggregator(60, T0);
    a.add(sec(T0 + 1_000, 1));
    const closed = a.add(sec(T0 + 60_500, 4));
    expect(closed.map((s) => [s.start, s.keyPresses])).toEqual([[T0, 1]]);
    expect(a.flush()).toMatchObject({ start: T0 + 60_000, keyPresses: 4, activeSeconds: 1 });
    expect(a.flush()).toBeUndefined();
  });

  it('cuts a slot at a project switch: two valid parts that cover the slot once', () => {
    const a = new ActivitySlotAggregator(60, T0);
    a.add(sec(T0 + 5_000, 2));
    a.add(sec(T0 + 20_000, 1));
    const first = a.cut(T0 + 20_400); // rounded down to the whole second
    expect(first).toMatchObject({ start: T0, slotSeconds: 20, activeSeconds: 2, keyPresses: 3 });
    a.add(sec(T0 + 30_000, 5));
    expect(a.advance(T0 + 59_000, 1500)).toEqual([]);
    const [rest] = a.advance(T0 + 61_500, 1500);
    expect(rest).toMatchObject({ start: T0 + 20_000, slotSeconds: 40, activeSeconds: 1, keyPresses: 5 });
    expect(validatePayload('activity-slot', first).ok && validatePayload('activity-slot', rest).ok).toBe(true);
    // the next slot is aligned again
    expect(a.currentStart).toBe(T0 + 60_000);
    // a cut at the slot's start, or past its end, hands out nothing
    expect(a.cut(T0 + 60_000)).toBeUndefined();
    // active seconds never pass the part's length
    const b = new ActivitySlotAggregator(60, T0);
    for (let i = 1; i <= 5; i++) b.add(sec(T0 + i * 1000, 1));
    b.cut(T0 + 3_000);
    for (let i = 4; i <= 60; i++) {
      // late/duplicated ticks
      b.add(sec(T0 + i * 1000, 1));
      b.add(sec(T0 + i * 1000, 1));
    }
    expect(b.advance(T0 + 61_500, 1500)[0]).toMatchObject({ start: T0 + 3_000, slotSeconds: 57, activeSeconds: 57 });
  });

  it('emits empty slots it saw, but never invents slots it slept through', () => {
    const a = new ActivitySlotAggregator(60, T0);
    expect(a.advance(T0 + 61_500, 1500)).toEqual([
      expect.objectContaining({ start: T0, activeSeconds: 0, keyPresses: 0 }),
    ]);
    // suspended for ten minutes: one closed slot, then straight to now
    expect(a.advance(T0 + 661_500, 1500)).toHaveLength(1);
    expect(a.currentStart).toBe(T0 + 660_000);
    const quiet = new ActivitySlotAggregator(60, T0, false);
    expect(quiet.advance(T0 + 61_500, 1500)).toEqual([]);
  });

  it('caps active seconds at the slot length and rejects bad slot sizes', () => {
    const a = new ActivitySlotAggregator(60, T0);
    for (let i = 0; i < 70; i++) a.add(sec(T0 + 1_000 + i * 10, 1)); // late/duplicated ticks
    expect(a.flush()).toMatchObject({ activeSeconds: 60, keyPresses: 70 });
    expect(() => new ActivitySlotAggregator(0, T0)).toThrow(RangeError);
    expect(() => new ActivitySlotAggregator(1.5, T0)).toThrow(RangeError);
  });

  it('aligns 600 s slots to ten-minute boundaries', () => {
    const a = new ActivitySlotAggregator(600, T0 + 123_456);
    expect(a.currentStart % 600_000).toBe(0);
    expect(a.currentStart).toBeLessThanOrEqual(T0 + 123_456);
  });
});

describe('parseChildMessage', () => {
  it('accepts exactly the protocol', () => {
    expect(parseChildMessage({ t: 'ready' })).toEqual({ t: 'ready' });
    expect(parseChildMessage({ t: 'tick', k: 1, c: 2, m: 3, w: 4 })).toEqual({ t: 'tick', k: 1, c: 2, m: 3, w: 4 });
    expect(parseChildMessage({ t: 'error', code: 'x', message: 'y' })).toEqual({ t: 'error', code: 'x', message: 'y' });
  });

  it.each([
    ['extra field', { t: 'tick', k: 1, c: 0, m: 0, w: 0, keycode: 30 }],
    ['missing field', { t: 'tick', k: 1, c: 0, m: 0 }],
    ['negative', { t: 'tick', k: -1, c: 0, m: 0, w: 0 }],
    ['fraction', { t: 'tick', k: 1.5, c: 0, m: 0, w: 0 }],
    ['absurd', { t: 'tick', k: 1e9, c: 0, m: 0, w: 0 }],
    ['string count', { t: 'tick', k: '1', c: 0, m: 0, w: 0 }],
    ['ready with data', { t: 'ready', key: 'a' }],
    ['unknown type', { t: 'keys', list: [30] }],
    ['array', [1, 2]],
    ['null', null],
    ['string', 'a'],
  ])('rejects %s', (_, raw) => {
    expect(parseChildMessage(raw)).toBeUndefined();
  });
});

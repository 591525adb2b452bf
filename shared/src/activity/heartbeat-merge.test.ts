import { describe, it, expect } from 'vitest';
import { mergeHeartbeat, mergeHeartbeats, sameEventData, type AppEvent } from './heartbeat-merge.js';

const editor = { app: 'code', title: 'main.ts' };
const browser = { app: 'firefox', title: 'Docs', url: 'https://example.org' };
const ev = (start: number, duration: number, data: AppEvent['data'] = editor): AppEvent => ({ start, duration, data });

describe('mergeHeartbeat', () => {
  it('starts a new event when there is no last event', () => {
    const hb = ev(1000, 0);
    expect(mergeHeartbeat(undefined, hb, 5000)).toEqual({ merged: false, event: hb });
  });

  it.each([
    ['inside the last event', ev(0, 10_000), ev(4_000, 0), { start: 0, duration: 10_000 }],
    ['extending past the last end', ev(0, 10_000), ev(8_000, 5_000), { start: 0, duration: 13_000 }],
    ['just after the end, within pulse', ev(0, 10_000), ev(12_000, 0), { start: 0, duration: 12_000 }],
    ['exactly at end + pulse', ev(0, 10_000), ev(15_000, 1_000), { start: 0, duration: 16_000 }],
    ['at last.start', ev(0, 10_000), ev(0, 2_000), { start: 0, duration: 10_000 }],
    ['zero-duration last and heartbeat', ev(0, 0), ev(3_000, 0), { start: 0, duration: 3_000 }],
  ])('merges a heartbeat %s', (_name, last, hb, expected) => {
    const r = mergeHeartbeat(last, hb, 5_000);
    expect(r.merged).toBe(true);
    expect(r.event).toEqual({ ...expected, data: editor });
  });

  it.each([
    ['one ms beyond end + pulse', ev(0, 10_000), ev(15_001, 0)],
    ['before last.start (out of order)', ev(10_000, 5_000), ev(9_999, 3_000)],
    ['with different data', ev(0, 10_000), ev(5_000, 0, browser)],
    ['with the same app but another title', ev(0, 10_000), ev(5_000, 0, { app: 'code', title: 'other.ts' })],
    ['with an extra url key', ev(0, 10_000), ev(5_000, 0, { ...editor, url: 'x' })],
  ])('keeps a heartbeat %s as a new event', (_name, last, hb) => {
    expect(mergeHeartbeat(last, hb, 5_000)).toEqual({ merged: false, event: hb });
  });

  it('with pulse 0 merges only heartbeats touching the last event', () => {
    expect(mergeHeartbeat(ev(0, 1_000), ev(1_000, 500), 0)).toEqual({ merged: true, event: ev(0, 1_500) });
    expect(mergeHeartbeat(ev(0, 1_000), ev(1_001, 500), 0).merged).toBe(false);
  });

  it('does not mutate its inputs', () => {
    const last = ev(0, 1_000);
    const hb = ev(500, 2_000);
    mergeHeartbeat(last, hb, 1_000);
    expect(last).toEqual(ev(0, 1_000));
    expect(hb).toEqual(ev(500, 2_000));
  });

  it.each([
    ['negative duration', ev(0, 1_000), ev(500, -1), /heartbeat\.duration/],
    ['NaN duration', ev(0, 1_000), ev(500, Number.NaN), /heartbeat\.duration/],
    ['infinite duration', ev(0, 1_000), ev(500, Number.POSITIVE_INFINITY), /heartbeat\.duration/],
    ['NaN start', ev(0, 1_000), ev(Number.NaN, 0), /heartbeat\.start/],
    ['bad last event', ev(0, -5), ev(500, 0), /last\.duration/],
  ])('throws a RangeError for %s', (_name, last, hb, message) => {
    expect(() => mergeHeartbeat(last, hb, 1_000)).toThrow(RangeError);
    expect(() => mergeHeartbeat(last, hb, 1_000)).toThrow(message);
  });

  it('throws for a negative or NaN pulse', () => {
    expect(() => mergeHeartbeat(undefined, ev(0, 0), -1)).toThrow(/pulseTimeMs/);
    expect(() => mergeHeartbeat(undefined, ev(0, 0), Number.NaN)).toThrow(RangeError);
  });
});

describe('sameEventData', () => {
  it('ignores key order and keys holding undefined', () => {
    expect(sameEventData({ title: 't', app: 'a' }, { app: 'a', title: 't' })).toBe(true);
    expect(sameEventData({ app: 'a', title: 't', url: undefined }, { app: 'a', title: 't' })).toBe(true);
    expect(sameEventData({ app: 'a', title: 't', url: '' }, { app: 'a', title: 't' })).toBe(false);
  });
});

describe('mergeHeartbeats', () => {
  it('returns [] for no heartbeats', () => {
    expect(mergeHeartbeats([], 1_000)).toEqual([]);
  });

  it('folds a long chain of 1 s heartbeats into one event', () => {
    const hbs = Array.from({ length: 3_600 }, (_, i) => ev(i * 1_000, 0));
    expect(mergeHeartbeats(hbs, 1_500)).toEqual([ev(0, 3_599_000)]);
  });

  it('splits on data changes and on gaps longer than the pulse', () => {
    const hbs = [
      ev(0, 0),
      ev(1_000, 0),
      ev(2_000, 0, browser),
      ev(3_000, 0, browser),
      ev(4_000, 0),
      ev(20_000, 0), // gap of 16 s > pulse
      ev(21_000, 500),
    ];
    expect(mergeHeartbeats(hbs, 2_000)).toEqual([
      ev(0, 1_000),
      ev(2_000, 1_000, browser),
      ev(4_000, 0),
      ev(20_000, 1_500),
    ]);
  });

  it('gives the same events for shuffled input as for sorted input', () => {
    const sorted = [ev(0, 0), ev(1_000, 0), ev(2_000, 0, browser), ev(9_000, 0), ev(10_000, 0)];
    const shuffled = [sorted[3]!, sorted[0]!, sorted[4]!, sorted[2]!, sorted[1]!];
    expect(mergeHeartbeats(shuffled, 1_500)).toEqual(mergeHeartbeats(sorted, 1_500));
    expect(mergeHeartbeats(sorted, 1_500)).toEqual([ev(0, 1_000), ev(2_000, 0, browser), ev(9_000, 1_000)]);
  });

  it('does not reorder or mutate the caller array', () => {
    const hbs = [ev(2_000, 0), ev(0, 0)];
    mergeHeartbeats(hbs, 5_000);
    expect(hbs).toEqual([ev(2_000, 0), ev(0, 0)]);
  });

  it('throws on a bad heartbeat anywhere in the batch', () => {
    expect(() => mergeHeartbeats([ev(0, 0), ev(1_000, -1)], 5_000)).toThrow(RangeError);
  });
});

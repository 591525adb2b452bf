import { describe, it, expect, vi, afterEach } from 'vitest';
import { ReplicaRepublisher, REPUBLISH_DELAY_MS } from './replica-republish.js';
import type { DeviceKeys } from './record-opening.js';
import type { Unlocked } from './unlocked-session.js';

afterEach(() => {
  vi.useRealTimers();
});

function setup(unlocked: boolean) {
  const dropped: Array<[string, number[]]> = [];
  const invalidated: string[][] = [];
  const u = {
    index: {
      invalidateHours: (e: string, hours: Set<number>) => void dropped.push([e, [...hours].sort()]),
      invalidate: (people: Iterable<string>) => void invalidated.push([...people]),
    },
  } as unknown as Unlocked;
  const refreshed: string[][] = [];
  const published: boolean[] = [];
  const failures: unknown[] = [];
  let current: Unlocked | null = unlocked ? u : null;
  let refreshResult: () => Promise<void> = () => Promise.resolve();
  const r = new ReplicaRepublisher({
    current: () => current,
    refresh: (_u, people) => {
      refreshed.push([...people].sort());
      return refreshResult();
    },
    publishAll: (syncOnly) => void published.push(syncOnly),
    fail: (err) => void failures.push(err),
  });
  return {
    r,
    dropped,
    invalidated,
    refreshed,
    published,
    failures,
    lock: () => (current = null),
    /** The next refresh fails when `fail` is called. */
    holdNextRefresh: () => {
      let fail!: (err: Error) => void;
      refreshResult = () => new Promise<void>((_, reject) => (fail = reject));
      return (err: Error) => fail(err);
    },
  };
}

// ann's device d1 is known, bob is known with no devices yet (null: none readable), cat is new
const devices: ReadonlyMap<string, DeviceKeys> = new Map<string, DeviceKeys>([
  ['ann', new Map([['d1', {}]]) as unknown as DeviceKeys],
  ['bob', null as unknown as DeviceKeys],
]);

describe('ReplicaRepublisher', () => {
  it('turns a burst of rows into one re-publish that drops only the touched hours and reads only new people', async () => {
    vi.useFakeTimers();
    const t = setup(true);
    t.r.noteRow({ employeeId: 'ann', deviceId: 'd1', hour: 10 }, devices);
    t.r.schedule();
    t.r.noteRow({ employeeId: 'ann', deviceId: 'd1', hour: 11 }, devices);
    t.r.noteRow({ employeeId: 'bob', deviceId: 'd9', hour: 11 }, devices);
    t.r.noteRow({ employeeId: 'cat', deviceId: 'd2', hour: 12 }, devices);
    t.r.noteRow({ employeeId: 'ann', deviceId: 'd7', hour: 10 }, devices); // a device not known yet
    t.r.schedule();
    await vi.advanceTimersByTimeAsync(REPUBLISH_DELAY_MS - 1);
    expect(t.published).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await t.r.settled();
    expect(t.dropped).toEqual([
      ['ann', [10, 11]],
      ['bob', [11]],
      ['cat', [12]],
    ]);
    expect(t.refreshed).toEqual([['ann', 'cat']]);
    expect(t.invalidated).toEqual([['cat', 'ann']]);
    expect(t.published).toEqual([false]);
    // nothing new since: the next run publishes the sync status only
    t.r.schedule();
    await vi.advanceTimersByTimeAsync(REPUBLISH_DELAY_MS);
    expect(t.published).toEqual([false, true]);
    expect(t.refreshed).toHaveLength(1);
  });

  it('known people on known devices are not read again, yet their views are re-published', async () => {
    vi.useFakeTimers();
    const t = setup(true);
    t.r.noteRow({ employeeId: 'ann', deviceId: 'd1', hour: 3 }, devices);
    t.r.schedule();
    await vi.advanceTimersByTimeAsync(REPUBLISH_DELAY_MS);
    await t.r.settled();
    expect(t.refreshed).toEqual([]);
    expect(t.dropped).toEqual([['ann', [3]]]);
    expect(t.published).toEqual([false]);
  });

  it('reports a failed refresh while unlocked, and stays quiet about one that a lock overtook', async () => {
    vi.useFakeTimers();
    const t = setup(true);
    const fail = t.holdNextRefresh();
    t.r.noteRow({ employeeId: 'cat', deviceId: 'd2', hour: 1 }, devices);
    t.r.schedule();
    await vi.advanceTimersByTimeAsync(REPUBLISH_DELAY_MS);
    fail(new Error('directory unreadable'));
    await t.r.settled();
    expect(t.failures).toHaveLength(1);
    expect(t.published).toEqual([]);

    const q = setup(true);
    const failLater = q.holdNextRefresh();
    q.r.noteRow({ employeeId: 'cat', deviceId: 'd2', hour: 1 }, devices);
    q.r.schedule();
    await vi.advanceTimersByTimeAsync(REPUBLISH_DELAY_MS);
    expect(q.refreshed).toEqual([['cat']]);
    q.lock();
    failLater(new Error('store closed under it'));
    await q.r.settled();
    expect(q.failures).toEqual([]);
  });

  it('locked: publishes the sync status only and keeps the noted rows; cancel stops a scheduled run', async () => {
    vi.useFakeTimers();
    const t = setup(false);
    t.r.noteRow({ employeeId: 'cat', deviceId: 'd2', hour: 1 }, devices);
    t.r.schedule();
    await vi.advanceTimersByTimeAsync(REPUBLISH_DELAY_MS);
    expect(t.published).toEqual([true]);
    expect(t.refreshed).toEqual([]);
    t.r.schedule();
    t.r.cancel();
    await vi.advanceTimersByTimeAsync(REPUBLISH_DELAY_MS * 4);
    expect(t.published).toEqual([true]);
  });
});

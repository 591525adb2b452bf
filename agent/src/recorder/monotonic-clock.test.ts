// The record clock against scripted time sources: sleep is followed, clock
// changes are reported and not followed, restarts within a boot keep the anchor.
import { describe, expect, it } from 'vitest';
import { MonotonicClock, linuxBootClock, type BootClock, type TimeSources } from './monotonic-clock.js';

function fakeTime(start = 1_764_000_000_000) {
  const t = { wall: start, mono: 5_000, boot: 100_000 as number | undefined, bootId: 'boot-a' };
  const sources: TimeSources = {
    wallMs: () => t.wall,
    monoMs: () => t.mono,
    boot: (): BootClock | undefined => (t.boot === undefined ? undefined : { id: t.bootId, ms: t.boot }),
  };
  /** Time passes while awake: every clock moves. */
  const pass = (ms: number) => {
    t.wall += ms;
    t.mono += ms;
    if (t.boot !== undefined) t.boot += ms;
  };
  return { t, sources, pass };
}

describe('MonotonicClock', () => {
  it('ignores a clock set back or forward and reports each change once', () => {
    const { t, sources, pass } = fakeTime();
    const clock = new MonotonicClock(sources);
    const start = clock.now();
    pass(10_000);
    expect(clock.check()).toBeUndefined();
    t.wall -= 3_600_000;
    const back = clock.check();
    expect(back).toMatchObject({ kind: 'backward', followed: false, offsetMs: -3_600_000 });
    expect(clock.check()).toBeUndefined(); // the standing offset is not a new jump
    pass(1000);
    expect(clock.now()).toBe(start + 11_000);
    t.wall += 7_200_000;
    expect(clock.check()).toMatchObject({ kind: 'forward', followed: false, offsetMs: 3_600_000 });
    expect(clock.now()).toBe(start + 11_000);
  });

  it('counts time asleep when a suspend-aware boot clock exists, without an alert', () => {
    const { t, sources, pass } = fakeTime();
    const clock = new MonotonicClock(sources);
    const start = clock.now();
    pass(1000);
    // suspended for an hour: wall and boot clocks move, the monotonic one does not
    t.wall += 3_600_000;
    t.boot! += 3_600_000;
    expect(clock.check()).toBeUndefined();
    expect(clock.now()).toBe(start + 3_601_000);
  });

  it('follows forward jumps (reported) where no boot clock exists, never backward ones', () => {
    const { t, sources, pass } = fakeTime();
    t.boot = undefined;
    const clock = new MonotonicClock(sources);
    const start = clock.now();
    t.wall += 3_600_000; // maybe sleep
    const j = clock.check();
    expect(j).toMatchObject({ kind: 'forward', followed: true });
    expect(clock.now()).toBe(start + 3_600_000);
    pass(1000);
    t.wall -= 600_000;
    expect(clock.check()).toMatchObject({ kind: 'backward', followed: false });
    expect(clock.now()).toBe(start + 3_601_000);
  });

  it('catches a clock changed while the agent was stopped within the same boot', () => {
    const { t, sources, pass } = fakeTime();
    const first = new MonotonicClock(sources);
    const anchor = first.anchor();
    const expected = first.now() + 120_000;
    pass(120_000); // agent stopped two minutes
    t.wall -= 86_400_000; // and the clock set back a day meanwhile
    const second = new MonotonicClock(sources, anchor, 0);
    expect(second.startJumps).toMatchObject([{ kind: 'changed-while-stopped', offsetMs: -86_400_000 }]);
    expect(second.now()).toBe(expected);
    expect(second.check()).toBeUndefined();
  });

  it('never starts behind the last record, even after a reboot with a clock set back', () => {
    const { t, sources } = fakeTime();
    t.bootId = 'boot-b';
    const lastRecorded = t.wall + 3_600_000;
    const clock = new MonotonicClock(sources, { wallMs: t.wall, bootId: 'boot-a', bootMs: 50 }, lastRecorded);
    expect(clock.startJumps).toMatchObject([{ kind: 'behind-last-record' }]);
    expect(clock.now()).toBe(lastRecorded);
  });

  it('reads a real boot clock on Linux', () => {
    if (process.platform !== 'linux') return;
    const a = linuxBootClock();
    expect(a?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a!.ms).toBeGreaterThan(0);
  });
});

import { describe, it, expect } from 'vitest';
import { validatePayload } from '@sealtime/shared';
import type { InputSecond } from '../input/input-protocol.js';
import { ClockJumpDetector, HeartbeatGapDetector } from './clock-watch.js';
import {
  DEFAULT_REGULARITY,
  detectConstantRate,
  detectPeriodicInput,
  InputRegularityMonitor,
} from './input-regularity.js';
import { inputGapFlag, toIntegrityAlert } from './integrity-flag.js';
import { coefficientOfVariation } from './statistics.js';
import { seededRandom } from '../../../../test-support/seeded-random.js';

const T0 = 1_800_000_000_000;

const seeded = seededRandom;

const s = (at: number, c: Partial<Omit<InputSecond, 'at'>> = {}): InputSecond => ({
  at,
  keyPresses: 0,
  clicks: 0,
  mouseMoves: 0,
  scrolls: 0,
  ...c,
});

/** Seconds of a human at work: bursts of typing and mousing with pauses of varying length. */
function human(seed: number, seconds: number): InputSecond[] {
  const rnd = seeded(seed);
  const out: InputSecond[] = [];
  let t = T0;
  while (out.length < seconds) {
    t += 1000 + (rnd() < 0.3 ? Math.floor(rnd() * 20) * 1000 : 0);
    const typing = rnd() < 0.5;
    out.push(
      s(
        t,
        typing
          ? { keyPresses: 1 + Math.floor(rnd() * 8) }
          : { mouseMoves: 1 + Math.floor(rnd() * 60), clicks: rnd() < 0.2 ? 1 : 0 },
      ),
    );
  }
  return out;
}

describe('synthetic input', () => {
  it('flags a jiggler nudging the mouse every 30 s, even with one-second jitter', () => {
    const exact = Array.from({ length: 12 }, (_, i) => s(T0 + i * 30_000, { mouseMoves: 2 }));
    expect(detectPeriodicInput(exact)?.detail).toMatch(/every 30\.0 s .* mouse jiggler/);
    const jitter = Array.from({ length: 12 }, (_, i) => s(T0 + i * 30_000 + (i % 2) * 1000, { mouseMoves: 2 }));
    expect(detectPeriodicInput(jitter)).toBeDefined();
  });

  it('flags an auto-clicker, a per-second jiggler and a key repeater by their constant rates', () => {
    const clicker = Array.from({ length: 40 }, (_, i) => s(T0 + i * 1000, { clicks: i % 7 === 0 ? 11 : 10 }));
    expect(detectConstantRate(clicker)?.detail).toMatch(/10\.\d clicks\/s for 30 s .*auto-clicker/);
    const jiggler = Array.from({ length: 40 }, (_, i) => s(T0 + i * 1000, { mouseMoves: 2 }));
    expect(detectConstantRate(jiggler)?.detail).toMatch(/mouse jiggler/);
    const repeater = Array.from({ length: 40 }, (_, i) => s(T0 + i * 1000, { keyPresses: 25 }));
    expect(detectConstantRate(repeater)?.detail).toMatch(/key repeater/);
  });

  it('leaves people alone: varied spacing and counts over hours of simulated work', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const m = new InputRegularityMonitor();
      const flags = human(seed, 3000)
        .map((x) => m.add(x))
        .filter(Boolean);
      expect(flags, `seed ${seed}`).toEqual([]);
    }
    // continuous mousing: every second active, counts vary
    const rnd = seeded(99);
    const mousing = Array.from({ length: 120 }, (_, i) => s(T0 + i * 1000, { mouseMoves: 5 + Math.floor(rnd() * 80) }));
    expect(detectConstantRate(mousing)).toBeUndefined();
    expect(detectPeriodicInput(mousing)).toBeUndefined(); // 1 s spacing is continuous use, not a period
  });

  it('needs a long enough run, and a run broken by a pause starts over', () => {
    const short = Array.from({ length: 29 }, (_, i) => s(T0 + i * 1000, { clicks: 10 }));
    expect(detectConstantRate(short)).toBeUndefined();
    const broken = [...short, ...Array.from({ length: 10 }, (_, i) => s(T0 + 60_000 + i * 1000, { clicks: 10 }))];
    expect(detectConstantRate(broken)).toBeUndefined();
  });

  it('monitor flags once per cool-down with the pattern period', () => {
    const m = new InputRegularityMonitor({ cooldownMs: 120_000 });
    const flags = Array.from({ length: 200 }, (_, i) => m.add(s(T0 + i * 1000, { clicks: 10 }))).filter(
      (f) => f !== undefined,
    );
    expect(flags).toHaveLength(2); // at 30 s and after the 120 s cool-down
    expect(flags[0]).toMatchObject({
      kind: 'synthetic-input',
      issue: 'dropped-capture',
      start: T0 - 1000,
      end: T0 + 29_000,
    });
    expect(DEFAULT_REGULARITY.cooldownMs).toBe(600_000);
  });

  it('computes the coefficient of variation', () => {
    expect(coefficientOfVariation([2, 2, 2])).toBe(0);
    expect(coefficientOfVariation([1, 3])).toBeCloseTo(0.5);
    expect(coefficientOfVariation([5])).toBeNaN();
    expect(coefficientOfVariation([0, 0])).toBeNaN();
  });
});

describe('process suspension and clock jumps', () => {
  it('flags a heartbeat that came late on the monotonic clock', () => {
    const h = new HeartbeatGapDetector(1000, 5000);
    expect(h.beat({ wallMs: T0, monoMs: 0 })).toBeUndefined();
    expect(h.beat({ wallMs: T0 + 1000, monoMs: 1000 })).toBeUndefined();
    expect(h.beat({ wallMs: T0 + 6900, monoMs: 6900 })).toBeUndefined(); // 4.9 s late: within tolerance
    const flag = h.beat({ wallMs: T0 + 20_000, monoMs: 20_000 });
    expect(flag).toMatchObject({
      kind: 'process-suspended',
      issue: 'dropped-capture',
      start: T0 + 6900,
      end: T0 + 20_000,
    });
    expect(flag?.detail).toContain('did not run for 13 s');
  });

  it('tells clock changes from system sleep and ignores slewing', () => {
    const c = new ClockJumpDetector(2000);
    expect(c.sample({ wallMs: T0, monoMs: 0, bootMs: 0 })).toBeUndefined();
    expect(c.sample({ wallMs: T0 + 1001, monoMs: 1000, bootMs: 1000 })).toBeUndefined(); // NTP slew
    const fwd = c.sample({ wallMs: T0 + 3_602_001, monoMs: 2000, bootMs: 2000 });
    expect(fwd).toMatchObject({
      type: 'clock-jump',
      offsetMs: 3_600_000,
      flag: { kind: 'clock-jump', issue: 'clock-jump' },
    });
    expect(fwd?.type === 'clock-jump' && fwd.flag.detail).toContain('jumped forward by 3600 s');
    const back = c.sample({ wallMs: T0 + 3_482_001, monoMs: 3000, bootMs: 3000 });
    expect(back?.type === 'clock-jump' && back.flag.detail).toContain('went back by 121 s');
    // lid closed for ten minutes: wall and boot clocks moved, the monotonic one did not
    expect(c.sample({ wallMs: T0 + 4_082_001, monoMs: 3500, bootMs: 603_500 })).toEqual({
      type: 'system-sleep',
      start: T0 + 3_482_001,
      end: T0 + 4_082_001,
    });
    // without a boot clock a forward jump cannot be told from sleep: reported
    const noBoot = new ClockJumpDetector();
    noBoot.sample({ wallMs: T0, monoMs: 0 });
    expect(noBoot.sample({ wallMs: T0 + 600_000, monoMs: 1000 })?.type).toBe('clock-jump');
  });

  it('turns flags and input gaps into valid integrity alerts', () => {
    const gap = inputGapFlag({
      start: T0,
      end: T0 + 4200,
      recovered: true,
      attempts: 1,
      reason: 'input hook killed by SIGKILL',
    });
    expect(gap).toMatchObject({ kind: 'capture-gap', issue: 'dropped-capture', start: T0, end: T0 + 4200 });
    const alert = toIntegrityAlert(gap, 'dev-1');
    expect(alert.detail).toMatch(
      /^capture-gap: input capture was down for 4 s \(input hook killed by SIGKILL\); restarted after 1 attempt/,
    );
    expect(validatePayload('integrity-alert', alert)).toMatchObject({ ok: true });
    const long = toIntegrityAlert({ ...gap, detail: 'x'.repeat(5000) }, 'dev-1');
    expect(long.detail.length).toBe(2000);
  });
});

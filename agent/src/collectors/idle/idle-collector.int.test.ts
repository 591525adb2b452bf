// Idle detection fed by the real input hook under Xvfb.
import { describe, it, expect } from 'vitest';
import { validatePayload, type IdlePeriodPayload } from '@sealtime/shared';
import { startDisplay } from '../../../../test-support/xvfb.js';
import { xdotool } from '../../../../test-support/x11.js';
import { InputCollector } from '../input/input-collector.js';
import { IdleCollector } from './idle-collector.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IdleCollector with real input', () => {
  it('opens an idle period after the threshold without input and closes it when input returns', async () => {
    const x = await startDisplay();
    const periods: IdlePeriodPayload[] = [];
    const opened: number[] = [];
    // thresholds below the policy minimum are fine for the collector itself: 2 s keeps the test short
    const idle = new IdleCollector({
      policy: { enabled: true, thresholdSeconds: 2 },
      onPeriod: (p) => void periods.push(p),
      onIdleStart: (s) => void opened.push(s),
      checkIntervalMs: 100,
    });
    const input = new InputCollector({
      slotSeconds: 60,
      env: x.env,
      onSlot: () => undefined,
      onSecond: (s) => idle.input(s),
    });
    try {
      expect(await input.start()).toBe(true);
      idle.start();
      await xdotool(x.env, 'mousemove', '10', '10', 'mousemove', '30', '30');
      const lastInput = Date.now();
      await sleep(3500);
      expect(opened).toHaveLength(1);
      expect(Math.abs(opened[0]! - lastInput)).toBeLessThan(1500);
      expect(periods).toEqual([]);
      const back = Date.now();
      await xdotool(x.env, 'click', '1');
      await sleep(1500);
      expect(periods).toHaveLength(1);
      const p = periods[0]!;
      expect(p).toMatchObject({ v: 1, cause: 'no-input', decision: 'pending', start: opened[0] });
      expect(p.end).toBeGreaterThanOrEqual(back - 1000);
      expect(p.end).toBeLessThan(back + 1500);
      // per-second input: start may be up to 1 s late, end up to 1 s early (idle is never overstated)
      expect(p.end - p.start).toBeGreaterThanOrEqual(3500 - 2000 - 200);
      expect(p.end - p.start).toBeLessThanOrEqual(back - lastInput);
      expect(validatePayload('idle-period', p)).toMatchObject({ ok: true });
    } finally {
      await idle.stop();
      await input.stop();
      await x.stop();
    }
  });
});

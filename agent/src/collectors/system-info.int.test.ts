import { describe, it, expect } from 'vitest';
import { hostname } from 'node:os';
import { validatePayload, type DeviceInfoPayload } from '@sealtime/shared';
import { startDisplay } from '../../../test-support/xvfb.js';
import { AGENT_VERSION } from '../version.js';
import { collectDeviceInfo, SystemInfoCollector } from './system-info.js';

describe('device info', () => {
  it('reads the real machine, with the screen count of the real display', async () => {
    const x = await startDisplay();
    const prev = process.env.DISPLAY;
    process.env.DISPLAY = x.display; // systeminformation runs xrandr with process.env
    try {
      const info = await collectDeviceInfo();
      expect(info.ok).toBe(true);
      if (!info.ok) return;
      expect(info.value).toMatchObject({
        v: 1,
        hostname: hostname(),
        platform: 'linux',
        agentVersion: AGENT_VERSION,
        screens: 1,
      });
      expect(info.value.osVersion).toMatch(/kernel/);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: info.value.timeZone })).not.toThrow();
      expect(validatePayload('device-info', info.value)).toMatchObject({ ok: true });
    } finally {
      if (prev === undefined) delete process.env.DISPLAY;
      else process.env.DISPLAY = prev;
      await x.stop();
    }
  });

  it('takes the screen count from a given source and clamps it; refuses unknown platforms', async () => {
    expect(await collectDeviceInfo({ screens: async () => 3, timeZone: 'Europe/Berlin' })).toMatchObject({
      ok: true,
      value: { screens: 3, timeZone: 'Europe/Berlin' },
    });
    expect(await collectDeviceInfo({ screens: async () => 99 })).toMatchObject({ ok: true, value: { screens: 16 } });
    expect(
      await collectDeviceInfo({
        screens: async () => {
          throw new Error('no xrandr');
        },
      }),
    ).toMatchObject({ ok: true, value: { screens: 0 } });
    expect(await collectDeviceInfo({ platform: 'aix' })).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('emits at start and then on its interval', async () => {
    const got: DeviceInfoPayload[] = [];
    const c = new SystemInfoCollector({ onInfo: (i) => void got.push(i), screens: async () => 1, intervalMs: 300 });
    await c.start();
    expect(got).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 750));
    await c.stop();
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(got.length).toBeLessThanOrEqual(4);
  });
});

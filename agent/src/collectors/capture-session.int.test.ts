// The whole capture under one policy, on a real display, with live policy changes.
import { describe, it, expect } from 'vitest';
import {
  DEFAULT_POLICY,
  validatePayload,
  type ActivitySlotPayload,
  type AppEventPayload,
  type CapturePolicy,
  type DeviceInfoPayload,
  type IdlePeriodPayload,
} from '@sealtime/shared';
import { startDisplay } from '../../../test-support/xvfb.js';
import { openXterm, xdotool } from '../../../test-support/x11.js';
import type { IntegrityFlag } from './anti-bypass/integrity-flag.js';
import { CaptureSession } from './capture-session.js';
import type { CollectorError } from './collector-types.js';
import type { CapturedScreenshot } from './screenshot/screenshot-collector.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function policy(patch: (p: CapturePolicy) => void): CapturePolicy {
  const p = structuredClone(DEFAULT_POLICY) as CapturePolicy;
  patch(p);
  return p;
}

describe('CaptureSession under Xvfb', () => {
  it('runs what the policy switches on and follows policy changes without a restart', async () => {
    const x = await startDisplay();
    const prevDisplay = process.env.DISPLAY;
    process.env.DISPLAY = x.display; // get-windows, xprop and screenshot-desktop use process.env
    const got = {
      slots: [] as ActivitySlotPayload[],
      apps: [] as AppEventPayload[],
      idle: [] as IdlePeriodPayload[],
      shots: [] as CapturedScreenshot[],
      info: [] as DeviceInfoPayload[],
      flags: [] as IntegrityFlag[],
      errors: [] as [CollectorError, string][],
    };
    const first = policy((p) => {
      p.activity.slotSeconds = 60;
      p.appTracking.titles = true;
      p.screenshots.enabled = true;
      p.screenshots.perHour = 60;
      p.screenshots.blur = false;
    });
    const session = new CaptureSession({
      policy: first,
      env: x.env,
      sinks: {
        activitySlot: (s) => void got.slots.push(s),
        appEvent: (e) => void got.apps.push(e),
        idlePeriod: (i) => void got.idle.push(i),
        screenshot: (s) => void got.shots.push(s),
        deviceInfo: (d) => void got.info.push(d),
        integrity: (f) => void got.flags.push(f),
      },
      onError: (e, source) => void got.errors.push([e, source]),
      screenshots: { intervalMs: 500 },
      windowIntervalMs: 200,
    });
    const term = await openXterm(x.env, { title: 'budget-2027.ods' });
    try {
      await term.activate();
      // clicks land inside the xterm: a click on the bare root would take the focus away
      await xdotool(x.env, 'mousemove', '100', '100');
      await session.start();
      expect(session.state).toEqual({ input: true, window: true, screenshots: true, idle: true });
      expect(got.info).toHaveLength(1);
      await xdotool(x.env, 'click', '--repeat', '6', '--delay', '50', '1');
      await sleep(1600);
      expect(got.shots.length).toBeGreaterThanOrEqual(1);
      expect(got.shots.every((s) => s.meta.app === 'XTerm')).toBe(true);

      // admin switches screenshots and titles off, and activity too (idle stays on)
      await session.updatePolicy(
        policy((p) => {
          p.activity.enabled = false;
          p.appTracking.titles = false;
          p.screenshots.enabled = false;
        }),
      );
      expect(session.state).toEqual({ input: true, window: true, screenshots: false, idle: true });
      // a round in flight finished before updatePolicy resolved; none after it
      const shotsBefore = got.shots.length;
      const hook = session.inputChildPid;
      await xdotool(x.env, 'click', '--repeat', '3', '--delay', '50', '1');
      await sleep(1500);
      expect(got.shots.length).toBe(shotsBefore);

      // idle off as well: the hook has no reason to run
      await session.updatePolicy(
        policy((p) => {
          p.activity.enabled = false;
          p.idle.enabled = false;
          p.appTracking.enabled = false;
          p.screenshots.enabled = false;
        }),
      );
      expect(session.state).toEqual({ input: false, window: false, screenshots: false, idle: false });
      // on X11 the hook runs in this process (RECORD, no pid); a uiohook child must be gone
      expect(session.inputChildPid).toBeUndefined();
      if (hook !== undefined) expect(() => process.kill(hook, 0)).toThrow();
      await session.stop();
    } finally {
      await session.stop();
      await term.close();
      if (prevDisplay === undefined) delete process.env.DISPLAY;
      else process.env.DISPLAY = prevDisplay;
      await x.stop();
    }

    // the slot handed out when activity went off holds the clicks from before; the later ones are dropped
    expect(got.slots.reduce((n, s) => n + s.clicks, 0)).toBe(6);
    // while slots were on, app usage (with the title, allowed then) rode in them: no app event for it
    expect(got.slots.length).toBeGreaterThanOrEqual(1);
    for (const s of got.slots) expect(validatePayload('activity-slot', s)).toMatchObject({ ok: true });
    const inSlots = got.slots.flatMap((s) => s.apps ?? []);
    expect(got.slots.every((s) => s.v === 2 && s.apps !== undefined)).toBe(true);
    expect(inSlots.every((a) => a.app === 'XTerm' && a.title === 'budget-2027.ods')).toBe(true);
    expect(inSlots.reduce((n, a) => n + a.seconds, 0)).toBeGreaterThanOrEqual(1);
    expect(got.apps.filter((a) => a.title !== undefined)).toEqual([]);
    // activity off, app tracking on: app events, without the title now switched off
    expect(got.apps.filter((a) => a.app === 'XTerm' && a.durationMs > 0).length).toBeGreaterThanOrEqual(1);
    for (const a of got.apps) expect(validatePayload('app-event', a)).toMatchObject({ ok: true });
    expect(validatePayload('device-info', got.info[0])).toMatchObject({ ok: true });
    expect(got.flags).toEqual([]);
    expect(got.errors).toEqual([]);
    expect(got.idle).toEqual([]);
  }, 60_000);
});

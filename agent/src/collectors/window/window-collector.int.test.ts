import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { validatePayload, type AppEventPayload } from '@sealtime/shared';
import { startDisplay, type TestDisplay } from '../../../../test-support/xvfb.js';
import { openXterm, xdotool, type TestWindow } from '../../../../test-support/x11.js';
import { getWindowsSampler } from './active-window.js';
import { WindowCollector } from './window-collector.js';
import { childCommands } from '../../../../test-support/child-processes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REPORT = 'Quarterly report – draft ✓';
const INBOX = 'Inbox (3) – salaries';

describe('WindowCollector under Xvfb + openbox', () => {
  let x: TestDisplay;
  let report: TestWindow;
  let inbox: TestWindow;
  const prevDisplay = process.env.DISPLAY;

  beforeAll(async () => {
    x = await startDisplay();
    // get-windows runs xprop with process.env: point this test process at the display
    process.env.DISPLAY = x.display;
    report = await openXterm(x.env, { title: REPORT, geometry: '60x10+0+0' });
    inbox = await openXterm(x.env, { title: INBOX, geometry: '60x10+0+300' });
  });
  afterAll(async () => {
    if (prevDisplay === undefined) delete process.env.DISPLAY;
    else process.env.DISPLAY = prevDisplay;
    await report?.close();
    await inbox?.close();
    await x?.stop();
  });

  it('reads app and title of the real focused xterm', async () => {
    await report.activate();
    const sample = await getWindowsSampler();
    expect(sample).toMatchObject({ app: 'XTerm', title: REPORT });
    expect(sample?.path).toMatch(/xterm$/);
  });

  it('merges a second of samples per window into app events with titles', async () => {
    const events: AppEventPayload[] = [];
    const c = new WindowCollector({
      policy: { titles: true, urls: false, pulseSeconds: 5 },
      onEvent: (e) => void events.push(e),
      intervalMs: 200,
    });
    await report.activate();
    c.start();
    expect(c.mode).toBe('watch');
    await sleep(1200);
    await inbox.activate();
    await sleep(1200);
    // watching and sampling run over the X connection: no xprop or xwininfo processes
    expect(childCommands().filter((cmd) => /xprop|xwininfo/.test(cmd))).toEqual([]);
    await c.stop();
    // ~12 ticks, but get-windows ran only at start and after the focus change
    expect(c.samplesTaken).toBeLessThanOrEqual(4);
    const byTitle = (t: string) => events.filter((e) => e.title === t);
    expect(byTitle(REPORT)).toHaveLength(1);
    expect(byTitle(INBOX)).toHaveLength(1);
    expect(byTitle(REPORT)[0]!.durationMs).toBeGreaterThanOrEqual(800);
    expect(byTitle(INBOX)[0]!.durationMs).toBeGreaterThanOrEqual(600);
    expect(byTitle(INBOX)[0]!.start).toBeGreaterThanOrEqual(byTitle(REPORT)[0]!.start + byTitle(REPORT)[0]!.durationMs);
    for (const e of events) {
      expect(e.app).toBe('XTerm');
      expect(validatePayload('app-event', e)).toMatchObject({ ok: true });
    }
  });

  it('notices a title change of the focused window through the watcher', async () => {
    const events: AppEventPayload[] = [];
    const c = new WindowCollector({
      policy: { titles: true, urls: false, pulseSeconds: 5 },
      onEvent: (e) => void events.push(e),
      intervalMs: 200,
    });
    await report.activate();
    c.start();
    await sleep(800);
    // ASCII: xdotool stores the name as Latin-1 STRING
    await xdotool(x.env, 'set_window', '--name', 'Quarterly report - final', report.windowId);
    await sleep(800);
    await c.stop();
    await xdotool(x.env, 'set_window', '--name', REPORT, report.windowId);
    expect(events.map((e) => e.title)).toEqual([REPORT, 'Quarterly report - final']);
    expect(c.samplesTaken).toBeLessThanOrEqual(3);
  });

  it('polls every tick without a watcher', async () => {
    const c = new WindowCollector({
      policy: { titles: true, urls: false, pulseSeconds: 5 },
      onEvent: () => undefined,
      intervalMs: 200,
      watcher: false,
    });
    c.start();
    await sleep(1100);
    await c.stop();
    expect(c.mode).toBe('poll');
    expect(c.samplesTaken).toBeGreaterThanOrEqual(5);
  });

  it('records the app only when titles are off', async () => {
    const events: AppEventPayload[] = [];
    const c = new WindowCollector({
      policy: { titles: false, urls: false, pulseSeconds: 5 },
      onEvent: (e) => void events.push(e),
      intervalMs: 200,
    });
    await report.activate();
    c.start();
    await sleep(700);
    await inbox.activate();
    await sleep(700);
    await c.stop();
    expect(events).toHaveLength(1); // same app, titles unknown: one event
    expect(events[0]).toEqual({ v: 1, start: expect.any(Number), durationMs: expect.any(Number), app: 'XTerm' });
    expect(JSON.stringify(events)).not.toMatch(/Quarterly|Inbox|salaries/);
  });

  // The CPU this saves is measured by `npm run bench:agent` (steady phase), not
  // here: two CPU readings a few ticks apart in a shared test process only
  // compare noise. What makes it cheap is checked instead: how often the
  // window is read, and that no helper process is spawned to read it.
  it('reads the window only on change when watching, every tick when polling, and spawns nothing', async () => {
    const run = async (watcher: false | undefined) => {
      const c = new WindowCollector({
        policy: { titles: true, urls: false, pulseSeconds: 15 },
        onEvent: () => undefined,
        intervalMs: 250,
        watcher,
      });
      c.start();
      const spawned = new Set<string>();
      const spy = setInterval(() => {
        for (const cmd of childCommands()) if (/xprop|xwininfo|xdotool/.test(cmd)) spawned.add(cmd);
      }, 100);
      await sleep(3000);
      clearInterval(spy);
      const mode = c.mode;
      await c.stop();
      return { mode, samples: c.samplesTaken, spawned: [...spawned] };
    };
    await report.activate();
    const poll = await run(false);
    const watch = await run(undefined);
    expect(poll.mode).toBe('poll');
    expect(watch.mode).toBe('watch');
    // 12 ticks in 3 s: polling reads each one, watching only the first (nothing changes)
    expect(poll.samples).toBeGreaterThanOrEqual(8);
    expect(watch.samples).toBeLessThanOrEqual(2);
    expect(poll.spawned).toEqual([]);
    expect(watch.spawned).toEqual([]);
  });
});

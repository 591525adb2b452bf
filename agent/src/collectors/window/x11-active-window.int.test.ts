import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startDisplay, type TestDisplay } from '../../../../test-support/xvfb.js';
import { openXterm, xdotool, type TestWindow } from '../../../../test-support/x11.js';
import { getWindowsSampler } from './active-window.js';
import { X11ActiveWindow } from './x11-active-window.js';
import { childCommands } from '../../../../test-support/child-processes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('X11ActiveWindow under Xvfb + openbox', () => {
  let x: TestDisplay;
  const windows: TestWindow[] = [];
  const prevDisplay = process.env.DISPLAY;

  beforeAll(async () => {
    x = await startDisplay();
    // get-windows runs xprop with process.env: point this test process at the display
    process.env.DISPLAY = x.display;
    windows.push(await openXterm(x.env, { title: 'Quarterly report – draft ✓', geometry: '60x10+0+0' }));
    windows.push(await openXterm(x.env, { title: 'plain ascii = title', geometry: '60x10+0+300' }));
    windows.push(
      await openXterm(x.env, { title: 'Überweisung (Latin-1)', geometry: '40x5+400+0', className: 'Banking' }),
    );
  });
  afterAll(async () => {
    if (prevDisplay === undefined) delete process.env.DISPLAY;
    else process.env.DISPLAY = prevDisplay;
    for (const w of windows) await w.close();
    await x?.stop();
  });

  it('reads what get-windows reads, for every window, without spawning anything', async () => {
    const reader = new X11ActiveWindow(x.env);
    try {
      for (const w of windows) {
        await w.activate();
        const expected = await getWindowsSampler();
        expect(expected?.title).toBe(w.title);
        const spawnedBefore = childCommands().length;
        const got = await reader.sample();
        expect(childCommands()).toHaveLength(spawnedBefore);
        expect(got).toEqual(expected);
      }
      // a title set by another client later (xdotool writes WM_NAME as STRING, and no _NET_WM_NAME change)
      await xdotool(x.env, 'set_window', '--name', 'renamed - now', windows[1]!.windowId);
      await windows[1]!.activate();
      expect(await reader.sample()).toEqual(await getWindowsSampler());
    } finally {
      reader.stop();
      await xdotool(x.env, 'set_window', '--name', windows[1]!.title, windows[1]!.windowId);
    }
  });

  it('reports focus switches and title changes of the focused window, and only those', async () => {
    const reader = new X11ActiveWindow(x.env);
    let changes = 0;
    const dead: string[] = [];
    await windows[0]!.activate();
    reader.start(
      () => (changes += 1),
      (r) => dead.push(r),
    );
    try {
      await sleep(500);
      changes = 0;
      await windows[1]!.activate();
      await sleep(400);
      expect(changes).toBeGreaterThanOrEqual(1);
      // the watcher follows the new foreground's title
      changes = 0;
      await xdotool(x.env, 'set_window', '--name', 'second, renamed', windows[1]!.windowId);
      await sleep(400);
      expect(changes).toBeGreaterThanOrEqual(1);
      // a title change of a window in the background is not a foreground change
      changes = 0;
      await xdotool(x.env, 'set_window', '--name', 'background rename', windows[0]!.windowId);
      await sleep(400);
      expect(changes).toBe(0);
      expect((await reader.sample())?.title).toBe('second, renamed');
      expect(dead).toEqual([]);
      expect(childCommands().filter((c) => /xprop|xwininfo/.test(c))).toEqual([]);
    } finally {
      reader.stop();
      await xdotool(x.env, 'set_window', '--name', windows[0]!.title, windows[0]!.windowId);
      await xdotool(x.env, 'set_window', '--name', windows[1]!.title, windows[1]!.windowId);
    }
  });

  it('a display that goes away: the watcher reports it dead, samples fail instead of hanging', async () => {
    const doomed = await startDisplay({ width: 640, height: 480 });
    const w = await openXterm(doomed.env, { title: 'short-lived', geometry: '20x5+0+0' });
    await w.activate();
    const reader = new X11ActiveWindow(doomed.env);
    try {
      expect((await reader.sample())?.title).toBe('short-lived');
      const dead = new Promise<string>((resolve) => reader.start(() => undefined, resolve));
      await sleep(300);
      await doomed.stop();
      expect(await dead).toMatch(/closed|X error/);
      const t = Date.now();
      await expect(reader.sample()).rejects.toThrow();
      expect(Date.now() - t).toBeLessThan(5000);
    } finally {
      reader.stop();
      await w.close();
      await doomed.stop();
    }
  });

  it('says the display is gone as a typed failure, and the watcher reports it dead', async () => {
    const reader = new X11ActiveWindow({ ...x.env, DISPLAY: ':4093' });
    await expect(reader.sample()).rejects.toThrow(/4093|connect|ENOENT|ECONNREFUSED/i);
    const dead = await new Promise<string>((resolve) => reader.start(() => undefined, resolve));
    expect(dead).toMatch(/cannot connect/);
    reader.stop();
  });
});

import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startDisplay } from './xvfb.js';
import { openXterm, xdotool } from './x11.js';

const execFileP = promisify(execFile);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startDisplay', () => {
  it('starts two independent displays with a window manager and stops them idempotently', async () => {
    const [a, b] = await Promise.all([
      startDisplay({ width: 640, height: 480 }),
      startDisplay({ width: 800, height: 600 }),
    ]);
    try {
      expect(a.display).toMatch(/^:\d+$/);
      expect(b.display).not.toBe(a.display);
      const { stdout } = await execFileP('xrandr', ['--current'], { env: a.env });
      expect(stdout).toContain('current 640 x 480');
      const wm = await execFileP('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], { env: b.env });
      expect(wm.stdout).toMatch(/window id/);

      const win = await openXterm(a.env, { title: 'display-helper-probe' });
      await win.activate();
      expect((await xdotool(a.env, 'getactivewindow')).trim()).toBe(win.windowId);
      // the window lives on display a only
      await expect(xdotool(b.env, 'search', '--name', '^display-helper-probe$')).rejects.toThrow();
      await win.close();
      expect(alive(win.pid)).toBe(false);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    await a.stop(); // second call is a no-op
    await expect(execFileP('xrandr', ['--current'], { env: a.env })).rejects.toThrow();
  });
});

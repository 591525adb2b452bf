/**
 * A private X display for the steady-state run: Xvfb on a display number it
 * picks itself (-displayfd), openbox (the window collector needs a window
 * manager for _NET_ACTIVE_WINDOW) and a few xterms to switch between, plus
 * xdotool for synthetic input. The same recipe as test-support/xvfb.ts, which
 * bench/ cannot import (the layer rule lets benches reach the apps by package
 * name only); these processes are the bench's children, never the agent's, so
 * their CPU is not counted.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';

const execFileP = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BenchDisplay {
  display: string;
  env: NodeJS.ProcessEnv;
  windows: string[];
  xdotool(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await sleep(50);
  }
}

function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => c.kill('SIGKILL'), 3000);
    c.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    c.kill('SIGTERM');
  });
}

export async function startBenchDisplay(xterms = 2): Promise<BenchDisplay> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of [...children].reverse()) await stopChild(c);
  };
  process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  try {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp', '-noreset'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    children.push(xvfb);
    const n = await new Promise<string>((resolve, reject) => {
      const fd3 = xvfb.stdio[3] as Readable;
      let buf = '';
      const t = setTimeout(() => reject(new Error('Xvfb did not report a display within 15 s')), 15_000);
      fd3.on('data', (c: Buffer) => {
        buf += c.toString();
        if (buf.includes('\n')) {
          clearTimeout(t);
          fd3.destroy();
          resolve(buf.trim());
        }
      });
      xvfb.once('error', (e) => reject(new Error(`cannot start Xvfb: ${e.message}`)));
      xvfb.once('exit', (code) => reject(new Error(`Xvfb exited early (code ${code})`)));
    });
    const display = `:${n}`;
    const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
    delete env.WAYLAND_DISPLAY;
    const xdotool = async (...args: string[]) => (await execFileP('xdotool', args, { env, timeout: 30_000 })).stdout;

    children.push(spawn('openbox', ['--sm-disable'], { env, stdio: 'ignore' }));
    await until('openbox', 15_000, async () =>
      /window id # 0x/i.test((await execFileP('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], { env })).stdout),
    );

    const windows: string[] = [];
    for (let i = 0; i < xterms; i++) {
      const title = `bench-window-${i}`;
      children.push(
        spawn('xterm', ['-T', title, '-geometry', `80x24+${40 + i * 300}+40`, '-e', 'sh', '-c', 'sleep 36000'], {
          env,
          stdio: 'ignore',
        }),
      );
      const id = (await xdotool('search', '--sync', '--onlyvisible', '--name', `^${title}$`)).trim().split('\n')[0];
      if (!id) throw new Error(`no window titled ${title}`);
      windows.push(id);
    }
    return { display, env, windows, xdotool, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Light synthetic input until `signal` aborts: every ~10 s a few mouse moves
 * and key presses, every ~60 s a switch to another window (an app event).
 */
export async function syntheticInput(
  d: BenchDisplay,
  signal: AbortSignal,
  rand: () => number,
): Promise<{ moves: number; keys: number; switches: number }> {
  const counts = { moves: 0, keys: 0, switches: 0 };
  let tick = 0;
  while (!signal.aborted) {
    await sleep(10_000);
    if (signal.aborted) break;
    tick++;
    try {
      for (let i = 0; i < 3; i++) {
        await d.xdotool('mousemove', String(Math.floor(rand() * 1200) + 20), String(Math.floor(rand() * 760) + 20));
        counts.moves++;
      }
      await d.xdotool('key', '--delay', '80', 'a', 'b', 'c');
      counts.keys += 3;
      if (tick % 6 === 0 && d.windows.length > 1) {
        await d.xdotool('windowactivate', '--sync', d.windows[(tick / 6) % d.windows.length]!);
        counts.switches++;
      }
    } catch {
      // a missed input tick changes nothing measured; the next one follows
    }
  }
  return counts;
}

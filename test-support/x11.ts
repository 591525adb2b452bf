/**
 * Small X11 helpers for tests on a display from startDisplay(): inject input
 * with xdotool, open xterm windows with a known title and colour, read window
 * geometry. Every helper takes the display's env; nothing touches the
 * developer's own display.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** Runs xdotool with the given arguments; resolves with its stdout. */
export async function xdotool(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const { stdout } = await execFileP('xdotool', args, { env, timeout: 30_000 });
  return stdout;
}

export async function run(env: NodeJS.ProcessEnv, cmd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileP(cmd, args, { env, timeout: 30_000 });
  return stdout;
}

export interface Geometry {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TestWindow {
  pid: number;
  windowId: string;
  title: string;
  geometry(): Promise<Geometry>;
  activate(): Promise<void>;
  close(): Promise<void>;
}

export interface XtermOptions {
  title: string;
  /** Background colour, e.g. '#ff00ff'. */
  background?: string;
  foreground?: string;
  /** xterm geometry in characters: '80x24+10+10'. */
  geometry?: string;
  /** Shell command run inside (default: sleep). */
  command?: string;
  /** Font size in points (xft), for dense text in blur tests. */
  faceSize?: number;
  /** WM_CLASS class (the app name get-windows reports); default XTerm. */
  className?: string;
}

/** Absolute position and size of a window, from xdotool. */
export async function windowGeometry(env: NodeJS.ProcessEnv, windowId: string): Promise<Geometry> {
  const out = await xdotool(env, 'getwindowgeometry', '--shell', windowId);
  const get = (k: string) => {
    const m = new RegExp(`^${k}=(-?\\d+)$`, 'm').exec(out);
    if (!m?.[1]) throw new Error(`no ${k} in xdotool output: ${out}`);
    return Number(m[1]);
  };
  return { x: get('X'), y: get('Y'), width: get('WIDTH'), height: get('HEIGHT') };
}

/** Opens an xterm, waits until it is mapped and returns a handle to it. */
export async function openXterm(env: NodeJS.ProcessEnv, options: XtermOptions): Promise<TestWindow> {
  const args = ['-T', options.title, '-xrm', '*allowTitleOps: false', '-geometry', options.geometry ?? '80x24+20+20'];
  if (options.background) args.push('-bg', options.background);
  if (options.foreground) args.push('-fg', options.foreground);
  if (options.faceSize) args.push('-fa', 'Monospace', '-fs', String(options.faceSize));
  if (options.className) args.push('-class', options.className);
  args.push('-e', 'sh', '-c', options.command ?? 'sleep 3600');
  const child: ChildProcess = spawn('xterm', args, { env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (e) => reject(new Error(`cannot start xterm: ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`xterm exited early (code ${code})`)));
  });
  failed.catch(() => undefined);
  const escaped = options.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const search = xdotool(env, 'search', '--sync', '--onlyvisible', '--name', `^${escaped}$`);
  let windowId: string;
  try {
    const found = await Promise.race([search, failed]);
    const first = found.trim().split('\n')[0];
    if (!first) throw new Error(`no window titled ${options.title}`);
    windowId = first;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    pid: child.pid ?? -1,
    windowId,
    title: options.title,
    geometry: () => windowGeometry(env, windowId),
    activate: async () => {
      await xdotool(env, 'windowactivate', '--sync', windowId);
    },
    close: () => {
      closing ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
      })();
      return closing;
    },
  };
}

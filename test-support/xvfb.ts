/**
 * A private X display for tests: Xvfb on a free display number (Xvfb picks it
 * itself with -displayfd, so parallel test files never collide) plus openbox,
 * because get-windows and _NET_ACTIVE_WINDOW need a window manager.
 *
 *   const x = await startDisplay();
 *   spawn('xterm', [...], { env: x.env });
 *   await x.stop();   // idempotent; also runs if the test process exits
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';

const execFileP = promisify(execFile);

export interface DisplayOptions {
  width?: number;
  height?: number;
  /** Start openbox (default true). */
  windowManager?: boolean;
  /** How long Xvfb and openbox may take to become ready (default 15 s). */
  timeoutMs?: number;
}

export interface TestDisplay {
  /** ':N' */
  display: string;
  /** process.env with DISPLAY set: pass to every child that talks to X. */
  env: NodeJS.ProcessEnv;
  width: number;
  height: number;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

// Last resort: a test that crashes before stop() must not leave X servers behind.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function readDisplayNumber(
  stream: Readable,
  xvfb: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (err: Error | undefined, value?: string) => {
      clearTimeout(timer);
      stream.off('data', onData);
      xvfb.off('exit', onExit);
      if (err) reject(err);
      else resolve(value ?? '');
    };
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        const n = buf.slice(0, nl).trim();
        if (/^\d+$/.test(n)) done(undefined, n);
        else done(new Error(`Xvfb wrote an unexpected display number: ${JSON.stringify(n)}`));
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(new Error(`Xvfb exited before it was ready (code ${code}, signal ${signal}): ${stderr()}`));
    const timer = setTimeout(() => done(new Error(`Xvfb not ready after ${timeoutMs} ms: ${stderr()}`)), timeoutMs);
    stream.on('data', onData);
    xvfb.once('exit', onExit);
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** openbox is ready once it has claimed the root's _NET_SUPPORTING_WM_CHECK. */
async function windowManagerReady(env: NodeJS.ProcessEnv): Promise<boolean> {
  const { stdout } = await execFileP('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], { env });
  return /window id # 0x[0-9a-f]+/i.test(stdout);
}

function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    live.delete(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      live.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startDisplay(options: DisplayOptions = {}): Promise<TestDisplay> {
  const width = options.width ?? 1280;
  const height = options.height ?? 800;
  const timeoutMs = options.timeoutMs ?? 15_000;
  installExitHook();

  // fd 3 is where Xvfb writes the display number it chose, once it accepts connections.
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset'],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    },
  );
  live.add(xvfb);
  let xvfbErr = '';
  xvfb.stderr?.on('data', (c: Buffer) => {
    xvfbErr = (xvfbErr + c.toString('utf8')).slice(-2000);
  });
  const spawnFailed = new Promise<never>((_, reject) =>
    xvfb.once('error', (e) => reject(new Error(`cannot start Xvfb: ${e.message}`))),
  );
  const fd3 = xvfb.stdio[3] as Readable | null | undefined;
  if (!fd3) throw new Error('Xvfb display fd is missing');

  const children: ChildProcess[] = [xvfb];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    // openbox first, so it does not complain about a vanished server
    stopping ??= (async () => {
      for (const c of [...children].reverse()) await stopChild(c);
    })();
    return stopping;
  };

  try {
    const n = await Promise.race([readDisplayNumber(fd3, xvfb, timeoutMs, () => xvfbErr), spawnFailed]);
    fd3.destroy();
    const display = `:${n}`;
    const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
    delete env.WAYLAND_DISPLAY;

    if (options.windowManager ?? true) {
      const openbox = spawn('openbox', ['--sm-disable'], { env, stdio: 'ignore' });
      live.add(openbox);
      children.push(openbox);
      const obFailed = new Promise<never>((_, reject) => {
        openbox.once('error', (e) => reject(new Error(`cannot start openbox: ${e.message}`)));
        openbox.once('exit', (code) => reject(new Error(`openbox exited early (code ${code})`)));
      });
      obFailed.catch(() => undefined); // observed by the race below; later exits are expected at stop()
      await Promise.race([waitFor(() => windowManagerReady(env), timeoutMs, 'openbox'), obFailed]);
    }
    return { display, env, width, height, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

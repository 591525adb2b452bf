/**
 * Tells the window collector when the foreground may have changed, so it need
 * not run get-windows (three process spawns, ~50-80 ms CPU on X11) every
 * second. Two long-lived `xprop -spy` processes cost nothing while idle:
 *
 *   root spy   _NET_ACTIVE_WINDOW           → focus moved to another window
 *   title spy  _NET_WM_NAME, WM_NAME of it  → the focused window's title changed
 *
 * Only the window id is read from their output (to follow focus); titles are
 * never parsed here. If the root spy dies the collector falls back to polling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChangeWatcher {
  /** `onChange`: the foreground may differ now. `onDead`: no more notifications will come. */
  start(onChange: () => void, onDead: (reason: string) => void): void;
  stop(): void;
}

export class X11FocusWatcher implements ChangeWatcher {
  private root: ChildProcess | undefined;
  private title: ChildProcess | undefined;
  private activeId = '';
  private stopped = false;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  start(onChange: () => void, onDead: (reason: string) => void): void {
    this.stopped = false;
    const root = this.spy(['-spy', '-root', '_NET_ACTIVE_WINDOW'], (line) => {
      const id = /window id # (0x[0-9a-f]+)/i.exec(line)?.[1] ?? '';
      if (id !== this.activeId) {
        this.activeId = id;
        this.followTitle(id, onChange);
      }
      onChange();
    });
    root.once('exit', (code, signal) => {
      this.root = undefined;
      if (!this.stopped) onDead(`xprop -spy exited (${signal ?? `code ${code}`})`);
    });
    root.once('error', (err) => {
      if (!this.stopped && root.pid === undefined) onDead(`cannot run xprop: ${err.message}`);
    });
    this.root = root;
  }

  stop(): void {
    this.stopped = true;
    this.title?.kill();
    this.root?.kill();
    this.title = undefined;
    this.root = undefined;
  }

  private followTitle(id: string, onChange: () => void): void {
    this.title?.kill();
    this.title = undefined;
    if (id === '' || /^0x0+$/i.test(id)) return;
    // exits by itself (BadWindow) when the window goes away; focus moves then anyway
    const spy = this.spy(['-spy', '-id', id, '_NET_WM_NAME', 'WM_NAME'], () => onChange());
    spy.once('error', () => undefined);
    this.title = spy;
  }

  private spy(args: string[], onLine: (line: string) => void): ChildProcess {
    const child = spawn('xprop', args, { env: this.env, stdio: ['ignore', 'pipe', 'ignore'] });
    if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
    return child;
  }
}

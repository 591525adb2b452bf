/**
 * The foreground window on X11, read over one X connection instead of by
 * spawning helpers: get-windows runs xprop twice and xwininfo once per sample
 * (~50-80 ms of CPU), and the focus watcher it replaces kept two `xprop -spy`
 * processes alive. Here:
 *
 *   sample()  _NET_ACTIVE_WINDOW of the root, then _NET_WM_PID, WM_CLASS and
 *             the title properties of that window: a few round trips, no process
 *   start()   PropertyNotify on the root (_NET_ACTIVE_WINDOW) and on the
 *             focused window (its title properties) says when to sample again
 *
 * What a sample holds is what get-windows gave (its rules, kept on purpose so
 * the recorded data does not change): the app is the class of WM_CLASS, the
 * title _NET_WM_NAME (UTF8_STRING) or else WM_NAME (STRING), a window without
 * _NET_WM_PID or whose process is not in /proc is "no window", and the path is
 * /proc/<pid>/exe. An empty title falls back to _NET_WM_VISIBLE_NAME and
 * WM_NAME of any type, as the xprop fallback in active-window.ts did; only
 * COMPOUND_TEXT (which needs Xlib's converters) still goes through xprop.
 */
import { readlink, stat } from 'node:fs/promises';
import { connectX, XA, type XConnection, type XEvent } from '../x11-connection.js';
import {
  getWindowsSampler,
  MAX_TITLE,
  toWindowSample,
  x11TitleFallback,
  type WindowSample,
  type WindowSampler,
} from './active-window.js';
import type { ChangeWatcher } from './x11-focus-watcher.js';

const NAMES = [
  '_NET_ACTIVE_WINDOW',
  '_NET_WM_PID',
  '_NET_WM_NAME',
  '_NET_WM_VISIBLE_NAME',
  'UTF8_STRING',
  'COMPOUND_TEXT',
] as const;
type Atoms = Record<(typeof NAMES)[number], number>;

/** NUL-separated strings of a text property (the last NUL ends the list, it starts no empty string). */
export function textList(data: Buffer, encoding: 'utf8' | 'latin1'): string[] {
  const end = data.length > 0 && data[data.length - 1] === 0 ? data.length - 1 : data.length;
  return data.subarray(0, end).toString(encoding).split('\0');
}

export class X11ActiveWindow implements ChangeWatcher {
  private conn: Promise<{ conn: XConnection; atoms: Atoms }> | undefined;
  private watching: { onChange: () => void; onDead: (reason: string) => void } | undefined;
  /** The window whose title properties we listen to. */
  private followed = 0;
  private titleAtoms = new Set<number>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** The foreground window now; undefined when there is none (or it has no _NET_WM_PID, as get-windows had it). */
  readonly sample = async (): Promise<WindowSample | undefined> => {
    const { conn, atoms } = await this.connection();
    const active = await conn.property(conn.screen.root, atoms._NET_ACTIVE_WINDOW);
    const id = active && active.format === 32 && active.data.length >= 4 ? active.data.readUInt32LE(0) : 0;
    if (this.watching) this.follow(conn, id);
    if (id === 0) return undefined;
    const [pidProp, cls, netName, wmName] = await Promise.all([
      conn.property(id, atoms._NET_WM_PID),
      conn.property(id, XA.WM_CLASS),
      conn.property(id, atoms._NET_WM_NAME),
      conn.property(id, XA.WM_NAME),
    ]);
    const pid = pidProp && pidProp.format === 32 && pidProp.data.length >= 4 ? pidProp.data.readUInt32LE(0) : NaN;
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    // get-windows read /proc/<pid>/statm and gave no window when that failed (a remote client)
    try {
      await stat(`/proc/${pid}`);
    } catch {
      return undefined;
    }
    const path = await readlink(`/proc/${pid}/exe`).catch(() => undefined);
    const classes = cls && cls.format === 8 && cls.type === XA.STRING ? textList(cls.data, 'latin1') : [];
    let title: string | undefined;
    if (netName && netName.type === atoms.UTF8_STRING && netName.format === 8)
      title = textList(netName.data, 'utf8')[0];
    else if (wmName && wmName.type === XA.STRING && wmName.format === 8) title = textList(wmName.data, 'latin1')[0];
    const sample = toWindowSample({ title, owner: { name: classes[classes.length - 1], path } });
    if (sample && sample.title === '')
      sample.title = (await this.titleFallback(conn, atoms, id, wmName)).slice(0, MAX_TITLE);
    return sample;
  };

  start(onChange: () => void, onDead: (reason: string) => void): void {
    this.watching = { onChange, onDead };
    this.connection().then(
      ({ conn, atoms }) => {
        if (!this.watching) return;
        conn.listenProperties(conn.screen.root, true);
        // which window is in front now: its title changes are followed from here
        this.followActive(conn, atoms);
      },
      (err: unknown) => this.dead(`cannot connect to the X display: ${(err as Error).message}`),
    );
  }

  stop(): void {
    this.watching = undefined;
    this.followed = 0;
    const conn = this.conn;
    this.conn = undefined;
    void conn?.then(({ conn: c }) => c.close()).catch(() => undefined);
  }

  private connection(): Promise<{ conn: XConnection; atoms: Atoms }> {
    this.conn ??= (async () => {
      const conn = await connectX(this.env.DISPLAY ?? '');
      try {
        const values = await Promise.all(NAMES.map((n) => conn.atom(n)));
        const atoms = Object.fromEntries(NAMES.map((n, i) => [n, values[i]!])) as Atoms;
        this.titleAtoms = new Set([atoms._NET_WM_NAME, atoms._NET_WM_VISIBLE_NAME, XA.WM_NAME]);
        conn.onEvent((ev) => this.onEvent(conn, ev, atoms));
        conn.onClose((reason) => {
          // the next sample connects again; a watcher reports that notifications stopped
          if (this.conn === current) this.conn = undefined;
          this.followed = 0;
          this.dead(reason);
        });
        return { conn, atoms };
      } catch (err) {
        conn.close();
        throw err;
      }
    })();
    const current = this.conn;
    current.catch(() => {
      if (this.conn === current) this.conn = undefined;
    });
    return current;
  }

  private onEvent(conn: XConnection, ev: XEvent, atoms: Atoms): void {
    if (!this.watching || ev.name !== 'PropertyNotify') return;
    if (ev.wid === conn.screen.root && ev.atom === atoms._NET_ACTIVE_WINDOW) {
      this.watching.onChange();
      // follow the new foreground's title from now on, sampled or not
      this.followActive(conn, atoms);
    } else if (ev.wid === this.followed && ev.atom !== undefined && this.titleAtoms.has(ev.atom)) {
      this.watching.onChange();
    }
  }

  private followActive(conn: XConnection, atoms: Atoms): void {
    conn.property(conn.screen.root, atoms._NET_ACTIVE_WINDOW).then(
      (active) => {
        if (this.watching) this.follow(conn, active && active.data.length >= 4 ? active.data.readUInt32LE(0) : 0);
      },
      () => undefined, // a broken connection is reported by onClose
    );
  }

  /** Listens to the title properties of the focused window only. */
  private follow(conn: XConnection, id: number): void {
    if (id === this.followed) return;
    if (this.followed !== 0) conn.listenProperties(this.followed, false);
    this.followed = id;
    if (id !== 0) conn.listenProperties(id, true);
  }

  private dead(reason: string): void {
    const w = this.watching;
    this.watching = undefined;
    w?.onDead(reason);
  }

  private async titleFallback(
    conn: XConnection,
    atoms: Atoms,
    id: number,
    wmName: { type: number; format: number; data: Buffer } | undefined,
  ): Promise<string> {
    const visible = await conn.property(id, atoms._NET_WM_VISIBLE_NAME);
    const candidates = [visible, wmName];
    for (const p of candidates) {
      if (!p || p.format !== 8 || p.data.length === 0) continue;
      if (p.type === atoms.UTF8_STRING || p.type === XA.STRING) {
        const t = textList(p.data, p.type === XA.STRING ? 'latin1' : 'utf8')[0] ?? '';
        if (t !== '') return t;
      } else if (p.type === atoms.COMPOUND_TEXT) {
        // ISO 2022 with charset switches: xprop converts it through Xlib
        return x11TitleFallback(id, this.env);
      }
    }
    return '';
  }
}

/**
 * What samples the foreground here: on Linux with an X display the X11 reader
 * (also the change watcher), elsewhere get-windows. `close` ends the X connection.
 */
export function platformWindowSource(env: NodeJS.ProcessEnv = process.env): {
  sample: WindowSampler;
  watcher: ChangeWatcher | false;
  close(): void;
} {
  if (process.platform !== 'linux' || !env.DISPLAY)
    return { sample: getWindowsSampler, watcher: false, close: () => undefined };
  const x = new X11ActiveWindow(env);
  return { sample: x.sample, watcher: x, close: () => x.stop() };
}

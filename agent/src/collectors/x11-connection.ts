/**
 * One connection to the X server through the x11 package (a pure-JavaScript
 * X client, already used by the RECORD input hook), typed for the few core
 * requests the window and screenshot collectors make, with promise wrappers.
 * Asking the server directly replaces spawning xprop, xwininfo and ImageMagick
 * `import` (each a process of several MB and tens of ms of CPU).
 *
 * XAUTHORITY is read from this process's environment (the x11 package's way).
 */
import { createRequire } from 'node:module';

// the parts of the x11 package used here (it ships no types)
type Callback<T> = (err: XError | null | undefined, value: T) => unknown;
interface XError extends Error {
  error?: number;
}
export interface XEvent {
  name: string;
  wid?: number;
  atom?: number;
}
interface RawClient {
  on(event: 'error', fn: (err: unknown) => void): void;
  on(event: 'end' | 'close', fn: () => void): void;
  on(event: 'event', fn: (ev: XEvent) => void): void;
  InternAtom(onlyIfExists: boolean, name: string, cb: Callback<number>): void;
  GetProperty(
    del: number,
    wid: number,
    name: number,
    type: number,
    longOffset: number,
    longLength: number,
    cb: Callback<{ type: number; format: number; bytesAfter: number; data: Buffer }>,
  ): void;
  ChangeWindowAttributes(wid: number, values: { eventMask: number }, cb?: (err?: XError | null) => boolean): void;
  GetImage(
    format: number,
    drawable: number,
    x: number,
    y: number,
    width: number,
    height: number,
    planeMask: number,
    cb: Callback<{ depth: number; visualId: number; data: Buffer }>,
  ): void;
  terminate(): void;
}
export interface XVisual {
  class: number;
  red_mask: number;
  green_mask: number;
  blue_mask: number;
}
export interface XScreen {
  root: number;
  pixel_width: number;
  pixel_height: number;
  root_depth: number;
  root_visual: number;
  /** depth → visual id → visual */
  depths: Record<string, Record<string, XVisual>>;
}
interface RawDisplay {
  client: RawClient;
  screen: XScreen[];
  /** Pixmap formats by depth: bits per pixel and scanline padding. */
  format: Record<string, { bits_per_pixel: number; scanline_pad: number }>;
  /** 0 LSBFirst, 1 MSBFirst */
  image_byte_order: number;
}
interface X11 {
  createClient(options: { display?: string }, cb: (err: unknown, display: RawDisplay) => void): RawClient;
  eventMask: Record<string, number>;
}

let x11: X11 | undefined;
const loadX11 = (): X11 => (x11 ??= createRequire(import.meta.url)('x11') as X11);

/** X errors a request may meet when its window went away meanwhile: not a broken connection. */
const BAD_WINDOW = 3;
const BAD_MATCH = 8;
const BAD_DRAWABLE = 9;

export interface PropertyValue {
  /** The property's type atom (0: the property does not exist). */
  type: number;
  format: number;
  data: Buffer;
}

export interface PixmapFormat {
  depth: number;
  bitsPerPixel: number;
  scanlinePad: number;
}

export interface XConnection {
  readonly screen: XScreen;
  readonly imageByteOrder: 'lsb' | 'msb';
  pixmapFormat(depth: number): PixmapFormat | undefined;
  atom(name: string): Promise<number>;
  /** A property's whole value; undefined when the window is gone. */
  property(wid: number, atom: number, maxBytes?: number): Promise<PropertyValue | undefined>;
  /** PropertyNotify from `wid` (0 to stop listening to it); errors from a vanished window are ignored. */
  listenProperties(wid: number, on: boolean): void;
  /** ZPixmap bytes of a rectangle of the root window. */
  image(x: number, y: number, width: number, height: number): Promise<{ depth: number; data: Buffer }>;
  onEvent(fn: (ev: XEvent) => void): void;
  /** Called once when the connection fails or closes. */
  onClose(fn: (reason: string) => void): void;
  close(): void;
}

/** Predefined atoms (X11 core protocol): no round trip needed. */
export const XA = { CARDINAL: 6, STRING: 31, WINDOW: 33, WM_NAME: 39, WM_CLASS: 67 } as const;

const isGone = (err: unknown) => {
  const code = (err as XError | undefined)?.error;
  return code === BAD_WINDOW || code === BAD_MATCH || code === BAD_DRAWABLE;
};

export function connectX(display: string): Promise<XConnection> {
  return new Promise<XConnection>((resolve, reject) => {
    let closed = false;
    let closeFns: Array<(reason: string) => void> = [];
    const close = (reason: string) => {
      if (closed) return;
      closed = true;
      const fns = closeFns;
      closeFns = [];
      for (const fn of fns) fn(reason);
    };
    // requests waiting for a reply: a closed connection never answers them, so they fail then
    const pending = new Set<(err: Error) => void>();
    closeFns.push((reason) => {
      for (const fail of pending) fail(new Error(`the X connection closed (${reason})`));
      pending.clear();
    });
    const wrap = <T>(run: (cb: Callback<T>) => void): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        if (closed) {
          reject(new Error('the X connection is closed'));
          return;
        }
        pending.add(reject);
        run((err, value) => {
          pending.delete(reject);
          if (err) reject(err);
          else resolve(value);
          return true; // handled: the client must not emit it as a connection error
        });
      });
    const eventFns: Array<(ev: XEvent) => void> = [];
    const atoms = new Map<string, Promise<number>>();
    let settled = false;
    const client = loadX11().createClient({ display }, (err, d) => {
      settled = true;
      if (err) {
        close('cannot connect');
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const screen = d.screen[0];
      if (!screen) {
        reject(new Error('the X server has no screen'));
        client.terminate();
        return;
      }
      const mask = loadX11().eventMask;
      const conn: XConnection = {
        screen,
        imageByteOrder: d.image_byte_order === 1 ? 'msb' : 'lsb',
        pixmapFormat(depth) {
          const f = d.format[String(depth)];
          return f ? { depth, bitsPerPixel: f.bits_per_pixel, scanlinePad: f.scanline_pad } : undefined;
        },
        atom(name) {
          let a = atoms.get(name);
          if (!a) {
            a = wrap<number>((cb) => client.InternAtom(false, name, cb));
            a.catch(() => atoms.delete(name));
            atoms.set(name, a);
          }
          return a;
        },
        async property(wid, atom, maxBytes = 64 * 1024) {
          try {
            const p = await wrap<{ type: number; format: number; data: Buffer }>((cb) =>
              client.GetProperty(0, wid, atom, 0, 0, Math.ceil(maxBytes / 4), cb),
            );
            return { type: p.type, format: p.format, data: Buffer.from(p.data) };
          } catch (err) {
            if (isGone(err)) return undefined;
            throw err;
          }
        },
        listenProperties(wid, on) {
          client.ChangeWindowAttributes(wid, { eventMask: on ? mask.PropertyChange! : 0 }, (err) => {
            // a window that vanished meanwhile: nothing to listen to; anything else is real
            if (err && !isGone(err)) close(`X error ${err.message}`);
            return true;
          });
        },
        async image(x, y, width, height) {
          const r = await wrap<{ depth: number; data: Buffer }>((cb) =>
            client.GetImage(2 /* ZPixmap */, screen.root, x, y, width, height, 0xffffffff, cb),
          );
          return { depth: r.depth, data: r.data };
        },
        onEvent: (fn) => void eventFns.push(fn),
        onClose(fn) {
          if (closed) fn('closed');
          else closeFns.push(fn);
        },
        close() {
          close('closed by the agent');
          try {
            client.terminate();
          } catch {
            // never fully connected: nothing to close
          }
        },
      };
      resolve(conn);
    });
    client.on('error', (err) => {
      const message = err instanceof Error ? err.message : String(err);
      close(`X error: ${message}`);
      if (!settled) {
        settled = true;
        reject(new Error(`cannot connect to X display ${display}: ${message}`));
      }
    });
    client.on('end', () => close('the X connection closed'));
    client.on('close', () => close('the X connection closed'));
    client.on('event', (ev) => {
      for (const fn of eventFns) fn(ev);
    });
  });
}

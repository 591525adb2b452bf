/**
 * screenshot-desktop behind typed results. On Linux it shells out to xrandr
 * (to list displays) and ImageMagick's `import` (to grab one). Its Linux
 * snapshot calls listDisplays().then(...) without a catch: when xrandr is
 * missing or fails, that rejection goes unhandled (Node then exits) and the
 * returned promise never settles. So before calling it we check that both
 * tools exist and list the displays ourselves (that call rejects normally),
 * and every call runs under a timeout.
 */
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { errorMessage, fail, ok, type CollectorResult } from '../collector-types.js';

export interface Display {
  /** screenshot-desktop's id (X11: the RandR output name). */
  id: string;
  name: string;
  width: number;
  height: number;
  primary: boolean;
}

interface RawDisplay {
  id?: unknown;
  name?: unknown;
  width?: unknown;
  height?: unknown;
  primary?: unknown;
}

interface ScreenshotDesktop {
  (options?: { screen?: string; format?: string }): Promise<Buffer>;
  listDisplays(): Promise<RawDisplay[]>;
}

export interface ScreenCapture {
  listDisplays(): Promise<CollectorResult<Display[]>>;
  /** PNG bytes of one display. */
  capture(display: Display): Promise<CollectorResult<Buffer>>;
}

const require = createRequire(import.meta.url);
let lib: ScreenshotDesktop | undefined;
const load = (): ScreenshotDesktop => (lib ??= require('screenshot-desktop') as ScreenshotDesktop);

/** Whether an executable of that name is on PATH. */
export function onPath(name: string, path = process.env.PATH ?? ''): boolean {
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<CollectorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CollectorResult<T>>((resolve) => {
    timer = setTimeout(() => resolve(fail('capture-timeout', `${what} took more than ${ms} ms`)), ms);
  });
  const done = p.then(
    (v) => ok(v),
    (err: unknown) => {
      const msg = errorMessage(err);
      return /can't open display|cannot open display/i.test(msg) ? fail<T>('no-display', msg) : fail<T>('capture-failed', `${what} failed: ${msg.slice(0, 300)}`);
    },
  );
  return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
}

function toDisplay(raw: RawDisplay, index: number): Display | undefined {
  const width = Number(raw.width);
  const height = Number(raw.height);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return undefined;
  const id = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : String(index);
  return { id, name: typeof raw.name === 'string' ? raw.name : id, width, height, primary: raw.primary === true };
}

export interface DesktopCaptureOptions {
  timeoutMs?: number;
  platform?: NodeJS.Platform;
}

/** The real capture through screenshot-desktop. */
export function desktopCapture(options: DesktopCaptureOptions = {}): ScreenCapture {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const platform = options.platform ?? process.platform;

  const preflight = (): CollectorResult<true> => {
    if (platform !== 'linux') return ok(true);
    if (!process.env.DISPLAY) return fail('no-display', 'DISPLAY is not set: no X display to capture');
    for (const tool of ['xrandr', 'import']) {
      if (!onPath(tool)) return fail('tool-missing', `${tool} is not installed (needed for screenshots: ${tool === 'xrandr' ? 'x11-xserver-utils' : 'imagemagick'})`);
    }
    return ok(true);
  };

  const listDisplays = async (): Promise<CollectorResult<Display[]>> => {
    const pre = preflight();
    if (!pre.ok) return pre;
    const listed = await withTimeout(load().listDisplays(), timeoutMs, 'listing displays');
    if (!listed.ok) return listed;
    const displays = (Array.isArray(listed.value) ? listed.value : []).map(toDisplay).filter((d): d is Display => d !== undefined);
    if (displays.length === 0) return fail('no-display', 'no connected display found');
    return ok(displays);
  };

  return {
    listDisplays,
    async capture(display) {
      // listing again right before the grab: screenshot-desktop lists once more inside and must not find nothing
      const listed = await listDisplays();
      if (!listed.ok) return listed;
      if (!listed.value.some((d) => d.id === display.id)) return fail('no-display', `display ${display.id} is gone`);
      const shot = await withTimeout(load()({ screen: display.id, format: 'png' }), timeoutMs, `capturing display ${display.id}`);
      if (shot.ok && (!Buffer.isBuffer(shot.value) || shot.value.length === 0)) return fail('capture-failed', 'capture returned no image');
      return shot;
    },
  };
}

/**
 * screenshot-desktop behind typed results. On Linux it shells out to xrandr
 * (to list displays) and ImageMagick's `import` (to grab one). Its Linux
 * snapshot lists the displays again inside, as listDisplays().then(...) with
 * no catch: when xrandr fails at that moment (the X server going away, a
 * failing helper), the rejection goes unhandled (Node then exits: soak round
 * 164) and the returned promise never settles. So on Linux we never call its
 * snapshot: we list the displays with its listDisplays (which rejects
 * normally) and grab the listed crop ourselves: straight from the X server
 * (x11-grab.ts: raw RGB, no child process), or with `import` when the root
 * visual is one x11-grab does not convert. Every call runs under a timeout,
 * and every failure is a typed result.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { errorMessage, fail, ok, type CollectorResult } from '../collector-types.js';
import { grabX11, UnsupportedVisualError, type RawImage } from './x11-grab.js';

export type { RawImage } from './x11-grab.js';
/** What a capture gives: encoded image bytes (PNG) or raw RGB pixels. */
export type CapturedImage = Buffer | RawImage;

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
  /** Linux: the RandR geometry, WxH+X+Y. */
  crop?: unknown;
}

interface ScreenshotDesktop {
  (options?: { screen?: string; format?: string }): Promise<Buffer>;
  listDisplays(): Promise<RawDisplay[]>;
}

export interface ScreenCapture {
  listDisplays(): Promise<CollectorResult<Display[]>>;
  /** One display: PNG bytes, or raw RGB pixels where the X server is read directly. */
  capture(display: Display): Promise<CollectorResult<CapturedImage>>;
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
      return /can't open display|cannot open display/i.test(msg)
        ? fail<T>('no-display', msg)
        : fail<T>('capture-failed', `${what} failed: ${msg.slice(0, 300)}`);
    },
  );
  return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
}

const CROP = /^\d+x\d+\+\d+\+\d+$/;

/**
 * One display's PNG through ImageMagick's `import`, as screenshot-desktop runs
 * it, but with its error delivered to us: the child is killed at the timeout.
 */
function importPng(crop: string, width: number, height: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'import',
      ['-silent', '-window', 'root', '-crop', crop, '-screen', 'png:-'],
      {
        encoding: 'buffer',
        maxBuffer: Math.max(width * height * 8, 10 * 1024 * 1024),
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
  });
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
  /**
   * How long a display listing is trusted for a grab, ms (default 1000). A
   * round lists the displays and grabs the first at once: one xrandr run,
   * not two. A later display of the round, grabbed after the previous one's
   * encoding, is listed again in case it went or moved meanwhile.
   */
  listingFreshMs?: number;
}

/** The real capture through screenshot-desktop. */
export function desktopCapture(options: DesktopCaptureOptions = {}): ScreenCapture {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const platform = options.platform ?? process.platform;
  const listingFreshMs = options.listingFreshMs ?? 1000;
  let lastListing: { at: number; raw: RawDisplay[] } | undefined;

  const preflight = (): CollectorResult<true> => {
    if (platform !== 'linux') return ok(true);
    if (!process.env.DISPLAY) return fail('no-display', 'DISPLAY is not set: no X display to capture');
    // ImageMagick's import is only the fallback for visuals x11-grab does not convert: checked then
    if (!onPath('xrandr'))
      return fail('tool-missing', 'xrandr is not installed (needed for screenshots: x11-xserver-utils)');
    return ok(true);
  };

  /** The tool's own listing, raw (Linux: with the crop geometry). */
  const listRaw = async (): Promise<CollectorResult<RawDisplay[]>> => {
    const pre = preflight();
    if (!pre.ok) return pre;
    lastListing = undefined;
    const listed = await withTimeout(load().listDisplays(), timeoutMs, 'listing displays');
    if (!listed.ok) return listed;
    const raw = Array.isArray(listed.value) ? listed.value : [];
    lastListing = { at: performance.now(), raw };
    return ok(raw);
  };

  /** The listing of a moment ago, else a new one. */
  const freshRaw = (): Promise<CollectorResult<RawDisplay[]>> => {
    const l = lastListing;
    if (l && performance.now() - l.at <= listingFreshMs) return Promise.resolve(ok(l.raw));
    return listRaw();
  };

  const listDisplays = async (): Promise<CollectorResult<Display[]>> => {
    const listed = await listRaw();
    if (!listed.ok) return listed;
    const displays = listed.value.map(toDisplay).filter((d): d is Display => d !== undefined);
    if (displays.length === 0) return fail('no-display', 'no connected display found');
    return ok(displays);
  };

  const grab = async (display: Display): Promise<CollectorResult<CapturedImage>> => {
    // listed right before the grab (or a moment ago): the display may be gone or have moved
    const listed = await freshRaw();
    if (!listed.ok) return listed;
    const index = listed.value.findIndex((raw, i) => toDisplay(raw, i)?.id === display.id);
    const raw = listed.value[index];
    if (!raw) return fail('no-display', `display ${display.id} is gone`);
    if (platform !== 'linux') {
      return withTimeout(load()({ screen: display.id, format: 'png' }), timeoutMs, `capturing display ${display.id}`);
    }
    if (typeof raw.crop !== 'string' || !CROP.test(raw.crop))
      return fail('capture-failed', `display ${display.id} has no usable geometry`);
    const d = toDisplay(raw, index)!;
    const [w, h, x, y] = raw.crop.split(/[x+]/).map(Number) as [number, number, number, number];
    const what = `capturing display ${display.id}`;
    const direct = await withTimeout(
      grabX11(process.env.DISPLAY ?? '', { x, y, width: w, height: h }).catch((err: unknown) => {
        if (err instanceof UnsupportedVisualError) return undefined;
        throw err;
      }),
      timeoutMs,
      what,
    );
    if (!direct.ok || direct.value) return direct as CollectorResult<CapturedImage>;
    if (!onPath('import'))
      return fail('tool-missing', 'import is not installed (needed for screenshots of this display: imagemagick)');
    return withTimeout(importPng(raw.crop, d.width, d.height, timeoutMs), timeoutMs, what);
  };

  return {
    listDisplays,
    async capture(display) {
      const shot = await grab(display);
      if (shot.ok && (Buffer.isBuffer(shot.value) ? shot.value.length === 0 : shot.value.data.length === 0))
        return fail('capture-failed', 'capture returned no image');
      return shot;
    },
  };
}

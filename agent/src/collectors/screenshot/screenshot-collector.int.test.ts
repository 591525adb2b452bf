import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import sharp from 'sharp';
import type { CollectorError } from '../collector-types.js';
import { startDisplay, type TestDisplay } from '../../../../test-support/xvfb.js';
import { openXterm, run, type Geometry, type TestWindow } from '../../../../test-support/x11.js';
import { failingTools } from '../../../../test-support/failing-tool.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { desktopCapture } from './screen-capture.js';
import { encodeScreenshot, encodeThumbnail } from './image-encode.js';
import { grabX11 } from './x11-grab.js';
import {
  ScreenshotCollector,
  type CapturedScreenshot,
  type ScreenshotCollectorOptions,
  type ScreenshotSkip,
} from './screenshot-collector.js';

const ROOT = [0x1e, 0x90, 0xff] as const; // xsetroot background
const BLOCK = [0xff, 0x00, 0xff] as const; // xterm background

interface Decoded {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

async function decode(image: Uint8Array): Promise<Decoded> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function pixel(img: Decoded, x: number, y: number): number[] {
  const i = (y * img.width + x) * img.channels;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
}

const near = (a: readonly number[], b: readonly number[], tol = 12) => a.every((v, i) => Math.abs(v - b[i]!) <= tol);

/** Mean absolute difference of neighbouring grey levels in a region: high for text, near 0 when blurred. */
function edgeEnergy(img: Decoded, r: Geometry): number {
  const grey = (x: number, y: number) => {
    const [red, g, b] = pixel(img, x, y);
    return 0.299 * red! + 0.587 * g! + 0.114 * b!;
  };
  let sum = 0;
  let n = 0;
  for (let y = r.y; y < r.y + r.height - 1; y++) {
    for (let x = r.x; x < r.x + r.width - 1; x++) {
      const g = grey(x, y);
      sum += Math.abs(g - grey(x + 1, y)) + Math.abs(g - grey(x, y + 1));
      n += 1;
    }
  }
  return sum / n;
}

describe('ScreenshotCollector under Xvfb', () => {
  let x: TestDisplay;
  let block: TestWindow;
  let secret: TestWindow;
  let secretArea: Geometry;
  const prev = { DISPLAY: process.env.DISPLAY, PATH: process.env.PATH };

  beforeAll(async () => {
    x = await startDisplay({ width: 1280, height: 800 });
    // screenshot-desktop and get-windows run their tools with process.env
    process.env.DISPLAY = x.display;
    await run(x.env, 'xsetroot', '-solid', '#1e90ff');
    block = await openXterm(x.env, { title: 'colour-block', background: '#ff00ff', geometry: '40x10+760+60' });
    const text =
      'for i in $(seq 1 400); do printf "%s " "Salary review 2026 confidential Q3 numbers $i"; done; sleep 3600';
    secret = await openXterm(x.env, {
      title: 'secret-notes',
      className: 'Secret',
      background: 'white',
      foreground: 'black',
      geometry: '90x30+0+360',
      command: text,
    });
    const g = await secret.geometry();
    // inner part of the window: text only, no border
    secretArea = { x: g.x + 20, y: g.y + 20, width: Math.min(500, g.width - 40), height: Math.min(300, g.height - 40) };
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(prev)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await block?.close();
    await secret?.close();
    await x?.stop();
  });

  function collector(extra: Partial<ScreenshotCollectorOptions> = {}) {
    const shots: CapturedScreenshot[] = [];
    const skips: ScreenshotSkip[] = [];
    const errors: CollectorError[] = [];
    const c = new ScreenshotCollector({
      policy: { enabled: true, perHour: 60, blur: false, excludedApps: [] },
      onScreenshot: (s) => void shots.push(s),
      onSkip: (s) => void skips.push(s),
      onError: (e) => void errors.push(e),
      quality: 95,
      ...extra,
    });
    return { c, shots, skips, errors };
  }

  it('reads the same pixels from the X server as ImageMagick import, so the stored screenshots are byte-identical', async () => {
    await secret.activate();
    const rect = { x: 0, y: 0, width: 1280, height: 800 };
    const direct = await grabX11(x.display, rect);
    const { stdout: png } = await promisify(execFile)(
      'import',
      ['-silent', '-window', 'root', '-crop', '1280x800+0+0', '-screen', 'png:-'],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: x.env },
    );
    const fromPng = await decode(png);
    expect({ width: direct.width, height: direct.height }).toEqual({ width: 1280, height: 800 });
    expect(direct.data.equals(fromPng.data)).toBe(true);
    // the collector's settings and a downscaled, blurred variant: same WebP bytes, same thumbnail
    for (const opts of [
      { maxWidth: 1920, quality: 70, blur: false },
      { maxWidth: 320, quality: 30, blur: true },
    ]) {
      const a = await encodeScreenshot(direct, opts);
      const b = await encodeScreenshot(png, opts);
      if (!a.ok || !b.ok) throw new Error('encode failed');
      expect(Buffer.from(a.value.image).equals(Buffer.from(b.value.image))).toBe(true);
      expect([a.value.width, a.value.height]).toEqual([b.value.width, b.value.height]);
      const ta = await encodeThumbnail(a.value.image);
      const tb = await encodeThumbnail(b.value.image);
      expect(ta.ok && tb.ok && ta.value.thumb === tb.value.thumb).toBe(true);
    }
    // a part of the screen, as a display of a multi-monitor layout is
    const part = await grabX11(x.display, { x: 700, y: 40, width: 400, height: 300 });
    const partPng = await sharp(png)
      .extract({ left: 700, top: 40, width: 400, height: 300 })
      .removeAlpha()
      .raw()
      .toBuffer();
    expect(part.data.equals(partPng)).toBe(true);
  });

  it('captures the real display: known colours at known places', async () => {
    await block.activate();
    const { c, shots, errors } = collector({ recordApp: true });
    const outcome = await c.captureNow();
    expect(errors).toEqual([]);
    expect(outcome).toEqual({ captured: 1, errors: [] });
    const [shot] = shots;
    expect(shot?.meta).toMatchObject({
      screen: 0,
      width: 1280,
      height: 800,
      format: 'webp',
      blurred: false,
      app: 'XTerm',
    });
    expect(shot!.meta.takenAt).toBeGreaterThan(Date.now() - 60_000);
    expect((await sharp(shot!.image).metadata()).format).toBe('webp');
    const img = await decode(shot!.image);
    expect(near(pixel(img, 20, 20), ROOT)).toBe(true);
    expect(near(pixel(img, 1260, 780), ROOT)).toBe(true);
    const g = await block.geometry();
    expect(near(pixel(img, g.x + Math.floor(g.width / 2), g.y + Math.floor(g.height / 2)), BLOCK)).toBe(true);
  });

  it('downscales to the maximum width, and a lower quality makes smaller files', async () => {
    const { c, shots } = collector({ maxWidth: 640 });
    await c.captureNow();
    c.setQuality(10);
    await c.captureNow();
    expect(shots.map((s) => [s.meta.width, s.meta.height])).toEqual([
      [640, 400],
      [640, 400],
    ]);
    expect(shots[1]!.image.byteLength).toBeLessThan(shots[0]!.image.byteLength);
    expect(near(pixel(await decode(shots[0]!.image), 10, 10), ROOT)).toBe(true);
  });

  it('blurs a listed app: the text in the image loses almost all its edges', async () => {
    await secret.activate();
    const plain = collector();
    await plain.c.captureNow();
    const blurred = collector({
      policy: { enabled: true, perHour: 60, blur: false, excludedApps: ['secret'] },
      excludedAppAction: 'blur',
    });
    await blurred.c.captureNow();
    expect(plain.shots[0]?.meta.blurred).toBe(false);
    expect(blurred.shots[0]?.meta.blurred).toBe(true);
    const sharpEdges = edgeEnergy(await decode(plain.shots[0]!.image), secretArea);
    const blurEdges = edgeEnergy(await decode(blurred.shots[0]!.image), secretArea);
    console.log(
      `edge energy in the listed app's window: ${sharpEdges.toFixed(2)} plain, ${blurEdges.toFixed(2)} blurred`,
    );
    expect(sharpEdges).toBeGreaterThan(5); // there is text to hide
    expect(blurEdges).toBeLessThan(sharpEdges * 0.1);
  });

  it('skips a listed app by default (before or after the grab), and captures others', async () => {
    await secret.activate();
    const { c, shots, skips } = collector({
      policy: { enabled: true, perHour: 60, blur: false, excludedApps: ['Secret'] },
    });
    expect(await c.captureNow()).toEqual({ captured: 0, skipped: 'excluded-app', errors: [] });
    expect(skips).toEqual([expect.objectContaining({ reason: 'excluded-app', detail: 'Secret' })]);
    await block.activate();
    expect((await c.captureNow()).captured).toBe(1);
    expect(shots).toHaveLength(1);
  });

  it('blurs everything when the policy says blur', async () => {
    await block.activate();
    const { c, shots } = collector({ policy: { enabled: true, perHour: 60, blur: true, excludedApps: [] } });
    await c.captureNow();
    expect(shots[0]?.meta.blurred).toBe(true);
    expect(edgeEnergy(await decode(shots[0]!.image), secretArea)).toBeLessThan(1);
  });

  it('takes shots on its own schedule, and not while paused or disabled', async () => {
    await block.activate();
    // small, cheap shots so a round stays well inside an interval: a round lists the
    // displays, grabs, encodes and makes the sealed thumbnail (100-600 ms on 2 busy cores)
    const INTERVAL = 1000;
    const { c, shots, skips } = collector({ intervalMs: INTERVAL, mode: 'random', maxWidth: 320, quality: 30 });
    const t0 = Date.now();
    c.start();
    await new Promise((r) => setTimeout(r, 5 * INTERVAL));
    c.setPaused(true);
    await c.captureNow(); // waits for a round in flight; a new one would be skipped
    const taken = shots.length;
    const elapsedIntervals = Math.floor(Date.now() / INTERVAL) - Math.floor(t0 / INTERVAL) + 1;
    await new Promise((r) => setTimeout(r, 2 * INTERVAL + 200));
    await c.stop();
    // one per interval at most, and (bar the first, partly past interval) none missed
    const intervalsHit = new Set(shots.map((s) => Math.floor(s.meta.takenAt / INTERVAL)));
    expect(intervalsHit.size).toBe(shots.length);
    expect(taken).toBeLessThanOrEqual(elapsedIntervals + 1);
    expect(taken).toBeGreaterThanOrEqual(elapsedIntervals - 2);
    expect(shots.length).toBe(taken);
    expect(skips.some((s) => s.reason === 'paused')).toBe(true);
    const off = collector({ policy: { enabled: false, perHour: 60, blur: false, excludedApps: [] } });
    expect((await off.c.captureNow()).skipped).toBe('disabled');
  });

  it('answers typed errors without xrandr or without a display, and nothing goes unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      process.env.PATH = '/nonexistent';
      const noTools = collector();
      expect(await noTools.c.captureNow()).toMatchObject({
        captured: 0,
        skipped: 'failed',
        errors: [{ code: 'tool-missing' }],
      });
      expect(noTools.errors[0]?.message).toContain('xrandr');
      process.env.PATH = prev.PATH;

      process.env.DISPLAY = ':4999';
      const noDisplay = collector();
      expect(await noDisplay.c.captureNow()).toMatchObject({ captured: 0, errors: [{ code: 'no-display' }] });
      delete process.env.DISPLAY;
      expect(await noDisplay.c.captureNow()).toMatchObject({ captured: 0, errors: [{ code: 'no-display' }] });
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.env.PATH = prev.PATH;
      process.env.DISPLAY = x.display;
    }
  });

  it('a helper failing mid-capture (xrandr listing, then re-listing before the grab) costs those rounds only: typed errors, nothing unhandled', async () => {
    // screenshot-desktop lists displays once more inside its grab with no catch:
    // xrandr failing on that call used to leave an unhandled rejection (which
    // kills the agent) and a grab that never settled. With the listing never
    // trusted for a grab, a round runs xrandr twice (list, re-list before the
    // grab): call 3 is round 2's list, call 5 round 3's re-list.
    const tools = failingTools({ xrandr: [3, 5], import: [1] });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      process.env.PATH = tools.path;
      await block.activate();
      const { c, shots, errors } = collector({
        capture: desktopCapture({ timeoutMs: 5000, listingFreshMs: 0 }),
        maxWidth: 320,
      });
      const outcomes = [];
      for (let round = 0; round < 4; round++) outcomes.push(await c.captureNow());
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled).toEqual([]);
      expect(outcomes.map((o) => o.captured)).toEqual([1, 0, 0, 1]);
      expect(errors.map((e) => e.code)).toEqual(['capture-failed', 'capture-failed']);
      expect(errors[0]!.message).toContain('xrandr: failing on purpose (call 3)');
      expect(errors[1]!.message).toContain('xrandr: failing on purpose (call 5)');
      expect(shots).toHaveLength(2);
      // the pixels come from the X server itself: ImageMagick is not run at all
      expect(tools.calls('import')).toBe(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.env.PATH = prev.PATH;
      tools.remove();
    }
  });

  it('lists the displays once per round: the grab right after trusts that listing', async () => {
    const tools = failingTools({ xrandr: [2] });
    try {
      process.env.PATH = tools.path;
      await block.activate();
      const { c, shots, errors } = collector({ capture: desktopCapture({ timeoutMs: 5000 }), maxWidth: 320 });
      const outcomes = [];
      for (let round = 0; round < 3; round++) outcomes.push(await c.captureNow());
      expect(outcomes.map((o) => o.captured)).toEqual([1, 0, 1]);
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('failing on purpose (call 2)')]);
      expect(shots).toHaveLength(2);
      expect(tools.calls('xrandr')).toBe(3);
    } finally {
      process.env.PATH = prev.PATH;
      tools.remove();
    }
  });

  it('the X server going away mid-schedule: typed errors every round, nothing unhandled, the collector keeps its schedule', async () => {
    const doomed = await startDisplay({ width: 640, height: 480 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      process.env.DISPLAY = doomed.display;
      const { c, shots, errors } = collector({
        capture: desktopCapture({ timeoutMs: 5000 }),
        intervalMs: 300,
        mode: 'random',
        maxWidth: 160,
        quality: 30,
      });
      c.start();
      const until = async (what: string, ok: () => boolean, ms = 30_000) => {
        const end = Date.now() + ms;
        while (!ok()) {
          if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await until('a first shot', () => shots.length >= 1);
      await doomed.stop(); // wherever the round is: listing, re-listing or grabbing
      const shotsBefore = shots.length;
      await until('failed rounds after the display went', () => errors.length >= 3);
      await c.stop();
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled).toEqual([]);
      expect(shots.length - shotsBefore).toBeLessThanOrEqual(1); // at most the grab that was under way
      for (const e of errors) expect(['no-display', 'capture-failed', 'capture-timeout']).toContain(e.code);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.env.DISPLAY = x.display;
      await doomed.stop();
    }
  }, 90_000);
});

// Collector logic with a stand-in capture (several displays, which Xvfb's
// single RandR output cannot give): images are real PNGs encoded by sharp.
import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import { ok, fail, type CollectorError } from '../collector-types.js';
import type { WindowSample } from '../window/active-window.js';
import { MAX_THUMB_BYTES } from '@sealtime/shared';
import { blurSigma, encodeScreenshot, encodeThumbnail } from './image-encode.js';
import type { Display, ScreenCapture } from './screen-capture.js';
import { ScreenshotCollector, type CapturedScreenshot, type ScreenshotSkip } from './screenshot-collector.js';

const png = (w: number, h: number, rgb: [number, number, number]) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .png()
    .toBuffer();

function fakeCapture(images: Record<string, Buffer | 'fail'>): ScreenCapture {
  const displays: Display[] = Object.keys(images).map((id, i) => ({
    id,
    name: id,
    width: 100,
    height: 50,
    primary: i === 0,
  }));
  return {
    listDisplays: async () => ok(displays),
    capture: async (d) => {
      const img = images[d.id];
      return img === undefined || img === 'fail' ? fail('capture-failed', `no image for ${d.id}`) : ok(img);
    },
  };
}

function run(
  capture: ScreenCapture,
  foreground: WindowSample[],
  policy = { enabled: true, perHour: 12, blur: false, excludedApps: [] as string[] },
) {
  const shots: CapturedScreenshot[] = [];
  const skips: ScreenshotSkip[] = [];
  const errors: CollectorError[] = [];
  let i = 0;
  const c = new ScreenshotCollector({
    policy,
    capture,
    foreground: async () => foreground[Math.min(i++, foreground.length - 1)],
    onScreenshot: (s) => void shots.push(s),
    onSkip: (s) => void skips.push(s),
    onError: (e) => void errors.push(e),
    clock: () => 1_800_000_000_000,
  });
  return { c, shots, skips, errors };
}

describe('ScreenshotCollector (stand-in capture)', () => {
  it('captures every display, numbered in order', async () => {
    const { c, shots } = run(
      fakeCapture({ 'HDMI-1': await png(300, 200, [255, 0, 0]), 'DP-1': await png(200, 100, [0, 255, 0]) }),
      [{ app: 'Editor', title: '' }],
    );
    expect(await c.captureNow()).toEqual({ captured: 2, errors: [] });
    expect(shots.map((s) => [s.meta.screen, s.meta.width, s.meta.height, s.meta.app])).toEqual([
      [0, 300, 200, undefined],
      [1, 200, 100, undefined],
    ]);
  });

  it('skips the whole round when a listed app came to the front during the grab: nothing leaks', async () => {
    const { c, shots, skips } = run(
      fakeCapture({ a: await png(64, 64, [1, 2, 3]), b: await png(64, 64, [1, 2, 3]) }),
      [
        { app: 'Editor', title: '' },
        { app: 'Editor', title: '' },
        { app: 'KeePassXC', title: '' },
      ],
      {
        enabled: true,
        perHour: 12,
        blur: false,
        excludedApps: ['keepassxc'],
      },
    );
    expect(await c.captureNow()).toMatchObject({ captured: 0, skipped: 'excluded-app' });
    expect(shots).toEqual([]);
    expect(skips[0]?.detail).toBe('keepassxc');
  });

  it('fails closed: with a list and no readable foreground, the shot is treated as excluded', async () => {
    const capture = fakeCapture({ a: await png(64, 64, [1, 2, 3]) });
    const foreground = async () => {
      throw new Error('xprop missing');
    };
    const shots: CapturedScreenshot[] = [];
    const c = new ScreenshotCollector({
      policy: { enabled: true, perHour: 12, blur: false, excludedApps: ['x'] },
      capture,
      foreground,
      onScreenshot: (s) => void shots.push(s),
    });
    expect((await c.captureNow()).skipped).toBe('excluded-app');
    const blurring = new ScreenshotCollector({
      policy: { enabled: true, perHour: 12, blur: false, excludedApps: ['x'] },
      capture,
      foreground,
      excludedAppAction: 'blur',
      onScreenshot: (s) => void shots.push(s),
    });
    await blurring.captureNow();
    expect(shots.map((s) => s.meta.blurred)).toEqual([true]);
  });

  it('keeps going past a display that fails and reports it', async () => {
    const { c, shots, errors } = run(
      fakeCapture({ bad: 'fail', junk: Buffer.from('not an image'), good: await png(50, 50, [9, 9, 9]) }),
      [{ app: 'A', title: '' }],
    );
    const outcome = await c.captureNow();
    expect(outcome.captured).toBe(1);
    expect(errors.map((e) => e.code)).toEqual(['capture-failed', 'encode-failed']);
    expect(shots[0]?.meta.screen).toBe(2);
  });

  it('hands a failing sink the shot with the error, so the caller can keep it', async () => {
    const errors: CollectorError[] = [];
    const c = new ScreenshotCollector({
      policy: { enabled: true, perHour: 12, blur: false, excludedApps: [] },
      capture: fakeCapture({ a: await png(40, 40, [1, 1, 1]) }),
      foreground: async () => undefined,
      onScreenshot: () => {
        throw new Error('disk full');
      },
      onError: (e) => void errors.push(e),
    });
    await c.captureNow();
    expect(errors[0]).toMatchObject({ code: 'sink-failed', message: 'disk full' });
    expect((errors[0]?.value as CapturedScreenshot).image.byteLength).toBeGreaterThan(0);
  });
});

describe('ScreenshotCollector disk budget', () => {
  it('asks the budget before each round: reduced quality makes smaller files, paused takes none', async () => {
    // a noisy image, so quality matters to its size
    const noise = Buffer.alloc(200 * 200 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const image = await sharp(noise, { raw: { width: 200, height: 200, channels: 3 } })
      .png()
      .toBuffer();
    let mode = { mode: 'normal', quality: 1 };
    const shots: CapturedScreenshot[] = [];
    const c = new ScreenshotCollector({
      policy: { enabled: true, perHour: 12, blur: false, excludedApps: [] },
      capture: fakeCapture({ a: image }),
      foreground: async () => undefined,
      onScreenshot: (s) => void shots.push(s),
      quality: 80,
      budget: () => mode,
    });
    await c.captureNow();
    mode = { mode: 'reduced', quality: 0.5 };
    await c.captureNow();
    mode = { mode: 'paused', quality: 0 };
    expect(await c.captureNow()).toMatchObject({ captured: 0, skipped: 'paused' });
    expect(shots).toHaveLength(2);
    expect(shots[1]!.image.byteLength).toBeLessThan(shots[0]!.image.byteLength);
  });
});

describe('encodeScreenshot', () => {
  it('rejects bad input with typed errors and scales blur with width', async () => {
    expect(await encodeScreenshot(Buffer.from('x'), { maxWidth: 100, quality: 50, blur: false })).toMatchObject({
      ok: false,
      error: { code: 'encode-failed' },
    });
    expect(
      await encodeScreenshot(await png(10, 10, [0, 0, 0]), { maxWidth: 3, quality: 50, blur: false }),
    ).toMatchObject({ ok: false });
    expect(blurSigma(640)).toBe(8);
    expect(blurSigma(1920)).toBe(24);
    expect(blurSigma(10_000)).toBe(40);
  });
});

/** Sum of absolute neighbour differences per pixel (grey): sharp text and edges score high, a blur low. */
async function edgeEnergy(webpBase64: string): Promise<{ energy: number; width: number }> {
  const { data, info } = await sharp(Buffer.from(webpBase64, 'base64'))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 1; x < info.width; x++) sum += Math.abs(data[y * info.width + x]! - data[y * info.width + x - 1]!);
  }
  return { energy: sum / (info.width * info.height), width: info.width };
}

/** A screen of black-on-white text lines and a few coloured blocks. */
async function textScreen(width: number, height: number): Promise<Buffer> {
  const lines = Array.from(
    { length: 30 },
    (_, i) =>
      `<text x="20" y="${40 + i * 24}" font-size="20" font-family="sans-serif">Line ${i}: quarterly figures, invoices and notes ${i * 37}</text>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/><rect x="900" y="40" width="300" height="200" fill="#3366cc"/>${lines}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('screenshot thumbnails', () => {
  it('every shot carries a sealed-size WebP preview about 320 px wide', async () => {
    const { c, shots } = run(fakeCapture({ a: await textScreen(1280, 800) }), [{ app: 'Editor', title: '' }]);
    await c.captureNow();
    const thumb = shots[0]!.meta.thumb!;
    const bytes = Buffer.from(thumb, 'base64');
    expect(bytes.length).toBeLessThanOrEqual(MAX_THUMB_BYTES);
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 200]);
  });

  it("a blurred shot's preview is blurred too (made from the blurred image, not the capture)", async () => {
    const screen = await textScreen(1280, 800);
    const sharpShots = run(fakeCapture({ a: screen }), [{ app: 'Editor', title: '' }]);
    await sharpShots.c.captureNow();
    const blurredShots = run(fakeCapture({ a: screen }), [{ app: 'Editor', title: '' }], {
      enabled: true,
      perHour: 12,
      blur: true,
      excludedApps: [],
    });
    await blurredShots.c.captureNow();
    expect(blurredShots.shots[0]!.meta.blurred).toBe(true);
    const plain = await edgeEnergy(sharpShots.shots[0]!.meta.thumb!);
    const blurred = await edgeEnergy(blurredShots.shots[0]!.meta.thumb!);
    expect(blurred.width).toBe(plain.width);
    // text at 320 px still has hard edges; after the full-size blur (sigma 16) almost none remain
    expect(plain.energy).toBeGreaterThan(4);
    expect(blurred.energy).toBeLessThan(plain.energy / 4);
  });

  it('lowers the quality (then the width) until a busy screen fits the bound', async () => {
    const noise = Buffer.alloc(1280 * 800 * 3);
    let x = 12345;
    for (let i = 0; i < noise.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      noise[i] = x >>> 24;
    }
    const image = await sharp(noise, { raw: { width: 1280, height: 800, channels: 3 } })
      .webp({ quality: 90 })
      .toBuffer();
    const t = await encodeThumbnail(image);
    expect(t.ok).toBe(true);
    if (t.ok) expect(t.value.bytes).toBeLessThanOrEqual(MAX_THUMB_BYTES);
    const tight = await encodeThumbnail(image, { maxBytes: 400 });
    expect(tight.ok && tight.value.bytes <= 400 && tight.value.width < 320).toBe(true);
    expect(await encodeThumbnail(new Uint8Array([1, 2, 3]))).toMatchObject({
      ok: false,
      error: { code: 'encode-failed' },
    });
  });
});

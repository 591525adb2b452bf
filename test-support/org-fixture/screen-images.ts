/**
 * Screen images for the simulated screenshots: an app window drawn as SVG
 * (title bar, side panel, coloured blocks, lines of text), rasterised by
 * sharp and then put through the agent's own encoder (downscale, blur for a
 * listed app, WebP) and thumbnailer — the bytes a device would seal.
 *
 * Encoding a 1280×800 WebP costs tens of milliseconds, and a 100-person
 * month takes ~100k screenshots, so a small pool (app × variant × blurred) is
 * rendered once and reused; every use is sealed afresh. Only the pool is kept
 * in memory, never the org's images.
 */
import sharp from 'sharp';
import { encodeScreenshot, encodeThumbnail } from '@sealtime/agent/src/collectors/screenshot/image-encode.js';
import { hashLabel } from './org-plan.js';
import type { ImageKey } from './day-plan.js';

export interface PoolImage {
  image: Uint8Array;
  width: number;
  height: number;
  /** base64 WebP, as ScreenshotPayload.thumb. */
  thumb: string;
}

const WORDS = [
  'invoice',
  'customer',
  'quarter',
  'deploy',
  'review',
  'budget',
  'meeting',
  'ticket',
  'report',
  'release',
  'contract',
  'schedule',
  'draft',
  'summary',
  'backlog',
  'metrics',
];

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function screenSvg(app: string, variant: number, width: number, height: number): string {
  const h = hashLabel(app, variant);
  const hue = h % 360;
  const lines: string[] = [];
  for (let i = 0; i < 26; i++) {
    const words = Array.from(
      { length: 6 + ((h >> (i % 16)) % 6) },
      (_, j) => WORDS[(h + i * 7 + j * 13 + variant) % WORDS.length],
    );
    lines.push(
      `<text x="300" y="${110 + i * 26}" font-size="17" font-family="sans-serif" fill="#222">${escape(`${i + 1}. ${words.join(' ')}`)}</text>`,
    );
  }
  const blocks = Array.from(
    { length: 4 },
    (_, i) =>
      `<rect x="${880 + (i % 2) * 180}" y="${110 + Math.floor(i / 2) * 170}" width="160" height="150" rx="8" fill="hsl(${(hue + i * 50) % 360},60%,${55 + i * 5}%)"/>`,
  ).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#f4f4f4"/>
<rect width="100%" height="48" fill="hsl(${hue},45%,35%)"/>
<text x="20" y="32" font-size="22" font-family="sans-serif" fill="white">${escape(app)} — window ${variant + 1}</text>
<rect x="0" y="48" width="260" height="${height - 48}" fill="hsl(${hue},20%,88%)"/>
${Array.from({ length: 12 }, (_, i) => `<text x="20" y="${90 + i * 30}" font-size="16" font-family="sans-serif" fill="#333">${escape(WORDS[(h + i) % WORDS.length]!)}</text>`).join('')}
${lines.join('')}
${blocks}
</svg>`;
}

export class ScreenPool {
  private readonly cache = new Map<string, Promise<PoolImage>>();

  constructor(
    private readonly width = 1280,
    private readonly height = 800,
    private readonly quality = 60,
  ) {}

  get size(): number {
    return this.cache.size;
  }

  get(key: ImageKey): Promise<PoolImage> {
    const id = `${key.app}|${key.variant}|${key.blurred}`;
    let p = this.cache.get(id);
    if (!p) {
      p = this.render(key);
      p.catch(() => this.cache.delete(id));
      this.cache.set(id, p);
    }
    return p;
  }

  private async render(key: ImageKey): Promise<PoolImage> {
    const png = await sharp(Buffer.from(screenSvg(key.app, key.variant, this.width, this.height)))
      .png()
      .toBuffer();
    const encoded = await encodeScreenshot(png, { maxWidth: this.width, quality: this.quality, blur: key.blurred });
    if (!encoded.ok) throw new Error(`screen image for ${key.app}: ${encoded.error.message}`);
    const thumb = await encodeThumbnail(encoded.value.image);
    if (!thumb.ok) throw new Error(`thumbnail for ${key.app}: ${thumb.error.message}`);
    return {
      image: encoded.value.image,
      width: encoded.value.width,
      height: encoded.value.height,
      thumb: thumb.value.thumb,
    };
  }
}

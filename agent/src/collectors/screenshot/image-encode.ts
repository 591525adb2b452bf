/**
 * Turns a raw capture into what may leave the collector: downscaled to a
 * maximum width, blurred when asked, WebP-compressed. The raw PNG is never
 * handed on.
 */
import sharp from 'sharp';
import { errorMessage, fail, ok, type CollectorResult } from '../collector-types.js';

// libvips' operation cache keeps up to ~50 MB around for reuse; one capture
// every few minutes gains nothing from it and the agent's RSS budget is tight
sharp.cache(false);

export interface EncodeOptions {
  /** Wider images are scaled down (aspect kept); smaller ones are left alone. */
  maxWidth: number;
  /** WebP quality 1..100; lowered when the disk budget is tight. */
  quality: number;
  blur: boolean;
}

export interface EncodedImage {
  image: Uint8Array;
  width: number;
  height: number;
  format: 'webp';
}

/** Blur strong enough that text and faces are unrecognisable at any width. */
export function blurSigma(width: number): number {
  return Math.min(40, Math.max(8, width / 80));
}

export async function encodeScreenshot(input: Buffer, options: EncodeOptions): Promise<CollectorResult<EncodedImage>> {
  const quality = Math.round(Math.min(100, Math.max(1, options.quality)));
  if (!Number.isInteger(options.maxWidth) || options.maxWidth < 16) return fail('encode-failed', `maxWidth must be an integer ≥ 16, got ${options.maxWidth}`);
  try {
    const meta = await sharp(input).metadata();
    if (!meta.width || !meta.height) return fail('encode-failed', 'capture has no dimensions');
    const width = Math.min(meta.width, options.maxWidth);
    let pipeline = sharp(input).removeAlpha().resize({ width, withoutEnlargement: true });
    if (options.blur) pipeline = pipeline.blur(blurSigma(width));
    const { data, info } = await pipeline.webp({ quality, effort: 3 }).toBuffer({ resolveWithObject: true });
    return ok({ image: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, format: 'webp' });
  } catch (err) {
    return fail('encode-failed', `cannot encode screenshot: ${errorMessage(err)}`);
  }
}

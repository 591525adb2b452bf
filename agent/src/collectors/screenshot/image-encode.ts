/**
 * Turns a raw capture into what may leave the collector: downscaled to a
 * maximum width, blurred when asked, WebP-compressed. The raw capture (PNG
 * bytes or RGB pixels) is never handed on.
 */
import type SharpModule from 'sharp';
import { MAX_THUMB_BYTES } from '@sealtime/shared';
import { errorMessage, fail, ok, type CollectorResult } from '../collector-types.js';
import type { CapturedImage } from './screen-capture.js';

type Sharp = typeof SharpModule;
let sharpLoaded: Promise<Sharp> | undefined;

/**
 * sharp and libvips (~6 MB resident, plus the libraries they map) load with
 * the first screenshot, not at start: the default policy takes none.
 */
function loadSharp(): Promise<Sharp> {
  sharpLoaded ??= import('sharp').then(({ default: sharp }) => {
    // libvips' operation cache keeps up to ~50 MB around for reuse; one capture
    // every few minutes gains nothing from it and the agent's RSS budget is tight
    sharp.cache(false);
    // one libvips worker: a screenshot every few minutes needs no parallelism, and each
    // extra thread keeps its own stack and malloc arena resident after the round
    sharp.concurrency(1);
    return sharp;
  });
  return sharpLoaded;
}

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

export async function encodeScreenshot(
  input: CapturedImage,
  options: EncodeOptions,
): Promise<CollectorResult<EncodedImage>> {
  const quality = Math.round(Math.min(100, Math.max(1, options.quality)));
  if (!Number.isInteger(options.maxWidth) || options.maxWidth < 16)
    return fail('encode-failed', `maxWidth must be an integer ≥ 16, got ${options.maxWidth}`);
  try {
    const sharp = await loadSharp();
    const open = () =>
      Buffer.isBuffer(input)
        ? sharp(input)
        : sharp(input.data, { raw: { width: input.width, height: input.height, channels: input.channels } });
    const meta = Buffer.isBuffer(input) ? await sharp(input).metadata() : input;
    if (!meta.width || !meta.height) return fail('encode-failed', 'capture has no dimensions');
    const width = Math.min(meta.width, options.maxWidth);
    let pipeline = open().removeAlpha().resize({ width, withoutEnlargement: true });
    if (options.blur) pipeline = pipeline.blur(blurSigma(width));
    const { data, info } = await pipeline.webp({ quality, effort: 3 }).toBuffer({ resolveWithObject: true });
    return ok({
      image: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      format: 'webp',
    });
  } catch (err) {
    return fail('encode-failed', `cannot encode screenshot: ${errorMessage(err)}`);
  }
}

export interface Thumbnail {
  /** base64 (standard alphabet) of the WebP bytes: what ScreenshotPayload.thumb holds. */
  thumb: string;
  width: number;
  height: number;
  bytes: number;
}

const THUMB_WIDTH = 320;
const THUMB_QUALITIES = [60, 45, 32, 22, 14, 8, 4, 1];

/**
 * The gallery preview sealed inside the screenshot's metadata record: made
 * from the image as it will be stored (already blurred when the shot is), so
 * a preview can never show more than the image. The quality steps down until
 * it fits `maxBytes`; a busy screen that does not fit even at quality 1 is
 * halved in width rather than sent without a preview.
 */
export async function encodeThumbnail(
  image: Uint8Array,
  options: { width?: number; maxBytes?: number } = {},
): Promise<CollectorResult<Thumbnail>> {
  const maxBytes = options.maxBytes ?? MAX_THUMB_BYTES;
  try {
    const sharp = await loadSharp();
    for (let width = options.width ?? THUMB_WIDTH; width >= 40; width = Math.floor(width / 2)) {
      const resized = await sharp(image)
        .resize({ width, withoutEnlargement: true })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { width: w, height: h, channels } = resized.info;
      for (const quality of THUMB_QUALITIES) {
        const data = await sharp(resized.data, { raw: { width: w, height: h, channels } })
          .webp({ quality, effort: 3 })
          .toBuffer();
        if (data.length <= maxBytes)
          return ok({ thumb: data.toString('base64'), width: w, height: h, bytes: data.length });
      }
    }
    return fail('encode-failed', `cannot fit a thumbnail into ${maxBytes} bytes`);
  } catch (err) {
    return fail('encode-failed', `cannot make a thumbnail: ${errorMessage(err)}`);
  }
}

/**
 * The image source of a thumbnail sealed into screenshot metadata. Agents
 * store base64 WebP (ScreenshotPayload.thumb); a data:image/ URL is accepted
 * as is. Anything else (a URL, script) is dropped: the renderer puts this
 * straight into <img src>, so only inline image data may pass.
 */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DATA_IMAGE = /^data:image\/(webp|jpeg|png);base64,[A-Za-z0-9+/]+={0,2}$/;

export function thumbnailSrc(thumb: unknown): string | undefined {
  if (typeof thumb !== 'string' || thumb.length === 0) return undefined;
  if (DATA_IMAGE.test(thumb)) return thumb;
  return BASE64.test(thumb) ? `data:image/webp;base64,${thumb}` : undefined;
}

/**
 * A day's thumbnails in one HTTP response (the ui server's and the Electron
 * protocol's /img-batch): multipart/form-data, one part per link token, so
 * the page reads it with the browser's own Response.formData() and shows
 * each part through an object URL. One request instead of one per
 * thumbnail: a timeline's ~48 went six at a time through the core.
 */
import { randomBytes } from 'node:crypto';

/** Links a batch may name: a person-day has about 50; more is not a view's. */
export const MAX_BATCH = 200;
/** The path the page asks: /img-batch?t=<token>.<token>… (tokens are base64url: no dot in them). */
export const IMAGE_BATCH_PATH = '/img-batch';

/** The tokens a batch URL names, or null when it names none or too many. */
export function batchTokens(search: URLSearchParams): string[] | null {
  const tokens = (search.get('t') ?? '').split('.').filter((t) => /^[A-Za-z0-9_-]{16,64}$/.test(t));
  return tokens.length === 0 || tokens.length > MAX_BATCH ? null : tokens;
}

export function encodeImageBatch(
  parts: ReadonlyArray<{ token: string; image: { bytes: Uint8Array; contentType: string } }>,
): {
  body: Buffer<ArrayBuffer>;
  contentType: string;
} {
  const boundary = `sealtime-${randomBytes(18).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const { token, image } of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${token}"; filename="${token}"\r\nContent-Type: ${image.contentType}\r\n\r\n`,
      ),
      Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

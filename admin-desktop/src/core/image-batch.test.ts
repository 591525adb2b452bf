// A batch of thumbnails is multipart/form-data that a browser's
// Response.formData() reads back part by part, byte for byte (here the
// fetch implementation of Node, undici, which follows the same standard).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { batchTokens, encodeImageBatch, MAX_BATCH } from './image-batch.js';

const token = () => randomBytes(24).toString('base64url');

describe('image batch', () => {
  it('round-trips every part through Response.formData(), binary bytes and content types intact', async () => {
    const parts = [
      { token: token(), image: { bytes: randomBytes(13_000), contentType: 'image/webp' } },
      { token: token(), image: { bytes: Buffer.from('\r\n--not-the-boundary\r\n'), contentType: 'image/jpeg' } },
      { token: token(), image: { bytes: new Uint8Array(0), contentType: 'image/png' } },
    ];
    const { body, contentType } = encodeImageBatch(parts);
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    for (const p of parts) {
      const f = form.get(p.token);
      expect(f).toBeInstanceOf(Blob);
      const blob = f as Blob;
      expect(blob.type).toBe(p.image.contentType);
      expect(Buffer.from(await blob.arrayBuffer()).equals(Buffer.from(p.image.bytes))).toBe(true);
    }
    expect([...form.keys()]).toHaveLength(3);
  });

  it('an empty batch is a valid, empty form', async () => {
    const { body, contentType } = encodeImageBatch([]);
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    expect([...form.keys()]).toEqual([]);
  });

  it('names 1 to MAX_BATCH well-formed tokens, or nothing', () => {
    const a = token();
    const b = token();
    expect(batchTokens(new URLSearchParams({ t: `${a}.${b}` }))).toEqual([a, b]);
    // a token that could break the multipart header or a path is dropped, not passed on
    expect(batchTokens(new URLSearchParams({ t: `${a}.x"; filename="y.${'../etc'}` }))).toEqual([a]);
    expect(batchTokens(new URLSearchParams({ t: '' }))).toBeNull();
    expect(batchTokens(new URLSearchParams())).toBeNull();
    const many = Array.from({ length: MAX_BATCH + 1 }, token).join('.');
    expect(batchTokens(new URLSearchParams({ t: many }))).toBeNull();
  });
});

/**
 * What a version 2 envelope encrypts: the exact kind and time (kept from the
 * server since version 2) and the payload, padded to a size bucket so that the
 * ciphertext length tells nothing beyond the bucket. The padding sits inside
 * the AEAD, so it is authenticated and removed on open.
 *
 *   u8 length + kind (ASCII), u64 createdAt (ms), u32 payload length, payload,
 *   zero bytes up to paddedSize(everything before them)
 *
 * Buckets (padmé): 256 B, then sizes whose low bits are zero — between 2^e and
 * 2^(e+1) a multiple of 2^(e - s) with s = floor(log2 e) + 1, so 16 sizes per
 * doubling up to 64 KiB and 32 above: at most 6.25 % overhead (1 KB stays
 * near 1 KB, 300 KB pads by ~1 %), and the length tells at most s bits
 * beyond its power of two, O(log log n).
 * Envelopes sealed before padmé used powers of two up to 64 KiB, then 16
 * steps per doubling (legacyPaddedSize); both stay readable: a sealed content
 * of either size opens, so one content has at most these two encodings.
 */
import { ByteReader, ByteWriter, fromAscii, fromUtf8 } from './bytes.js';
import { fail, ok, type EnvelopeError, type Result } from './errors.js';

export const MIN_PADDED_BYTES = 256;
const COARSE_LIMIT = 64 * 1024;
const STEPS_PER_DOUBLING = 16;
export const HOUR_MS = 3_600_000;

const KIND_RE = /^[a-z][a-z0-9-]{0,31}$/;

/** The bucket a plaintext of `n` bytes is padded to (padmé above 256 B). */
export function paddedSize(n: number): number {
  if (n <= MIN_PADDED_BYTES) return MIN_PADDED_BYTES;
  // the content is bounded far below 2^31 (MAX_PAYLOAD_BYTES), so 32-bit integer arithmetic is exact
  const e = 31 - Math.clz32(n);
  const s = 32 - Math.clz32(e);
  const mask = (1 << (e - s)) - 1;
  return (n + mask) & ~mask;
}

/** The bucket of envelopes sealed before padmé: powers of two up to 64 KiB, then 16 steps per doubling. */
export function legacyPaddedSize(n: number): number {
  if (n <= MIN_PADDED_BYTES) return MIN_PADDED_BYTES;
  let p = MIN_PADDED_BYTES;
  while (p < n) p *= 2;
  if (p <= COARSE_LIMIT) return p;
  const step = p / STEPS_PER_DOUBLING;
  return Math.ceil(n / step) * step;
}

/** Whether `n` bytes is a bucket size under the current or the legacy rule (a version 2 ciphertext's length). */
export function isPaddedSize(n: number): boolean {
  return paddedSize(n) === n || legacyPaddedSize(n) === n;
}

/** createdAt floored to its hour: the only time a version 2 header shows. */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

export interface SealedContent {
  kind: string;
  createdAt: number;
  payload: Uint8Array;
}

/** Unpadded length of the content: the padding brings it to paddedSize of this. */
export function contentLength(kind: string, payloadLength: number): number {
  return 1 + kind.length + 8 + 4 + payloadLength;
}

export function encodeContent(c: SealedContent): Uint8Array {
  const used = contentLength(c.kind, c.payload.length);
  const w = new ByteWriter().shortString(c.kind).u64(c.createdAt).u32(c.payload.length).bytes(c.payload);
  return w.bytes(new Uint8Array(paddedSize(used) - used)).finish();
}

/** Strict: the padding must be exactly the bucket's (current or legacy rule) and all zeros. */
export function decodeContent(buf: Uint8Array): Result<SealedContent, EnvelopeError> {
  const r = new ByteReader(buf);
  const len = r.u8();
  const rawKind = len === undefined ? undefined : r.bytes(len);
  if (!rawKind) return fail('truncated', 'sealed content ends inside the kind', 0);
  const kind = fromAscii(rawKind) ?? fromUtf8(rawKind);
  if (kind === undefined || !KIND_RE.test(kind))
    return fail('invalid-field', 'sealed kind is not a valid kind', 'kind');
  const createdAt = r.u64();
  const payloadLength = r.u32();
  if (createdAt === undefined || payloadLength === undefined)
    return fail('truncated', 'sealed content ends inside createdAt/length', r.offset);
  if (Number.isNaN(createdAt)) return fail('invalid-field', 'sealed createdAt beyond 2^53', 'createdAt');
  const payload = r.bytes(payloadLength);
  if (!payload)
    return fail(
      'truncated',
      `sealed content ends inside the payload (${r.remaining} of ${payloadLength} bytes)`,
      r.offset,
    );
  if (buf.length !== paddedSize(r.offset) && buf.length !== legacyPaddedSize(r.offset))
    return fail(
      'invalid-field',
      `sealed content of ${buf.length} bytes is not padded to its bucket (${paddedSize(r.offset)})`,
      'padding',
    );
  if (!allZero(buf, r.offset)) return fail('invalid-field', 'padding bytes must be zero', 'padding');
  return ok({ kind, createdAt, payload });
}

/** Whether buf[from..] is all zeros; four bytes at a time where aligned (a screenshot's padding runs to tens of KB). */
function allZero(buf: Uint8Array, from: number): boolean {
  let acc = 0;
  let i = from;
  while (i < buf.length && (buf.byteOffset + i) % 4 !== 0) acc |= buf[i++]!;
  const words = Math.floor((buf.length - i) / 4);
  if (words > 0) {
    const w = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    for (let k = 0; k < words; k++) acc |= w[k]!;
    i += words * 4;
  }
  while (i < buf.length) acc |= buf[i++]!;
  return acc === 0;
}

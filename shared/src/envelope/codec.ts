/** Canonical base64 (URL-safe, unpadded) for envelopes and keys inside JSON documents. */
import { fail, ok, type EnvelopeError, type Result } from './errors.js';
import { sodium } from './sodium.js';

export function toBase64(bytes: Uint8Array): string {
  const s = sodium();
  return s.to_base64(bytes, s.base64_variants.URLSAFE_NO_PADDING);
}

/** Rejects anything that does not re-encode to itself (padding, whitespace, other alphabets). */
export function fromBase64(text: unknown, maxBytes = Number.MAX_SAFE_INTEGER): Result<Uint8Array, EnvelopeError> {
  if (typeof text !== 'string') return fail('bad-encoding', 'expected a base64url string');
  if (text.length > Math.ceil((maxBytes * 4) / 3) + 4)
    return fail('oversize', `base64 text of ${text.length} chars exceeds the limit`);
  if (!/^[A-Za-z0-9_-]*$/.test(text))
    return fail('bad-encoding', 'base64url text contains characters outside its alphabet');
  const s = sodium();
  let bytes: Uint8Array;
  try {
    bytes = s.from_base64(text, s.base64_variants.URLSAFE_NO_PADDING);
  } catch {
    return fail('bad-encoding', 'base64url text does not decode');
  }
  if (toBase64(bytes) !== text) return fail('bad-encoding', 'base64url text is not canonical');
  if (bytes.length > maxBytes) return fail('oversize', `${bytes.length} bytes exceed the limit of ${maxBytes}`);
  return ok(bytes);
}

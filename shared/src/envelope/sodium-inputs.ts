/** How both bindings read their inputs: text as UTF-8, and a BLAKE2b key checked the way both agree on. */
const utf8Encoder = new TextEncoder();
export const bytesOf = (x: string | Uint8Array): Uint8Array => (typeof x === 'string' ? utf8Encoder.encode(x) : x);

/** A BLAKE2b key is none (null, empty) or 16..64 bytes. */
export function checkedHashKey(key: string | Uint8Array | null | undefined): Uint8Array | null {
  if (key === null || key === undefined) return null;
  const k = bytesOf(key);
  if (k.length === 0) return null;
  if (k.length < 16 || k.length > 64) throw new Error('invalid key length: BLAKE2b keys are 16..64 bytes');
  return k;
}

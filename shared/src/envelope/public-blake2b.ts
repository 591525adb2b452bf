/**
 * BLAKE2b of public bytes through hash-wasm, for the (length, key) pairs
 * registered here: the signed envelope bytes and the chain link. Same
 * function, same digests as libsodium's crypto_generichash; faster than
 * both bindings' own where it is used (measured in Node 20 on this project's
 * 2-core machines: sodium-native's BLAKE2b ran at 50–85 % of hash-wasm's at
 * every size from 64 B to 300 KB; libsodium's WebAssembly build matched
 * hash-wasm below 4 KB and ran 5–15 % slower above).
 *
 * Only registered pairs go this way because hash-wasm's memory keeps the
 * last 16 KB it hashed: nothing secret may be hashed here. A hasher is
 * created asynchronously (a WebAssembly instance per pair, a few pages
 * each), so initSodium() awaits preparePublicHashers(); until a pair's
 * hasher exists, callers fall back to the binding's own BLAKE2b.
 */
import type { IHasher } from 'hash-wasm';

interface Registered {
  hashLength: number;
  key: Uint8Array | null;
  hasher?: IHasher;
}

const registered: Registered[] = [];
let pending: Promise<void> | undefined;
let unavailable = false;

/**
 * Declares that BLAKE2b with this output length and key only ever hashes
 * public bytes. Keys are 16..64 bytes (or null: unkeyed), lengths 16..64.
 */
export function registerPublicHash(hashLength: number, key: Uint8Array | null): void {
  if (!Number.isInteger(hashLength) || hashLength < 16 || hashLength > 64)
    throw new RangeError('a public BLAKE2b digest is 16..64 bytes');
  if (key !== null && (key.length < 16 || key.length > 64))
    throw new RangeError('a public BLAKE2b key is 16..64 bytes');
  if (registered.some((r) => r.hashLength === hashLength && sameKey(r.key, key))) return;
  registered.push({ hashLength, key: key === null ? null : Uint8Array.from(key) });
  // registered after initSodium: created in the background, the binding's BLAKE2b serves until then
  if (pending === undefined && registered.some((r) => r.hasher)) void preparePublicHashers();
}

/** Creates the hashers of every registered pair that has none; a failure to load leaves the bindings' own BLAKE2b in use. */
export function preparePublicHashers(): Promise<void> {
  if (unavailable) return Promise.resolve();
  pending ??= (async () => {
    try {
      const { createBLAKE2b } = await import('hash-wasm');
      for (const r of registered) r.hasher ??= await createBLAKE2b(r.hashLength * 8, r.key ?? undefined);
    } catch {
      // e.g. a renderer whose content policy forbids WebAssembly: same digests, only slower
      unavailable = true;
    } finally {
      pending = undefined;
    }
  })();
  return pending;
}

/** The hasher for this pair when it is registered and ready; undefined sends the caller to its binding. */
export function publicHasher(hashLength: number, key: Uint8Array | null): IHasher | undefined {
  for (const r of registered) if (r.hashLength === hashLength && sameKey(r.key, key)) return r.hasher;
  return undefined;
}

/** BLAKE2b through a ready hasher (synchronous: no other call can interleave between init and digest). */
export function publicDigest(hasher: IHasher, message: Uint8Array): Uint8Array {
  return hasher.init().update(message).digest('binary');
}

function sameKey(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

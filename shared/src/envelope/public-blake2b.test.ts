/**
 * The hash-wasm route for public BLAKE2b gives libsodium's digests exactly, in
 * both bindings, on both sides of the size where the WebAssembly binding
 * switches to it, and takes only the registered (length, key) pairs.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { utf8 } from './bytes.js';
import { chainHash, signedDigest } from './hash.js';
import { preparePublicHashers, publicHasher, registerPublicHash } from './public-blake2b.js';
import { initSodium, loadSodiumBinding, type Sodium } from './sodium.js';

/** libsodium itself, not through our bindings: the digests the route must match. */
let rawWasm: (len: number, m: Uint8Array, key: Uint8Array | null) => Uint8Array;
let rawNative: (len: number, m: Uint8Array, key: Uint8Array | null) => Uint8Array;
let native: Sodium;
let wasm: Sodium;

const SIGNED = utf8('sealtime signed v1');
const CHAIN = utf8('sealtime chain v1');
const TEST_KEY = utf8('public blake2b test key');
const UNREGISTERED = utf8('never registered as public');

beforeAll(async () => {
  const lib = (await import('libsodium-wrappers-sumo')).default;
  await lib.ready;
  rawWasm = (len, m, key) => lib.crypto_generichash(len, m, key);
  const n = ((await import('sodium-native')) as { default: { crypto_generichash: (...a: unknown[]) => void } }).default;
  rawNative = (len, m, key) => {
    const out = new Uint8Array(len);
    if (key === null) n.crypto_generichash(out, m);
    else n.crypto_generichash(out, m, key);
    return out;
  };
  registerPublicHash(24, TEST_KEY);
  native = await loadSodiumBinding('native');
  wasm = await loadSodiumBinding('wasm');
});

const bytes = (n: number, fill: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + fill) & 0xff);

describe('public BLAKE2b through hash-wasm', () => {
  it('has a ready hasher for the envelope contexts after loading a binding, none for other keys', () => {
    expect(publicHasher(32, SIGNED)).toBeDefined();
    expect(publicHasher(32, CHAIN)).toBeDefined();
    expect(publicHasher(24, TEST_KEY)).toBeDefined();
    expect(publicHasher(32, UNREGISTERED)).toBeUndefined();
    expect(publicHasher(16, SIGNED)).toBeUndefined(); // another length is another function
    expect(publicHasher(32, null)).toBeUndefined();
  });

  it("gives libsodium's digests in both bindings, below and above the WebAssembly binding's switch", () => {
    for (const size of [0, 1, 95, 96, 127, 128, 129, 1600, 4095, 4096, 4097, 16_384, 16_385, 311_700])
      for (const [len, key] of [
        [32, SIGNED],
        [32, CHAIN],
        [24, TEST_KEY],
      ] as const) {
        const m = bytes(size, len + key.length);
        const want = rawNative(len, m, key);
        expect(rawWasm(len, m, key)).toEqual(want);
        expect(native.crypto_generichash(len, m, key)).toEqual(want);
        expect(wasm.crypto_generichash(len, m, key)).toEqual(want);
      }
  });

  it('agrees with libsodium on arbitrary messages, also subarrays of a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), fc.nat(7), (m, cut) => {
        const view = m.subarray(Math.min(cut, m.length));
        const want = rawNative(32, view, SIGNED);
        expect(native.crypto_generichash(32, view, SIGNED)).toEqual(want);
        expect(wasm.crypto_generichash(32, view, SIGNED)).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it('is the route taken: sodium-native at every size, the WebAssembly binding from 4096 bytes', () => {
    const spy = vi.spyOn(publicHasher(32, SIGNED)!, 'init');
    try {
      native.crypto_generichash(32, bytes(96, 1), SIGNED);
      expect(spy).toHaveBeenCalledTimes(1);
      wasm.crypto_generichash(32, bytes(4095, 1), SIGNED);
      expect(spy).toHaveBeenCalledTimes(1);
      wasm.crypto_generichash(32, bytes(4096, 1), SIGNED);
      expect(spy).toHaveBeenCalledTimes(2);
      native.crypto_generichash(32, bytes(96, 1), UNREGISTERED);
      wasm.crypto_generichash(32, bytes(5000, 1), UNREGISTERED);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('returns a fresh array each call: a digest is not overwritten by the next one', () => {
    const a = native.crypto_generichash(32, bytes(100, 1), SIGNED);
    const copy = Uint8Array.from(a);
    native.crypto_generichash(32, bytes(100, 2), SIGNED);
    expect(a).toEqual(copy);
  });

  it('serves the envelope hashes: signedDigest and chainHash equal libsodium over the same bytes', async () => {
    for (const binding of ['native', 'wasm'] as const) {
      await initSodium({ binding });
      for (const size of [1554, 311_700]) {
        const signed = bytes(size, 3);
        const digest = signedDigest(signed);
        expect(digest).toEqual(rawNative(32, signed, SIGNED));
        const signature = bytes(64, 4);
        const link = new Uint8Array(96);
        link.set(digest, 0);
        link.set(signature, 32);
        expect(chainHash(digest, signature)).toEqual(rawWasm(32, link, CHAIN));
      }
    }
  });

  it('a pair registered after loading gets its hasher once prepared, and hashes the same', async () => {
    const late = utf8('registered after the bindings');
    registerPublicHash(32, late);
    await preparePublicHashers();
    expect(publicHasher(32, late)).toBeDefined();
    const m = bytes(5000, 9);
    expect(native.crypto_generichash(32, m, late)).toEqual(rawNative(32, m, late));
  });

  it('refuses pairs libsodium would not hash', () => {
    expect(() => registerPublicHash(8, SIGNED)).toThrow(RangeError);
    expect(() => registerPublicHash(65, SIGNED)).toThrow(RangeError);
    expect(() => registerPublicHash(32, utf8('short'))).toThrow(RangeError);
  });
});

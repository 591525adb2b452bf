/**
 * The one place libsodium is bound. Everything else calls `sodium()` after
 * `initSodium()` resolved once; the primitives themselves are synchronous.
 *
 * Two builds of the same libsodium sit behind one interface:
 * - `native`: sodium-native (N-API prebuilds, loads in Node and Electron's main
 *   process). Several times faster than WebAssembly: no copies into a WASM heap,
 *   and the compiler's assembly for BLAKE2b, ChaCha20 and Ed25519.
 * - `wasm`: libsodium-wrappers-sumo (the sumo build has crypto_pwhash/Argon2id),
 *   used wherever the native addon cannot load (a browser, a missing prebuild).
 * Both produce byte-identical output (Ed25519 signatures are deterministic);
 * sodium-both-bindings.test.ts holds them to it. SEALTIME_SODIUM=wasm|native
 * or `initSodium({ binding })` forces one (tests, the bench).
 * BLAKE2b of the (length, key) pairs registered as public goes through
 * hash-wasm where it is faster than the binding's own (public-blake2b.ts).
 */
/// <reference path="./sodium-native.d.ts" />
import { preparePublicHashers, publicDigest, publicHasher } from './public-blake2b.js';
// both builds load on demand: a process running native never instantiates the WebAssembly module (about 12 MB)
type WasmModule = typeof import('libsodium-wrappers-sumo').default;

export type SodiumBinding = 'native' | 'wasm';

export interface SodiumKeyPair {
  keyType: 'ed25519' | 'x25519' | 'curve25519';
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** libsodium-wrappers' enum values; base64 text is canonical in every variant. */
export const BASE64_VARIANTS = { ORIGINAL: 1, ORIGINAL_NO_PADDING: 3, URLSAFE: 5, URLSAFE_NO_PADDING: 7 } as const;

/** The primitives the project uses, with libsodium-wrappers' signatures and error behaviour (throws where it throws). */
export interface Sodium {
  readonly binding: SodiumBinding;
  readonly base64_variants: typeof BASE64_VARIANTS;
  readonly crypto_pwhash_ALG_ARGON2ID13: number;
  readonly crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number;
  readonly crypto_aead_xchacha20poly1305_ietf_KEYBYTES: number;
  readonly crypto_aead_xchacha20poly1305_ietf_ABYTES: number;
  randombytes_buf(length: number): Uint8Array;
  memzero(bytes: Uint8Array): void;
  to_base64(bytes: Uint8Array, variant?: number): string;
  from_base64(text: string, variant?: number): Uint8Array;
  to_hex(bytes: Uint8Array): string;
  from_hex(text: string): Uint8Array;
  crypto_generichash(hashLength: number, message: string | Uint8Array, key?: string | Uint8Array | null): Uint8Array;
  crypto_kdf_derive_from_key(subkeyLength: number, subkeyId: number, context: string, key: Uint8Array): Uint8Array;
  crypto_pwhash(
    keyLength: number,
    password: string | Uint8Array,
    salt: Uint8Array,
    opsLimit: number,
    memLimit: number,
    algorithm: number,
  ): Uint8Array;
  crypto_aead_xchacha20poly1305_ietf_keygen(): Uint8Array;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
    message: string | Uint8Array,
    additionalData: string | Uint8Array | null,
    secretNonce: null,
    publicNonce: Uint8Array,
    key: Uint8Array,
  ): Uint8Array;
  crypto_aead_xchacha20poly1305_ietf_decrypt(
    secretNonce: null,
    ciphertext: Uint8Array,
    additionalData: string | Uint8Array | null,
    publicNonce: Uint8Array,
    key: Uint8Array,
  ): Uint8Array;
  crypto_sign_keypair(): SodiumKeyPair;
  crypto_sign_seed_keypair(seed: Uint8Array): SodiumKeyPair;
  crypto_sign_ed25519_sk_to_pk(privateKey: Uint8Array): Uint8Array;
  crypto_sign_detached(message: string | Uint8Array, privateKey: Uint8Array): Uint8Array;
  crypto_sign_verify_detached(signature: Uint8Array, message: string | Uint8Array, publicKey: Uint8Array): boolean;
  crypto_box_keypair(): SodiumKeyPair;
  crypto_box_seed_keypair(seed: Uint8Array): SodiumKeyPair;
  crypto_box_seal(message: string | Uint8Array, publicKey: Uint8Array): Uint8Array;
  crypto_box_seal_open(ciphertext: Uint8Array, publicKey: Uint8Array, privateKey: Uint8Array): Uint8Array;
}

/** What we call of sodium-native: output buffers first, as in C. */
interface NativeAddon {
  randombytes_buf(out: Uint8Array): void;
  sodium_memzero(buf: Uint8Array): void;
  crypto_generichash(out: Uint8Array, input: Uint8Array, key?: Uint8Array): void;
  crypto_kdf_derive_from_key(out: Uint8Array, subkeyId: number, ctx: Uint8Array, key: Uint8Array): void;
  crypto_pwhash(out: Uint8Array, password: Uint8Array, salt: Uint8Array, ops: number, mem: number, alg: number): void;
  crypto_pwhash_ALG_ARGON2ID13: number;
  crypto_aead_xchacha20poly1305_ietf_keygen(out: Uint8Array): void;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
    c: Uint8Array,
    m: Uint8Array,
    ad: Uint8Array | null,
    nsec: null,
    npub: Uint8Array,
    k: Uint8Array,
  ): number;
  crypto_aead_xchacha20poly1305_ietf_decrypt(
    m: Uint8Array,
    nsec: null,
    c: Uint8Array,
    ad: Uint8Array | null,
    npub: Uint8Array,
    k: Uint8Array,
  ): number;
  crypto_sign_keypair(pk: Uint8Array, sk: Uint8Array): void;
  crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void;
  crypto_sign_ed25519_sk_to_pk(pk: Uint8Array, sk: Uint8Array): void;
  crypto_sign_detached(sig: Uint8Array, m: Uint8Array, sk: Uint8Array): void;
  crypto_sign_verify_detached(sig: Uint8Array, m: Uint8Array, pk: Uint8Array): boolean;
  crypto_box_keypair(pk: Uint8Array, sk: Uint8Array): void;
  crypto_box_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void;
  crypto_box_seal(c: Uint8Array, m: Uint8Array, pk: Uint8Array): void;
  crypto_box_seal_open(m: Uint8Array, c: Uint8Array, pk: Uint8Array, sk: Uint8Array): boolean;
}

const bindings: { native?: Sodium | null; wasm?: Sodium } = {};
let loaded: Sodium | undefined;

function wantedBinding(): SodiumBinding | undefined {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.SEALTIME_SODIUM;
  return v === 'native' || v === 'wasm' ? v : undefined;
}

/**
 * Loads libsodium once and makes it the one `sodium()` returns: native when it
 * loads, WebAssembly otherwise. `binding` (or SEALTIME_SODIUM) forces one; a
 * forced `native` that cannot load is an error, not a silent fallback.
 * Calling it again with another binding switches (tests compare the two).
 */
export async function initSodium(options: { binding?: SodiumBinding } = {}): Promise<Sodium> {
  const wanted = options.binding ?? wantedBinding();
  await preparePublicHashers();
  if (loaded && (wanted === undefined || loaded.binding === wanted)) return loaded;
  if (wanted !== 'wasm') {
    const native = await loadSodiumBinding('native').catch((e: unknown) => {
      if (wanted === 'native') throw e;
      return undefined;
    });
    if (native) return (loaded = native);
  }
  return (loaded = await loadSodiumBinding('wasm'));
}

/** One binding, loaded without making it the current one (the cross-binding tests seal with one and open with the other). */
export async function loadSodiumBinding(binding: SodiumBinding): Promise<Sodium> {
  await preparePublicHashers();
  if (binding === 'wasm') {
    if (!bindings.wasm) {
      const sodiumModule: WasmModule = (await import('libsodium-wrappers-sumo')).default;
      await sodiumModule.ready;
      const generichash = sodiumModule.crypto_generichash;
      bindings.wasm = Object.assign(Object.create(sodiumModule) as WasmModule, {
        binding: 'wasm' as const,
        base64_variants: BASE64_VARIANTS,
        // libsodium's C code takes 1..15-byte keys, sodium-native refuses them: both refuse, so both bindings agree
        crypto_generichash(hashLength: number, message: string | Uint8Array, key?: string | Uint8Array | null) {
          const k = checkedHashKey(key);
          // this build's BLAKE2b matches hash-wasm's below a few KB and trails it above (public-blake2b.ts)
          if (typeof message !== 'string' && message.length >= 4096) {
            const fast = publicHasher(hashLength, k);
            if (fast) return publicDigest(fast, message);
          }
          return generichash(hashLength, message, k);
        },
      }) as unknown as Sodium;
    }
    return bindings.wasm;
  }
  if (bindings.native === null)
    throw new SodiumUnavailableError('native', 'sodium-native did not load earlier in this process');
  if (!bindings.native) {
    try {
      if (!(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node)
        throw new Error('not running in Node or Electron');
      const mod = (await import('sodium-native')) as { default?: NativeAddon } & NativeAddon;
      bindings.native = nativeSodium(mod.default ?? mod);
    } catch (e) {
      bindings.native = null;
      throw new SodiumUnavailableError('native', e instanceof Error ? e.message : String(e));
    }
  }
  return bindings.native;
}

export class SodiumNotReadyError extends Error {
  readonly code = 'sodium-not-ready' as const;
  constructor() {
    super('libsodium is not initialised: await initSodium() once before sealing or opening');
  }
}

export class SodiumUnavailableError extends Error {
  readonly code = 'sodium-unavailable' as const;
  constructor(
    readonly binding: SodiumBinding,
    reason: string,
  ) {
    super(`the ${binding} libsodium binding cannot load: ${reason}`);
  }
}

export function sodium(): Sodium {
  if (!loaded) throw new SodiumNotReadyError();
  return loaded;
}

const utf8Encoder = new TextEncoder();
const bytesOf = (x: string | Uint8Array): Uint8Array => (typeof x === 'string' ? utf8Encoder.encode(x) : x);

/** A BLAKE2b key is none (null, empty) or 16..64 bytes. */
function checkedHashKey(key: string | Uint8Array | null | undefined): Uint8Array | null {
  if (key === null || key === undefined) return null;
  const k = bytesOf(key);
  if (k.length === 0) return null;
  if (k.length < 16 || k.length > 64) throw new Error('invalid key length: BLAKE2b keys are 16..64 bytes');
  return k;
}

function base64Alphabet(variant: number): { encoding: 'base64' | 'base64url'; padded: boolean } {
  switch (variant) {
    case BASE64_VARIANTS.ORIGINAL:
      return { encoding: 'base64', padded: true };
    case BASE64_VARIANTS.ORIGINAL_NO_PADDING:
      return { encoding: 'base64', padded: false };
    case BASE64_VARIANTS.URLSAFE:
      return { encoding: 'base64url', padded: true };
    case BASE64_VARIANTS.URLSAFE_NO_PADDING:
      return { encoding: 'base64url', padded: false };
    default:
      throw new Error('unsupported base64 variant');
  }
}

/** Buffer views as plain Uint8Arrays: callers compare and serialise them like the WebAssembly build's output. */
function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function nativeToBase64(bytes: Uint8Array, variant: number = BASE64_VARIANTS.URLSAFE_NO_PADDING): string {
  const { encoding, padded } = base64Alphabet(variant);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
  if (encoding === 'base64' && !padded) return text.replace(/=+$/, '');
  if (encoding === 'base64url' && padded) return text + '='.repeat((4 - (text.length % 4)) % 4);
  return text;
}

/**
 * An output buffer libsodium overwrites entirely: large ones skip the zero fill
 * (a screenshot's 300 KB), never from Buffer's shared pool (its .buffer would
 * expose neighbouring data).
 */
function uninitialised(length: number): Uint8Array {
  return length < 4096 ? new Uint8Array(length) : plain(Buffer.allocUnsafeSlow(length));
}

/**
 * Small buffers cross into the addon through these off-heap scratch buffers.
 * V8 keeps typed arrays of up to 64 bytes on its heap and must move one off
 * the heap (a fresh allocation) the first time N-API asks for its address:
 * ~1 µs for each new digest and hash output, more than hashing 96 bytes.
 * Each call copies in and out and zeroes what it used (an input may be a seed).
 */
const SCRATCH_BYTES = 64;

/** `bytes` or, when small, a copy of it in `scratch` (zero it after the call). */
function offHeap(bytes: Uint8Array, scratch: Uint8Array): Uint8Array {
  if (bytes.length > scratch.length) return bytes;
  const view = bytes.length === scratch.length ? scratch : scratch.subarray(0, bytes.length);
  view.set(bytes);
  return view;
}

/** sodium-native runs only in Node/Electron, so Buffer is there whenever this adapter is. */
function nativeSodium(n: NativeAddon): Sodium {
  // created here, not at module level: this file also loads where there is no Buffer (the renderer)
  const scratchIn = plain(Buffer.allocUnsafeSlow(SCRATCH_BYTES));
  const scratchOut = plain(Buffer.allocUnsafeSlow(SCRATCH_BYTES));
  const scratchSig = plain(Buffer.allocUnsafeSlow(64));
  const scratchKey = plain(Buffer.allocUnsafeSlow(32));
  const keyPair = (
    keyType: SodiumKeyPair['keyType'],
    pkLen: number,
    skLen: number,
    fill: (pk: Uint8Array, sk: Uint8Array) => void,
  ): SodiumKeyPair => {
    const publicKey = new Uint8Array(pkLen);
    const privateKey = new Uint8Array(skLen);
    fill(publicKey, privateKey);
    return { keyType, publicKey, privateKey };
  };
  return {
    binding: 'native',
    base64_variants: BASE64_VARIANTS,
    crypto_pwhash_ALG_ARGON2ID13: n.crypto_pwhash_ALG_ARGON2ID13,
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: 24,
    crypto_aead_xchacha20poly1305_ietf_KEYBYTES: 32,
    crypto_aead_xchacha20poly1305_ietf_ABYTES: 16,
    randombytes_buf(length) {
      const out = new Uint8Array(length);
      n.randombytes_buf(out);
      return out;
    },
    memzero: (bytes) => n.sodium_memzero(bytes),
    to_base64: nativeToBase64,
    from_base64(text, variant = BASE64_VARIANTS.URLSAFE_NO_PADDING) {
      // Buffer skips characters it does not know; libsodium refuses them: re-encoding must give the text back
      const bytes = plain(Buffer.from(text, base64Alphabet(variant).encoding));
      if (nativeToBase64(bytes, variant) !== text) throw new Error('invalid input');
      return bytes;
    },
    to_hex: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex'),
    from_hex(text) {
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new Error('invalid input');
      return plain(Buffer.from(text, 'hex'));
    },
    crypto_generichash(hashLength, message, key) {
      const k = checkedHashKey(key);
      const m = bytesOf(message);
      // sodium-native's BLAKE2b trails hash-wasm's at every size measured (public-blake2b.ts)
      const fast = publicHasher(hashLength, k);
      if (fast) return publicDigest(fast, m);
      const small = hashLength <= SCRATCH_BYTES;
      const out = small ? scratchOut.subarray(0, hashLength) : new Uint8Array(hashLength);
      const input = offHeap(m, scratchIn);
      try {
        if (k === null) n.crypto_generichash(out, input);
        else n.crypto_generichash(out, input, k);
        return small ? out.slice() : out;
      } finally {
        if (input !== m) input.fill(0);
        if (small) out.fill(0);
      }
    },
    crypto_kdf_derive_from_key(subkeyLength, subkeyId, context, key) {
      const out = new Uint8Array(subkeyLength);
      n.crypto_kdf_derive_from_key(out, subkeyId, bytesOf(context), key);
      return out;
    },
    crypto_pwhash(keyLength, password, salt, opsLimit, memLimit, algorithm) {
      const out = new Uint8Array(keyLength);
      n.crypto_pwhash(out, bytesOf(password), salt, opsLimit, memLimit, algorithm);
      return out;
    },
    crypto_aead_xchacha20poly1305_ietf_keygen() {
      const out = new Uint8Array(32);
      n.crypto_aead_xchacha20poly1305_ietf_keygen(out);
      return out;
    },
    crypto_aead_xchacha20poly1305_ietf_encrypt(message, additionalData, secretNonce, publicNonce, key) {
      const m = bytesOf(message);
      const out = new Uint8Array(m.length + 16);
      n.crypto_aead_xchacha20poly1305_ietf_encrypt(
        out,
        m,
        additionalData === null ? null : bytesOf(additionalData),
        secretNonce,
        publicNonce,
        key,
      );
      return out;
    },
    crypto_aead_xchacha20poly1305_ietf_decrypt(secretNonce, ciphertext, additionalData, publicNonce, key) {
      if (ciphertext.length < 16) throw new Error('ciphertext is too short');
      const out = uninitialised(ciphertext.length - 16);
      n.crypto_aead_xchacha20poly1305_ietf_decrypt(
        out,
        secretNonce,
        ciphertext,
        additionalData === null ? null : bytesOf(additionalData),
        publicNonce,
        key,
      );
      return out;
    },
    crypto_sign_keypair: () => keyPair('ed25519', 32, 64, (pk, sk) => n.crypto_sign_keypair(pk, sk)),
    crypto_sign_seed_keypair: (seed) =>
      keyPair('ed25519', 32, 64, (pk, sk) => n.crypto_sign_seed_keypair(pk, sk, seed)),
    crypto_sign_ed25519_sk_to_pk(privateKey) {
      const out = new Uint8Array(32);
      n.crypto_sign_ed25519_sk_to_pk(out, privateKey);
      return out;
    },
    crypto_sign_detached(message, privateKey) {
      const out = new Uint8Array(64);
      n.crypto_sign_detached(out, bytesOf(message), privateKey);
      return out;
    },
    crypto_sign_verify_detached(signature, message, publicKey) {
      // the WebAssembly build refuses other lengths; sodium-native would read only the first 64 bytes
      if (signature.length !== 64) throw new Error('invalid signature length');
      const m = bytesOf(message);
      const input = offHeap(m, scratchIn);
      try {
        return n.crypto_sign_verify_detached(offHeap(signature, scratchSig), input, offHeap(publicKey, scratchKey));
      } finally {
        if (input !== m) input.fill(0);
      }
    },
    crypto_box_keypair: () => keyPair('x25519', 32, 32, (pk, sk) => n.crypto_box_keypair(pk, sk)),
    crypto_box_seed_keypair: (seed) => keyPair('x25519', 32, 32, (pk, sk) => n.crypto_box_seed_keypair(pk, sk, seed)),
    crypto_box_seal(message, publicKey) {
      const m = bytesOf(message);
      const out = new Uint8Array(m.length + 48);
      n.crypto_box_seal(out, m, publicKey);
      return out;
    },
    crypto_box_seal_open(ciphertext, publicKey, privateKey) {
      if (ciphertext.length < 48) throw new Error('ciphertext is too short');
      const out = new Uint8Array(ciphertext.length - 48);
      if (!n.crypto_box_seal_open(out, ciphertext, publicKey, privateKey))
        throw new Error('incorrect key pair for the given ciphertext');
      return out;
    },
  };
}

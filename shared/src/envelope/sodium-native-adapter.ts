/**
 * sodium-native behind the Sodium interface: output buffers allocated here,
 * base64 and hex through Buffer (checked to refuse what libsodium refuses),
 * small inputs copied off the V8 heap. sodium.ts loads the addon and hands it
 * in; this file names no libsodium package.
 */
import { publicDigest, publicHasher } from './public-blake2b.js';
import { bytesOf, checkedHashKey } from './sodium-inputs.js';
import { BASE64_VARIANTS, type Sodium, type SodiumKeyPair } from './sodium-types.js';

/** What we call of sodium-native: output buffers first, as in C. */
export interface NativeAddon {
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
export function nativeSodium(n: NativeAddon): Sodium {
  // created here, not at module level: sodium.ts loads this file where there is no Buffer too (the renderer)
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

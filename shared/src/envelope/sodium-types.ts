/** The libsodium interface both bindings implement (sodium.ts picks one), with libsodium-wrappers' names. */
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

/**
 * A person's key generation (organisation, team, HR or employee): one 32-byte
 * seed from which both the X25519 key (records are sealed to it) and the
 * Ed25519 key (it signs policies, decisions and key rings) are derived, so a
 * single secret is wrapped, recovered and shredded.
 */
import { toHex } from '../envelope/bytes.js';
import { keyIdOf } from '../envelope/hash.js';
import { sodium } from '../envelope/sodium.js';

export type KeyRole = 'organisation' | 'team' | 'hr' | 'employee';
export const KEY_ROLES: readonly KeyRole[] = ['organisation', 'team', 'hr', 'employee'];

export interface PersonKeys {
  keyId: string;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
}

const KDF_CONTEXT = 'stperson'; // crypto_kdf contexts are exactly 8 bytes

export function personKeysFromSeed(seed: Uint8Array): PersonKeys {
  const s = sodium();
  const box = s.crypto_box_seed_keypair(s.crypto_kdf_derive_from_key(32, 1, KDF_CONTEXT, seed));
  const sign = s.crypto_sign_seed_keypair(s.crypto_kdf_derive_from_key(32, 2, KDF_CONTEXT, seed));
  return {
    keyId: toHex(keyIdOf(box.publicKey)),
    boxPublicKey: box.publicKey,
    boxSecretKey: box.privateKey,
    signPublicKey: sign.publicKey,
    signSecretKey: sign.privateKey,
  };
}

export function newSeed(): Uint8Array {
  return sodium().randombytes_buf(32);
}

/** A device's signing identity. Its secret is stored wrapped by the agent (OS keychain or passphrase). */
export function generateDeviceSigningKey(): { signPublicKey: Uint8Array; signSecretKey: Uint8Array } {
  const kp = sodium().crypto_sign_keypair();
  return { signPublicKey: kp.publicKey, signSecretKey: kp.privateKey };
}

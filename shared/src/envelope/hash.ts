/** Hashes and identifiers derived with BLAKE2b (keyed by purpose so no two uses collide). */
import { concatBytes, toHex, utf8 } from './bytes.js';
import { KEY_ID_BYTES } from './envelope-format.js';
import { sodium } from './sodium.js';

const KEY_ID_CONTEXT = utf8('sealtime key id v1');
const CHAIN_CONTEXT = utf8('sealtime chain v1');
const SIGNED_CONTEXT = utf8('sealtime signed v1');

/** 8 bytes naming a public key inside envelopes (collisions only cost a failed unwrap). */
export function keyIdOf(publicKey: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, publicKey, KEY_ID_CONTEXT).subarray(0, KEY_ID_BYTES);
}

export function keyIdHex(publicKey: Uint8Array): string {
  return toHex(keyIdOf(publicKey));
}

/** What the device signs: a 32-byte digest of the signed bytes. */
export function signedDigest(signed: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, signed, SIGNED_CONTEXT);
}

/** The chain link: hash of (digest, signature), so the next record commits to both. */
export function chainHash(digest: Uint8Array, signature: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, concatBytes([digest, signature]), CHAIN_CONTEXT);
}

/** Human-comparable fingerprint of a public key: 16 bytes as 8 groups of 4 hex digits. */
export function fingerprint(publicKey: Uint8Array): string {
  const h = toHex(sodium().crypto_generichash(16, publicKey, utf8('sealtime fingerprint v1')));
  return h.match(/.{4}/g)!.join(' ');
}

export const GENESIS_HASH = new Uint8Array(32);

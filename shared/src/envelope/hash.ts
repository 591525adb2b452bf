/** Hashes and identifiers derived with BLAKE2b (keyed by purpose so no two uses collide). */
import { concatBytes, equalBytes, toHex, utf8 } from './bytes.js';
import { KEY_ID_BYTES } from './envelope-format.js';
import { registerPublicHash } from './public-blake2b.js';
import { sodium } from './sodium.js';

const KEY_ID_CONTEXT = utf8('sealtime key id v1');
const CHAIN_CONTEXT = utf8('sealtime chain v1');
const SIGNED_CONTEXT = utf8('sealtime signed v1');
// every open and seal hashes the signed bytes and the chain link: both public, so hash-wasm may take them
registerPublicHash(32, SIGNED_CONTEXT);
registerPublicHash(32, CHAIN_CONTEXT);

/** 8 bytes naming a public key inside envelopes (collisions only cost a failed unwrap). */
export function keyIdOf(publicKey: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, publicKey, KEY_ID_CONTEXT).subarray(0, KEY_ID_BYTES);
}

// opening checks the signer's key id on every record: the same few device keys, hashed once each
const keyIds = new Map<string, Uint8Array>();
const MAX_CACHED_KEY_IDS = 4096;

const lastByObject = new WeakMap<Uint8Array, { copy: Uint8Array; id: Uint8Array }>();

/** keyIdOf, remembered by the key's bytes (a caller may reuse and refill one buffer: the object alone does not name the key). */
export function cachedKeyIdOf(publicKey: Uint8Array): Uint8Array {
  const seen = lastByObject.get(publicKey);
  if (seen && equalBytes(seen.copy, publicKey)) return seen.id;
  const id = keyIdByBytes(publicKey);
  lastByObject.set(publicKey, { copy: Uint8Array.from(publicKey), id });
  return id;
}

function keyIdByBytes(publicKey: Uint8Array): Uint8Array {
  const k = latin1(publicKey);
  let id = keyIds.get(k);
  if (!id) {
    id = keyIdOf(publicKey);
    if (keyIds.size >= MAX_CACHED_KEY_IDS) keyIds.clear();
    keyIds.set(k, id);
  }
  return id;
}

/** Bytes as a string of char codes 0-255: a cheap exact Map key. */
export function latin1(b: Uint8Array): string {
  if (b.length <= 1024) return String.fromCharCode.apply(null, b as unknown as number[]);
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
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
  if (digest.length !== 32 || signature.length !== 64)
    return sodium().crypto_generichash(32, concatBytes([digest, signature]), CHAIN_CONTEXT);
  // one reused buffer instead of a concatenation per record (synchronous: no one else writes it meanwhile)
  linkInput.set(digest, 0);
  linkInput.set(signature, 32);
  return sodium().crypto_generichash(32, linkInput, CHAIN_CONTEXT);
}
const linkInput = new Uint8Array(96);

/** Human-comparable fingerprint of a public key: 16 bytes as 8 groups of 4 hex digits. */
export function fingerprint(publicKey: Uint8Array): string {
  const h = toHex(sodium().crypto_generichash(16, publicKey, utf8('sealtime fingerprint v1')));
  return h.match(/.{4}/g)!.join(' ');
}

export const GENESIS_HASH = new Uint8Array(32);

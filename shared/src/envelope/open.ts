/**
 * Verifying and opening envelopes. Verification needs only the device's public
 * key (the server and any auditor can run it); opening needs a recipient's
 * X25519 key pair. Unwrapped data keys are cached per epoch, so opening an
 * hour of one device's records costs one crypto_box_seal_open.
 */
import { equalBytes, toHex } from './bytes.js';
import { decodeEnvelope, type DecodedEnvelope, type Envelope } from './envelope-format.js';
import { fail, ok, type EnvelopeError, type Result } from './errors.js';
import { chainHash, keyIdOf, signedDigest } from './hash.js';
import { decodeContent, hourOf } from './sealed-content.js';
import { sodium } from './sodium.js';

export interface VerifiedEnvelope extends DecodedEnvelope {
  /** Chain hash of this envelope. */
  hash: Uint8Array;
}

/** Parses and checks the signature against the claimed device's signing key. */
export function verifyEnvelope(bytes: Uint8Array, deviceSignPublicKey: Uint8Array): Result<VerifiedEnvelope, EnvelopeError> {
  const decoded = decodeEnvelope(bytes);
  if (!decoded.ok) return decoded;
  return verifyDecoded(decoded.value, deviceSignPublicKey);
}

export function verifyDecoded(decoded: DecodedEnvelope, deviceSignPublicKey: Uint8Array): Result<VerifiedEnvelope, EnvelopeError> {
  const { envelope } = decoded;
  if (!equalBytes(envelope.signerKeyId, keyIdOf(deviceSignPublicKey))) {
    return fail('unknown-signer', `envelope ${envelope.deviceId}#${envelope.seq} names signer ${toHex(envelope.signerKeyId)}, not this device's key`);
  }
  const digest = signedDigest(decoded.signed);
  let valid = false;
  try {
    valid = sodium().crypto_sign_verify_detached(envelope.signature, digest, deviceSignPublicKey);
  } catch {
    valid = false;
  }
  if (!valid) return fail('bad-signature', `signature of ${envelope.deviceId}#${envelope.seq} does not verify: altered after signing`);
  return ok({ ...decoded, hash: chainHash(digest, envelope.signature) });
}

export interface BoxKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** An opened envelope's header: the real kind and createdAt, from the header (v1) or the sealed content (v2). */
export type OpenedHeader = Envelope & { kind: string; createdAt: number };

export interface OpenedEnvelope {
  envelope: OpenedHeader;
  payload: Uint8Array;
  hash: Uint8Array;
}

export class EnvelopeOpener {
  private readonly keys: Array<BoxKeyPair & { idHex: string }>;
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    keyPairs: readonly BoxKeyPair[],
    private readonly maxCachedKeys = 4096,
  ) {
    this.keys = keyPairs.map((k) => ({ ...k, idHex: toHex(keyIdOf(k.publicKey)) }));
  }

  /** Verify the signature, unwrap the data key, decrypt. */
  open(bytes: Uint8Array, deviceSignPublicKey: Uint8Array): Result<OpenedEnvelope, EnvelopeError> {
    const verified = verifyEnvelope(bytes, deviceSignPublicKey);
    if (!verified.ok) return verified;
    return this.decrypt(verified.value);
  }

  decrypt(v: VerifiedEnvelope): Result<OpenedEnvelope, EnvelopeError> {
    const { envelope, aad } = v;
    const s = sodium();
    const dataKey = this.dataKeyFor(envelope);
    if (!dataKey) return fail('not-a-recipient', `none of the ${this.keys.length} unlocked keys is a recipient of ${envelope.deviceId}#${envelope.seq}`);
    let payload: Uint8Array;
    try {
      payload = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, envelope.ciphertext, aad, envelope.nonce, dataKey);
    } catch {
      return fail('decrypt-failed', `payload of ${envelope.deviceId}#${envelope.seq} does not authenticate`);
    }
    if (envelope.version === 1) return ok({ envelope, payload, hash: v.hash });
    const content = decodeContent(payload);
    if (!content.ok) return fail(content.error.code, `sealed content of ${envelope.deviceId}#${envelope.seq}: ${content.error.message}`, content.error.at);
    const { kind, createdAt } = content.value;
    // the device signed both; a disagreement is a broken device, not something to route by
    if (hourOf(createdAt) !== envelope.hour) return fail('invalid-field', `${envelope.deviceId}#${envelope.seq}: sealed time is outside the header's hour`, 'hour');
    return ok({ envelope: { ...envelope, kind, createdAt }, payload: content.value.payload, hash: v.hash });
  }

  private dataKeyFor(envelope: Envelope): Uint8Array | undefined {
    const s = sodium();
    for (const r of envelope.recipients) {
      const idHex = toHex(r.keyId);
      const cacheKey = `${toHex(envelope.epochId)}:${idHex}:${toHex(r.wrappedKey.subarray(0, 16))}`;
      const cached = this.cache.get(cacheKey);
      if (cached) return cached;
      for (const k of this.keys) {
        if (k.idHex !== idHex) continue;
        try {
          const key = s.crypto_box_seal_open(r.wrappedKey, k.publicKey, k.secretKey);
          if (this.cache.size >= this.maxCachedKeys) this.cache.delete(this.cache.keys().next().value!);
          this.cache.set(cacheKey, key);
          return key;
        } catch {
          // a keyId collision or a tampered wrap: try the next candidate
        }
      }
    }
    return undefined;
  }
}

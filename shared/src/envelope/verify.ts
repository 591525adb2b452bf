/**
 * Verifying one envelope: it needs only the device's public key (the server
 * and any auditor can run it). The signer's key id is hashed once per key, not
 * per envelope (cachedKeyIdOf).
 */
import { equalBytes, toHex } from './bytes.js';
import { decodeEnvelope, type DecodedEnvelope } from './envelope-format.js';
import { fail, ok, type EnvelopeError, type Result } from './errors.js';
import { cachedKeyIdOf, chainHash, signedDigest } from './hash.js';
import { sodium } from './sodium.js';

export interface VerifiedEnvelope extends DecodedEnvelope {
  /** Chain hash of this envelope. */
  hash: Uint8Array;
}

/** Parses and checks the signature against the claimed device's signing key. */
export function verifyEnvelope(
  bytes: Uint8Array,
  deviceSignPublicKey: Uint8Array,
): Result<VerifiedEnvelope, EnvelopeError> {
  const decoded = decodeEnvelope(bytes);
  if (!decoded.ok) return decoded;
  return verifyDecoded(decoded.value, deviceSignPublicKey);
}

export function verifyDecoded(
  decoded: DecodedEnvelope,
  deviceSignPublicKey: Uint8Array,
): Result<VerifiedEnvelope, EnvelopeError> {
  const wrongSigner = signerProblem(decoded, cachedKeyIdOf(deviceSignPublicKey));
  if (wrongSigner) return wrongSigner;
  const digest = signedDigest(decoded.signed);
  const bad = signatureProblem(decoded, digest, deviceSignPublicKey);
  if (bad) return bad;
  return ok({
    envelope: decoded.envelope,
    aad: decoded.aad,
    signed: decoded.signed,
    hash: chainHash(digest, decoded.envelope.signature),
  });
}

/** The unknown-signer error when the envelope names another key than the device's; undefined when it names this one. */
export function signerProblem(
  { envelope }: DecodedEnvelope,
  deviceKeyId: Uint8Array,
): { ok: false; error: EnvelopeError } | undefined {
  if (equalBytes(envelope.signerKeyId, deviceKeyId)) return undefined;
  return fail(
    'unknown-signer',
    `envelope ${envelope.deviceId}#${envelope.seq} names signer ${toHex(envelope.signerKeyId)}, not this device's key`,
  );
}

/** The bad-signature error when the Ed25519 signature over `digest` does not verify; undefined when it does. */
export function signatureProblem(
  { envelope }: DecodedEnvelope,
  digest: Uint8Array,
  deviceSignPublicKey: Uint8Array,
): { ok: false; error: EnvelopeError } | undefined {
  let valid = false;
  try {
    valid = sodium().crypto_sign_verify_detached(envelope.signature, digest, deviceSignPublicKey);
  } catch {
    valid = false;
  }
  return valid
    ? undefined
    : fail('bad-signature', `signature of ${envelope.deviceId}#${envelope.seq} does not verify: altered after signing`);
}

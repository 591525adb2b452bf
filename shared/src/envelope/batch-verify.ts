/**
 * Signature checks for many envelopes of one device at once. Each envelope's
 * chain hash commits to the previous envelope's digest and signature, and the
 * next envelope's signature covers that hash: so once an envelope is
 * authenticated, the one its prevHash names is authenticated too, by the same
 * device key, without an Ed25519 verification of its own. A run of linked
 * envelopes costs one verification (its newest) plus a BLAKE2b hash each.
 * Anything that does not link — altered, forged, a gap, a fork's other
 * branch — falls back to its own signature and gets the same typed error as
 * verifyDecoded. (What this trusts beyond verifyDecoded: that a device signs a
 * link only to an envelope it signed itself; only the device key can break that.)
 */
import type { DecodedEnvelope } from './envelope-format.js';
import { ok, type EnvelopeError, type Result } from './errors.js';
import { equalBytes } from './bytes.js';
import { cachedKeyIdOf, chainHash, signedDigest } from './hash.js';
import { signatureProblem, signerProblem, type VerifiedEnvelope } from './verify.js';

export function verifyDecodedBatch(
  decoded: readonly DecodedEnvelope[],
  deviceSignPublicKey: Uint8Array,
): Result<VerifiedEnvelope, EnvelopeError>[] {
  const keyId = cachedKeyIdOf(deviceSignPublicKey);
  const out: Result<VerifiedEnvelope, EnvelopeError>[] = new Array(decoded.length);
  const pending: Array<{ index: number; digest: Uint8Array; hash: Uint8Array }> = [];
  decoded.forEach((d, index) => {
    const wrongSigner = signerProblem(d, keyId);
    if (wrongSigner) {
      out[index] = wrongSigner;
      return;
    }
    const digest = signedDigest(d.signed);
    pending.push({ index, digest, hash: chainHash(digest, d.envelope.signature) });
  });
  // newest first, so each authenticated envelope vouches for its predecessor before that one comes up;
  // a vouch is for seq - 1 only (a device links nothing else), compared byte for byte
  pending.sort((a, b) => decoded[b.index]!.envelope.seq - decoded[a.index]!.envelope.seq);
  const vouched = new Map<number, Uint8Array[]>();
  for (const p of pending) {
    const d = decoded[p.index]!;
    const seq = d.envelope.seq;
    if (!vouched.get(seq)?.some((h) => equalBytes(h, p.hash))) {
      const bad = signatureProblem(d, p.digest, deviceSignPublicKey);
      if (bad) {
        out[p.index] = bad;
        continue;
      }
    }
    if (seq > 0) {
      const list = vouched.get(seq - 1);
      if (list) list.push(d.envelope.prevHash);
      else vouched.set(seq - 1, [d.envelope.prevHash]);
    }
    out[p.index] = ok({ envelope: d.envelope, aad: d.aad, signed: d.signed, hash: p.hash });
  }
  return out;
}

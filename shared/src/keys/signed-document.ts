/**
 * Detached Ed25519 signatures over canonical JSON, for documents that travel in
 * the clear but must not be forged by the server: policies, key rings, device
 * registrations, correction decisions. The signature covers every field except
 * `signature` itself.
 */
import { canonicalJson } from '../envelope/canonical-json.js';
import { utf8 } from '../envelope/bytes.js';
import { keyIdHex } from '../envelope/hash.js';
import { sodium } from '../envelope/sodium.js';
import { keyFail, type KeyResult } from './key-errors.js';

export interface DocumentSignature {
  keyId: string;
  sig: string;
}

const CONTEXT = 'sealtime document v1\n';
const b64 = (b: Uint8Array) => sodium().to_base64(b, sodium().base64_variants.URLSAFE_NO_PADDING);

function body(doc: Record<string, unknown>): KeyResult<Uint8Array> {
  const { signature: _ignored, ...rest } = doc;
  const c = canonicalJson(rest);
  if (!c.ok) return keyFail('malformed-document', c.error.message);
  return { ok: true, value: utf8(CONTEXT + c.value) };
}

export function signDocument<T extends Record<string, unknown>>(
  doc: T,
  signPublicKey: Uint8Array,
  signSecretKey: Uint8Array,
): KeyResult<T & { signature: DocumentSignature }> {
  const bytes = body(doc);
  if (!bytes.ok) return bytes;
  const sig = sodium().crypto_sign_detached(bytes.value, signSecretKey);
  return { ok: true, value: { ...doc, signature: { keyId: keyIdHex(signPublicKey), sig: b64(sig) } } };
}

/** Verifies against a set of trusted signing keys; names which one signed. */
export function verifyDocument(doc: unknown, trusted: readonly Uint8Array[]): KeyResult<{ signerKeyId: string }> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return keyFail('malformed-document', 'a signed document is a JSON object');
  const sig = (doc as { signature?: unknown }).signature as Partial<DocumentSignature> | undefined;
  if (!sig || typeof sig.keyId !== 'string' || typeof sig.sig !== 'string' || !/^[A-Za-z0-9_-]{86}$/.test(sig.sig))
    return keyFail('malformed-document', 'signature missing or malformed');
  const key = trusted.find((k) => keyIdHex(k) === sig.keyId);
  if (!key) return keyFail('untrusted-signer', `signed by ${sig.keyId}, which is not a trusted key`);
  const bytes = body(doc as Record<string, unknown>);
  if (!bytes.ok) return bytes;
  let valid = false;
  try {
    const s = sodium();
    valid = s.crypto_sign_verify_detached(
      s.from_base64(sig.sig, s.base64_variants.URLSAFE_NO_PADDING),
      bytes.value,
      key,
    );
  } catch {
    valid = false;
  }
  return valid
    ? { ok: true, value: { signerKeyId: sig.keyId } }
    : keyFail('bad-signature', 'the document was changed after signing');
}

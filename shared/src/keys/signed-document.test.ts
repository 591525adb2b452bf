import { beforeAll, describe, expect, it } from 'vitest';
import { initSodium, type Sodium } from '../envelope/index.js';
import { signDocument, verifyDocument } from './index.js';

let s: Sodium;
beforeAll(async () => {
  s = await initSodium();
});

describe('signed documents', () => {
  it('verifies regardless of key order and rejects any change', () => {
    const k = s.crypto_sign_keypair();
    const signed = signDocument({ type: 'policy', b: 2, a: { y: 1, x: [1, 2] } }, k.publicKey, k.privateKey);
    if (!signed.ok) throw new Error(signed.error.message);
    const reordered = JSON.parse(
      JSON.stringify({ a: { x: [1, 2], y: 1 }, b: 2, type: 'policy', signature: signed.value.signature }),
    );
    expect(verifyDocument(reordered, [k.publicKey]).ok).toBe(true);
    const changed = { ...reordered, b: 3 };
    const r = verifyDocument(changed, [k.publicKey]);
    expect(r.ok ? 'verified' : r.error.code).toBe('bad-signature');
  });

  it('names an untrusted signer and malformed input', () => {
    const k = s.crypto_sign_keypair();
    const other = s.crypto_sign_keypair();
    const signed = signDocument({ v: 1 }, k.publicKey, k.privateKey);
    if (!signed.ok) throw new Error(signed.error.message);
    const r = verifyDocument(signed.value, [other.publicKey]);
    expect(r.ok ? 'verified' : r.error.code).toBe('untrusted-signer');
    for (const bad of [null, 1, [], { v: 1 }, { v: 1, signature: { keyId: 'x', sig: 'short' } }]) {
      const b = verifyDocument(bad, [k.publicKey]);
      expect(b.ok).toBe(false);
    }
    expect(signDocument({ n: Number.NaN }, k.publicKey, k.privateKey).ok).toBe(false);
  });
});

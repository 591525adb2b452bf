// The padmé size buckets of version 2 sealed content, and the envelopes sealed
// before them (power-of-two buckets), which must still open and verify.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AEAD_TAG_BYTES,
  DeviceSealer,
  EnvelopeOpener,
  decodeEnvelope,
  encodeAad,
  encodeEnvelope,
  encodeSigned,
  fromBase64,
  initSodium,
  keyIdOf,
  signedDigest,
  verifyChain,
  type Sodium,
} from './index.js';
import { contentLength, encodeContent, legacyPaddedSize, paddedSize } from './sealed-content.js';

interface LegacyFixture {
  deviceId: string;
  envelopes: Array<{ kind: string; createdAt: number; payloadBytes: number; envelope: string }>;
}
const fixture = JSON.parse(
  readFileSync(new URL('./legacy-padding.fixture.json', import.meta.url), 'utf8'),
) as LegacyFixture;
const fixturePayload = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) % 251);

let s: Sodium;
beforeAll(async () => {
  s = await initSodium();
});

describe('padmé buckets', () => {
  it('pad by at most 6.25 %, are their own bucket, and leave 16 sizes per doubling below 64 KiB, 32 above', () => {
    let worst = 0;
    const wrong: number[] = [];
    for (let n = 1; n <= 300_000; n++) {
      const p = paddedSize(n);
      if (p < n || paddedSize(p) !== p) wrong.push(n);
      if (n > 256) worst = Math.max(worst, p / n - 1);
    }
    expect(wrong).toEqual([]);
    expect(worst).toBeLessThanOrEqual(0.0625);
    const sizesIn = (from: number) => {
      const seen = new Set<number>();
      for (let n = from + 1; n <= 2 * from; n++) seen.add(paddedSize(n));
      return seen.size;
    };
    expect([sizesIn(256), sizesIn(1024), sizesIn(32_768), sizesIn(65_536), sizesIn(262_144)]).toEqual([
      16, 16, 16, 32, 32,
    ]);
    expect(paddedSize(1)).toBe(256);
    expect(paddedSize(256)).toBe(256);
  });

  it('a 1 KB record stays near 1 KB and a 300 KB screenshot near 300 KB (they were 2 KB and 320 KB)', () => {
    const sign = s.crypto_sign_keypair();
    const org = s.crypto_box_keypair();
    const sealer = new DeviceSealer({
      deviceId: 'dev-1',
      employeeId: 'emp-1',
      signPublicKey: sign.publicKey,
      signSecretKey: sign.privateKey,
    });
    const sizes = [1024, 300 * 1024].map((n, i) => {
      const kind = i === 0 ? 'activity-slot' : 'screenshot';
      const r = sealer.seal(kind, new Uint8Array(n), [org.publicKey], 1_764_000_000_000 + i);
      if (!r.ok) throw new Error(r.error.message);
      const d = decodeEnvelope(r.value.bytes);
      if (!d.ok) throw new Error(d.error.message);
      const padded = d.value.envelope.ciphertext.length - AEAD_TAG_BYTES;
      expect(padded).toBe(paddedSize(contentLength(kind, n)));
      return padded / n;
    });
    expect(sizes[0]).toBeLessThan(1.07);
    expect(sizes[1]).toBeLessThan(1.02);
  });
});

describe('envelopes padded by the old rule (committed bytes sealed before padmé)', () => {
  const sign = () => s.crypto_sign_seed_keypair(new Uint8Array(32).fill(0x11));
  const reader = () => {
    const k = s.crypto_box_seed_keypair(new Uint8Array(32).fill(0x22));
    return { publicKey: k.publicKey, secretKey: k.privateKey };
  };
  const bytesOf = (b64: string) => {
    const r = fromBase64(b64);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it('are padded to sizes padmé would not choose, and open one by one with their kind, time and payload', () => {
    const opener = new EnvelopeOpener([reader()]);
    for (const f of fixture.envelopes) {
      const bytes = bytesOf(f.envelope);
      const d = decodeEnvelope(bytes);
      if (!d.ok) throw new Error(d.error.message);
      const padded = d.value.envelope.ciphertext.length - AEAD_TAG_BYTES;
      expect(padded).toBe(legacyPaddedSize(contentLength(f.kind, f.payloadBytes)));
      const opened = opener.open(bytes, sign().publicKey);
      if (!opened.ok) throw new Error(`${f.kind} ${f.payloadBytes}: ${opened.error.message}`);
      expect(opened.value.envelope.kind).toBe(f.kind);
      expect(opened.value.envelope.createdAt).toBe(f.createdAt);
      expect(opened.value.payload).toEqual(fixturePayload(f.payloadBytes));
    }
    // three of the four sit in a bucket padmé does not produce for them
    const moved = fixture.envelopes.filter(
      (f) =>
        paddedSize(contentLength(f.kind, f.payloadBytes)) !== legacyPaddedSize(contentLength(f.kind, f.payloadBytes)),
    );
    expect(moved.length).toBe(3);
  });

  it('open in bulk and verify as a chain', () => {
    const all = fixture.envelopes.map((f) => bytesOf(f.envelope));
    const results = new EnvelopeOpener([reader()]).openMany(
      all.map((bytes) => ({ bytes, deviceSignPublicKey: sign().publicKey })),
    );
    expect(results.map((r) => (r.ok ? r.value.payload.length : r.error.code))).toEqual(
      fixture.envelopes.map((f) => f.payloadBytes),
    );
    const report = verifyChain(all, { deviceId: fixture.deviceId, deviceSignPublicKey: sign().publicKey });
    expect(report).toMatchObject({ ok: true, verified: 4, issues: [] });
  });

  it('large content padded by the old step rule opens; a length neither rule gives is refused before decryption', () => {
    const signer = s.crypto_sign_keypair();
    const org = s.crypto_box_keypair();
    const key = s.crypto_aead_xchacha20poly1305_ietf_keygen();
    const createdAt = 1_764_000_000_000 + 5;
    const craft = (content: Uint8Array) => {
      const header = {
        version: 2 as const,
        routingClass: 'work',
        deviceId: 'dev-9',
        employeeId: 'emp-9',
        seq: 0,
        hour: createdAt - (createdAt % 3_600_000),
        signerKeyId: keyIdOf(signer.publicKey),
        epochId: new Uint8Array(16),
        prevHash: new Uint8Array(32),
        recipients: [{ keyId: keyIdOf(org.publicKey), wrappedKey: s.crypto_box_seal(key, org.publicKey) }],
      };
      const nonce = s.randombytes_buf(24);
      const aad = encodeAad(header, nonce);
      const signed = encodeSigned(aad, s.crypto_aead_xchacha20poly1305_ietf_encrypt(content, aad, null, nonce, key));
      return encodeEnvelope(signed, s.crypto_sign_detached(signedDigest(signed), signer.privateKey));
    };
    const payload = fixturePayload(70_000);
    const used = contentLength('screenshot', payload.length);
    const padTo = (size: number) => {
      const c = new Uint8Array(size);
      c.set(encodeContent({ kind: 'screenshot', createdAt, payload }).subarray(0, used));
      return c;
    };
    const open = (bytes: Uint8Array) => {
      const r = new EnvelopeOpener([{ publicKey: org.publicKey, secretKey: org.privateKey }]).open(
        bytes,
        signer.publicKey,
      );
      return r.ok ? r.value.payload.length : `${r.error.code} ${String(r.error.at)}`;
    };
    expect(legacyPaddedSize(used)).not.toBe(paddedSize(used));
    expect(open(craft(padTo(legacyPaddedSize(used))))).toBe(70_000);
    expect(open(craft(padTo(paddedSize(used))))).toBe(70_000);
    // a bucket of either rule, but not the one of this content: the sealed content says so
    expect(open(craft(padTo(paddedSize(legacyPaddedSize(used) + 1))))).toBe('invalid-field padding');
    const odd = craft(padTo(paddedSize(used) + 8));
    const d = decodeEnvelope(odd);
    expect(d.ok ? 'decoded' : `${d.error.code} ${String(d.error.at)}`).toBe('invalid-field ciphertext');
  });
});

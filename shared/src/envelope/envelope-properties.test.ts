// Properties of the envelope parser (fast-check, seeded, bounded): any bytes
// give ok or a typed error and never a throw; encode then decode gives the
// same fields and the same bytes back; no single changed byte of a signed
// envelope still verifies.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DeviceSealer,
  EnvelopeOpener,
  SIGNATURE_BYTES,
  paddedSize,
  concatBytes,
  decodeEnvelope,
  encodeAad,
  encodeEnvelope,
  encodeSigned,
  initSodium,
  verifyEnvelope,
  type DeviceIdentity,
  type EnvelopeErrorCode,
  type EnvelopeHeader,
} from './index.js';
import { AEAD_TAG_BYTES } from './envelope-format.js';

const SEED = 67824754;
const CODES: readonly EnvelopeErrorCode[] = [
  'truncated',
  'trailing-bytes',
  'bad-magic',
  'unsupported-version',
  'oversize',
  'invalid-field',
  'bad-encoding',
];
const MAGIC = Uint8Array.of(0x53, 0x54, 0x45);

let device: DeviceIdentity;
let org: { publicKey: Uint8Array; secretKey: Uint8Array };
let sealed: Uint8Array[];

beforeAll(async () => {
  const s = await initSodium();
  const sign = s.crypto_sign_keypair();
  device = {
    deviceId: 'dev-prop',
    employeeId: 'emp-prop',
    signPublicKey: sign.publicKey,
    signSecretKey: sign.privateKey,
  };
  const box = s.crypto_box_keypair();
  org = { publicKey: box.publicKey, secretKey: box.privateKey };
  const hr = s.crypto_box_keypair();
  const sealer = new DeviceSealer(device);
  sealed = [];
  for (const [i, payload] of ['{}', '{"type":"clock-in"}', 'x'.repeat(300)].entries()) {
    const r = sealer.seal(
      'attendance',
      new TextEncoder().encode(payload),
      [org.publicKey, hr.publicKey],
      1_700_000_000_000 + i,
    );
    if (!r.ok) throw new Error(r.error.message);
    sealed.push(r.value.bytes);
  }
});

/** decodeEnvelope as the property sees it: a result, or the throw it must never make. */
function decodeNoThrow(bytes: Uint8Array) {
  try {
    return decodeEnvelope(bytes);
  } catch (err) {
    throw new Error(`decodeEnvelope threw on ${bytes.length} bytes: ${(err as Error).message}`);
  }
}

const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
const kind = fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/);
const fixed = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Bytes as hex: vitest's deep equality on large byte arrays is slow, strings compare at once. */
const plain = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (v instanceof Uint8Array ? hex(v) : v));

const HOUR = 3_600_000;
const common = {
  deviceId: id,
  employeeId: id,
  seq: fc.maxSafeNat(),
  signerKeyId: fixed(8),
  epochId: fixed(16),
  prevHash: fixed(32),
  recipients: fc.uniqueArray(fc.record({ keyId: fixed(8), wrappedKey: fixed(80) }), {
    minLength: 1,
    maxLength: 16,
    selector: (r) => hex(r.keyId),
  }),
};
/** Both format versions: v1 shows the kind and ms time (hour derived), v2 a routing class and the hour. */
const header: fc.Arbitrary<EnvelopeHeader> = fc
  .oneof(
    fc
      .record({ ...common, kind, createdAt: fc.maxSafeNat() })
      .map((h): EnvelopeHeader => ({ ...h, version: 1, hour: h.createdAt - (h.createdAt % HOUR) })),
    fc
      .record({ ...common, routingClass: kind, hours: fc.nat(Math.floor(Number.MAX_SAFE_INTEGER / HOUR)) })
      .map(({ hours, ...h }): EnvelopeHeader => ({ ...h, version: 2, hour: hours * HOUR })),
  )
  .map((h) => ({ ...h, recipients: [...h.recipients].sort((a, b) => (hex(a.keyId) < hex(b.keyId) ? -1 : 1)) }));

/** Field order does not matter to the property: compare with sorted keys. */
const sortedPlain = (x: object) => plain(Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))));

describe('envelope parser properties', () => {
  it('any bytes: ok or a typed error, never a throw', () => {
    const anyBytes = fc.uint8Array({ maxLength: 2048 });
    // past the magic and the version, so the fields behind them are reached too
    const behindMagic = fc.uint8Array({ maxLength: 2048 }).map((tail) => concatBytes([MAGIC, Uint8Array.of(1), tail]));
    fc.assert(
      fc.property(fc.oneof(anyBytes, behindMagic), (bytes) => {
        const r = decodeNoThrow(bytes);
        if (!r.ok) expect(CODES).toContain(r.error.code);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('every proper prefix of a real envelope is truncated; anything appended is trailing bytes', () => {
    fc.assert(
      fc.property(
        fc.nat(2),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        (which, at, extra) => {
          const bytes = sealed[which]!;
          const cut = Math.floor(at * bytes.length);
          const prefix = decodeNoThrow(bytes.subarray(0, cut));
          expect(prefix.ok ? 'ok' : prefix.error.code).toBe('truncated');
          const longer = decodeNoThrow(concatBytes([bytes, extra]));
          expect(longer.ok ? 'ok' : longer.error.code).toBe('trailing-bytes');
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('encode then decode gives the same header, nonce, ciphertext, signature and bytes', () => {
    fc.assert(
      fc.property(
        header,
        fixed(24),
        fc.uint8Array({ minLength: 16, maxLength: 512 }),
        fixed(SIGNATURE_BYTES),
        (h, nonce, raw, signature) => {
          // version 2 ciphertexts are a padded size plus the tag (the decoder refuses any other length)
          const ciphertext =
            h.version === 2
              ? new Uint8Array(paddedSize(raw.length) + AEAD_TAG_BYTES).map((_, i) => raw[i % raw.length]!)
              : raw;
          const aad = encodeAad(h, nonce);
          const signed = encodeSigned(aad, ciphertext);
          const bytes = encodeEnvelope(signed, signature);
          const d = decodeNoThrow(bytes);
          if (!d.ok) throw new Error(`${d.error.code}: ${d.error.message}`);
          expect(sortedPlain(d.value.envelope)).toBe(sortedPlain({ ...h, nonce, ciphertext, signature }));
          expect(hex(d.value.aad)).toBe(hex(aad));
          expect(hex(d.value.signed)).toBe(hex(signed));
          // and back: the decoded fields encode to exactly the same bytes (one encoding per envelope)
          const again = encodeEnvelope(
            encodeSigned(encodeAad(d.value.envelope, d.value.envelope.nonce), d.value.envelope.ciphertext),
            d.value.envelope.signature,
          );
          expect(hex(again)).toBe(hex(bytes));
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('no single-byte change of a signed envelope verifies or opens', () => {
    const opener = new EnvelopeOpener([org]);
    fc.assert(
      fc.property(fc.nat(2), fc.nat(), fc.integer({ min: 1, max: 255 }), (which, pos, flip) => {
        const bytes = Uint8Array.from(sealed[which]!);
        const i = pos % bytes.length;
        bytes[i] = bytes[i]! ^ flip;
        const v = verifyEnvelope(bytes, device.signPublicKey);
        expect(v.ok, `byte ${i} changed, still verifies`).toBe(false);
        expect(opener.open(bytes, device.signPublicKey).ok).toBe(false);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    // the untouched ones do verify: the property above is not vacuous
    for (const b of sealed) expect(opener.open(b, device.signPublicKey).ok).toBe(true);
  });
});

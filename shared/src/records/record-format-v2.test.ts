// What a reader gets back of a version 2 record and what refuses one: opening
// returns the real kind, time and payload for version 2 and version 1 alike, a
// device chain may upgrade mid-way, and the gateway and the opener refuse a doc
// whose clear header disagrees with what is sealed (size-privacy.test.ts checks
// what the server sees).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DeviceSealer,
  EnvelopeOpener,
  decodeEnvelope,
  encodeAad,
  encodeEnvelope,
  encodeSigned,
  keyIdOf,
  signedDigest,
  utf8,
  verifyChain,
  type Sodium,
} from '../envelope/index.js';
import { contentLength, encodeContent } from '../envelope/sealed-content.js';
import { sodium } from '../envelope/sodium.js';
import { validateRecordDoc } from './index.js';
import { HOUR, sealedVariantsFixture, T } from './test-support/record-variants.js';

const sealAll = sealedVariantsFixture();
let s: Sodium;
beforeAll(() => {
  s = sodium(); // loaded by the fixture's beforeAll, registered first
});

describe('reading and refusing a version 2 record', () => {
  it('opening returns the real kind, createdAt and payload, for version 2 and version 1 alike', () => {
    for (const format of [2, 1] as const) {
      for (const r of sealAll(format)) {
        const opener = new EnvelopeOpener([
          { publicKey: r.recipients[0]!.publicKey, secretKey: r.recipients[0]!.privateKey },
        ]);
        const opened = opener.open(r.bytes, r.sign.publicKey);
        if (!opened.ok) throw new Error(opened.error.message);
        expect(opened.value.envelope.kind).toBe(r.kind);
        expect(opened.value.envelope.createdAt).toBe(r.createdAt);
        expect(opened.value.envelope.version).toBe(format);
        expect(opened.value.payload.length).toBe(r.plainBytes);
        expect(validateRecordDoc(r.doc).ok).toBe(true);
      }
    }
  });

  it('a device chain that upgrades from version 1 to version 2 mid-way verifies end to end', () => {
    const sign = s.crypto_sign_keypair();
    const org = s.crypto_box_keypair();
    const device = {
      deviceId: 'dev-up',
      employeeId: 'emp-1',
      signPublicKey: sign.publicKey,
      signSecretKey: sign.privateKey,
    };
    const old = new DeviceSealer(device, undefined, { format: 1 });
    const envelopes: Uint8Array[] = [];
    const seal = (sealer: DeviceSealer, i: number) => {
      const r = sealer.seal('attendance', utf8(`{"i":${i}}`), [org.publicKey], T + i * 60_000);
      if (!r.ok) throw new Error(r.error.message);
      envelopes.push(r.value.bytes);
    };
    for (let i = 0; i < 3; i++) seal(old, i);
    const upgraded = new DeviceSealer(device, old.chainHead);
    for (let i = 3; i < 6; i++) seal(upgraded, i);
    const report = verifyChain(envelopes, { deviceId: 'dev-up', deviceSignPublicKey: sign.publicKey });
    expect(report).toMatchObject({ ok: true, verified: 6, issues: [], head: { seq: 5 } });
    expect(envelopes.map((e) => e[3])).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('the gateway check refuses a version 2 doc whose class or hour disagree with the signed header, or that shows a kind', () => {
    const [r] = sealAll(2).filter((x) => x.kind === 'attendance');
    const doc = r!.doc;
    expect(validateRecordDoc(doc).ok).toBe(true);
    const lies: Array<Record<string, unknown>> = [
      { class: 'work' },
      { class: 'bogus' },
      { hour: doc.hour + HOUR },
      { hour: r!.createdAt },
      { kind: 'attendance' },
      { createdAt: r!.createdAt },
    ];
    for (const lie of lies) {
      const v = validateRecordDoc({ ...doc, ...lie });
      expect(v.ok, JSON.stringify(lie)).toBe(false);
    }
    const { class: _c, hour: _h, ...rest } = doc;
    expect(validateRecordDoc({ ...rest, kind: 'attendance', createdAt: r!.createdAt }).ok).toBe(false);
  });

  it('a sealed time outside the header hour, or non-zero padding, does not open (both signed by a broken device)', () => {
    const sign = s.crypto_sign_keypair();
    const org = s.crypto_box_keypair();
    const key = s.crypto_aead_xchacha20poly1305_ietf_keygen();
    const craft = (content: Uint8Array) => {
      const header = {
        version: 2 as const,
        routingClass: 'attendance',
        deviceId: 'dev-9',
        employeeId: 'emp-9',
        seq: 0,
        hour: Math.floor(T / HOUR) * HOUR,
        signerKeyId: keyIdOf(sign.publicKey),
        epochId: new Uint8Array(16),
        prevHash: new Uint8Array(32),
        recipients: [{ keyId: keyIdOf(org.publicKey), wrappedKey: s.crypto_box_seal(key, org.publicKey) }],
      };
      const nonce = s.randombytes_buf(24);
      const aad = encodeAad(header, nonce);
      const signed = encodeSigned(aad, s.crypto_aead_xchacha20poly1305_ietf_encrypt(content, aad, null, nonce, key));
      return encodeEnvelope(signed, s.crypto_sign_detached(signedDigest(signed), sign.privateKey));
    };
    const open = (bytes: Uint8Array) => {
      const r = new EnvelopeOpener([{ publicKey: org.publicKey, secretKey: org.privateKey }]).open(
        bytes,
        sign.publicKey,
      );
      return r.ok ? `opened ${r.value.envelope.kind}` : `${r.error.code} ${String(r.error.at)}`;
    };
    const payload = utf8('{"v":1}');
    expect(open(craft(encodeContent({ kind: 'attendance', createdAt: T, payload })))).toBe('opened attendance');
    expect(open(craft(encodeContent({ kind: 'attendance', createdAt: T + HOUR, payload })))).toBe('invalid-field hour');
    const dirty = encodeContent({ kind: 'attendance', createdAt: T, payload });
    dirty[dirty.length - 1] = 1;
    expect(open(craft(dirty))).toBe('invalid-field padding');
    // an unpadded content cannot even be stored: its ciphertext length is not a bucket
    const bare = encodeContent({ kind: 'attendance', createdAt: T, payload }).subarray(
      0,
      contentLength('attendance', payload.length),
    );
    const d = decodeEnvelope(craft(bare));
    expect(d.ok ? 'decoded' : d.error.code).toBe('invalid-field');
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import {
  DeviceSealer,
  EnvelopeOpener,
  decodeEnvelope,
  fromBase64,
  initSodium,
  toBase64,
  verifyEnvelope,
  type DeviceIdentity,
  type Sodium,
} from './index.js';

let s: Sodium;
let device: DeviceIdentity;
let org: { publicKey: Uint8Array; secretKey: Uint8Array };
let hr: { publicKey: Uint8Array; secretKey: Uint8Array };
let stranger: { publicKey: Uint8Array; secretKey: Uint8Array };
const text = (x: string) => new TextEncoder().encode(x);

beforeAll(async () => {
  s = await initSodium();
  const sign = s.crypto_sign_keypair();
  device = { deviceId: 'dev-1', employeeId: 'emp-7', signPublicKey: sign.publicKey, signSecretKey: sign.privateKey };
  const box = () => {
    const k = s.crypto_box_keypair();
    return { publicKey: k.publicKey, secretKey: k.privateKey };
  };
  org = box();
  hr = box();
  stranger = box();
});

describe('seal and open', () => {
  it('round-trips a payload for every recipient and nobody else', () => {
    const sealer = new DeviceSealer(device);
    const r = sealer.seal('attendance', text('{"type":"clock-in"}'), [org.publicKey, hr.publicKey], 1_700_000_000_000);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const who of [org, hr]) {
      const opened = new EnvelopeOpener([who]).open(r.value.bytes, device.signPublicKey);
      expect(opened.ok && new TextDecoder().decode(opened.value.payload)).toBe('{"type":"clock-in"}');
      expect(opened.ok && opened.value.envelope.kind).toBe('attendance');
    }
    const denied = new EnvelopeOpener([stranger]).open(r.value.bytes, device.signPublicKey);
    expect(denied.ok ? 'opened' : denied.error.code).toBe('not-a-recipient');
  });

  it('reuses the wrapped data key within an epoch and renews it after', () => {
    const sealer = new DeviceSealer(device, undefined, { epochMs: 60_000 });
    const t = 1_700_000_000_000;
    const a = sealer.seal('activity-slot', text('a'), [org.publicKey], t);
    const b = sealer.seal('activity-slot', text('b'), [org.publicKey], t + 59_000);
    const c = sealer.seal('activity-slot', text('c'), [org.publicKey], t + 60_000);
    if (!a.ok || !b.ok || !c.ok) throw new Error('seal failed');
    const [da, db, dc] = [a, b, c].map((x) => decodeEnvelope(x.value.bytes));
    if (!da?.ok || !db?.ok || !dc?.ok) throw new Error('decode failed');
    expect(da.value.envelope.recipients[0]!.wrappedKey).toEqual(db.value.envelope.recipients[0]!.wrappedKey);
    expect(da.value.envelope.nonce).not.toEqual(db.value.envelope.nonce);
    expect(dc.value.envelope.epochId).not.toEqual(da.value.envelope.epochId);
    // a different recipient set gets its own epoch
    const d = sealer.seal('activity-slot', text('d'), [org.publicKey, hr.publicKey], t + 60_001);
    const dd = d.ok ? decodeEnvelope(d.value.bytes) : undefined;
    expect(dd?.ok && dd.value.envelope.recipients).toHaveLength(2);
    expect(dd?.ok && dd.value.envelope.epochId).not.toEqual(dc.value.envelope.epochId);
  });

  it('never repeats a nonce across 2000 records of one epoch', () => {
    const sealer = new DeviceSealer(device);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const r = sealer.seal('app-event', text(String(i)), [org.publicKey], 1_700_000_000_000 + i);
      if (!r.ok) throw new Error(r.error.message);
      const d = decodeEnvelope(r.value.bytes);
      if (!d.ok) throw new Error(d.error.message);
      seen.add(toBase64(d.value.envelope.nonce));
    }
    expect(seen.size).toBe(2000);
  });

  it('rejects bad arguments with typed errors and does not advance the chain', () => {
    const sealer = new DeviceSealer(device);
    const bad = sealer.seal('Not A Kind', text('x'), [org.publicKey], 1);
    expect(bad.ok ? 'sealed' : bad.error.code).toBe('invalid-field');
    const none = sealer.seal('attendance', text('x'), [], 1);
    expect(none.ok ? 'sealed' : none.error.code).toBe('invalid-field');
    const short = sealer.seal('attendance', text('x'), [new Uint8Array(5)], 1);
    expect(short.ok ? 'sealed' : short.error.code).toBe('invalid-field');
    expect(sealer.chainHead.nextSeq).toBe(0);
  });
});

describe('tamper, truncation and junk', () => {
  function sealed(payload = 'hello world') {
    const r = new DeviceSealer(device).seal('screenshot', text(payload), [org.publicKey], 1_700_000_000_000);
    if (!r.ok) throw new Error(r.error.message);
    return r.value.bytes;
  }

  it('detects a flipped bit anywhere in the envelope', () => {
    const bytes = sealed();
    const opener = new EnvelopeOpener([org]);
    const codes = new Set<string>();
    for (let i = 0; i < bytes.length; i++) {
      const copy = Uint8Array.from(bytes);
      copy[i] = copy[i]! ^ 0x01;
      const r = opener.open(copy, device.signPublicKey);
      expect(r.ok, `flip at byte ${i} went unnoticed`).toBe(false);
      if (!r.ok) codes.add(r.error.code);
    }
    // header flips break parsing or the signer id; body flips break the signature
    expect(codes).toContain('bad-signature');
    expect(
      [...codes].every((c) =>
        [
          'bad-signature',
          'bad-magic',
          'unsupported-version',
          'invalid-field',
          'unknown-signer',
          'truncated',
          'trailing-bytes',
          'oversize',
        ].includes(c),
      ),
    ).toBe(true);
  });

  it('returns a typed truncation error at every cut', () => {
    const bytes = sealed();
    for (let n = 0; n < bytes.length; n++) {
      const r = decodeEnvelope(bytes.subarray(0, n));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['truncated', 'invalid-field']).toContain(r.error.code);
    }
    const extra = new Uint8Array(bytes.length + 1);
    extra.set(bytes);
    const t = decodeEnvelope(extra);
    expect(t.ok ? 'parsed' : t.error.code).toBe('trailing-bytes');
  });

  it('rejects an envelope verified against another device key', () => {
    const other = s.crypto_sign_keypair();
    const r = verifyEnvelope(sealed(), other.publicKey);
    expect(r.ok ? 'verified' : r.error.code).toBe('unknown-signer');
  });

  it('rejects a re-signed envelope whose ciphertext was swapped (AEAD binds the header)', () => {
    // attacker holding the device key cannot move a ciphertext under another header
    const a = decodeEnvelope(sealed('aaaa'));
    const b = new DeviceSealer(device, { nextSeq: 5, prevHash: new Uint8Array(32) }).seal(
      'screenshot',
      text('bbbb'),
      [org.publicKey],
      2,
    );
    if (!a.ok || !b.ok) throw new Error('setup');
    const db = decodeEnvelope(b.value.bytes);
    if (!db.ok) throw new Error('setup');
    const opener = new EnvelopeOpener([org]);
    const swapped = opener.decrypt({
      ...db.value,
      envelope: { ...db.value.envelope, ciphertext: a.value.envelope.ciphertext },
      hash: new Uint8Array(32),
    });
    expect(swapped.ok ? 'opened' : swapped.error.code).toBe('decrypt-failed');
  });

  it('never throws on random junk or absurd lengths', () => {
    for (let i = 0; i < 500; i++) {
      const junk = s.randombytes_buf(i % 300);
      if (i % 3 === 0 && junk.length > 3) junk.set([0x53, 0x54, 0x45, 1]);
      expect(() => decodeEnvelope(junk)).not.toThrow();
      expect(decodeEnvelope(junk).ok).toBe(false);
    }
    expect(decodeEnvelope(new Uint8Array(17 * 1024 * 1024)).ok).toBe(false);
    expect(decodeEnvelope('nope' as unknown as Uint8Array).ok).toBe(false);
  });

  it('accepts only canonical base64url', () => {
    const bytes = sealed();
    const b64 = toBase64(bytes);
    expect(fromBase64(b64).ok).toBe(true);
    for (const bad of [b64 + '=', ` ${b64}`, b64.replace(/-/g, '+'), 42, null, 'A']) {
      const r = fromBase64(bad);
      expect(r.ok, String(bad).slice(0, 20)).toBe(false);
    }
    expect(fromBase64(b64, 10).ok).toBe(false);
  });
});

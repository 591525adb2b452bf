/**
 * The opener as a session: one unwrap per epoch and recipient, a bounded cache
 * of unwrapped keys that are zeroed when dropped, and bulk opening that gives
 * exactly what opening one by one gives while checking far fewer signatures.
 */
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeOpener, createEnvelopeOpener, type BoxKeyPair, type OpenRequest } from './open.js';
import { DeviceSealer, type DeviceIdentity } from './seal.js';
import { initSodium, sodium, type Sodium } from './sodium.js';
import { verifyChain } from './chain.js';
import { equalBytes } from './bytes.js';
import { decodeEnvelope, encodeAad, encodeEnvelope, encodeSigned } from './envelope-format.js';
import { keyIdOf, signedDigest } from './hash.js';

let s: Sodium;
let device: DeviceIdentity;
let otherDevice: DeviceIdentity;
let org: BoxKeyPair;
let hr: BoxKeyPair;
let stranger: BoxKeyPair;
const HOUR = 3_600_000;
const T0 = 1_764_000_000_000 - (1_764_000_000_000 % HOUR);
const bytesOf = (x: string) => new TextEncoder().encode(x);

function box(): BoxKeyPair {
  const k = s.crypto_box_keypair();
  return { publicKey: k.publicKey, secretKey: k.privateKey };
}
function deviceNamed(id: string): DeviceIdentity {
  const k = s.crypto_sign_keypair();
  return { deviceId: id, employeeId: 'emp-1', signPublicKey: k.publicKey, signSecretKey: k.privateKey };
}
function sealRun(
  d: DeviceIdentity,
  n: number,
  times: (i: number) => number,
  recipients = [org.publicKey, hr.publicKey],
): Uint8Array[] {
  const sealer = new DeviceSealer(d);
  return Array.from({ length: n }, (_, i) => {
    const r = sealer.seal('app-event', bytesOf(`record ${i}`), recipients, times(i));
    if (!r.ok) throw new Error(r.error.message);
    return r.value.bytes;
  });
}

/** Counts Ed25519 verifications made through sodium() while fn runs. */
function countVerifications<T>(fn: () => T): { result: T; verifications: number } {
  const binding = sodium();
  const real = binding.crypto_sign_verify_detached;
  let verifications = 0;
  (binding as { crypto_sign_verify_detached: Sodium['crypto_sign_verify_detached'] }).crypto_sign_verify_detached = (
    ...args
  ) => {
    verifications++;
    return real.apply(binding, args);
  };
  try {
    return { result: fn(), verifications };
  } finally {
    (binding as { crypto_sign_verify_detached: Sodium['crypto_sign_verify_detached'] }).crypto_sign_verify_detached =
      real;
  }
}

beforeAll(async () => {
  s = await initSodium();
  device = deviceNamed('dev-1');
  otherDevice = deviceNamed('dev-2');
  org = box();
  hr = box();
  stranger = box();
});

describe('data keys per session', () => {
  let opener: EnvelopeOpener | undefined;
  afterEach(() => opener?.dispose());

  it('unwraps once per epoch and recipient, whatever the number of records', () => {
    const envelopes = sealRun(device, 600, (i) => T0 + Math.floor(i / 200) * HOUR + i); // three hourly epochs
    opener = createEnvelopeOpener([org]);
    for (const bytes of envelopes) expect(opener.open(bytes, device.signPublicKey).ok).toBe(true);
    expect(opener.unwraps).toBe(3);
    expect(opener.cachedKeys).toBe(3);
    // a second pass and a bulk pass cost no unwrap at all
    for (const bytes of envelopes) opener.open(bytes, device.signPublicKey);
    opener.openMany(envelopes.map((bytes) => ({ bytes, deviceSignPublicKey: device.signPublicKey })));
    expect(opener.unwraps).toBe(3);
  });

  it('keeps at most maxCachedKeys, zeroing what it drops, and still opens everything', () => {
    const envelopes = sealRun(device, 5, (i) => T0 + i * HOUR); // five epochs
    opener = createEnvelopeOpener([org], { maxCachedKeys: 2 });
    const held: Uint8Array[] = [];
    const cache = (opener as unknown as { cache: Map<string, { key: Uint8Array }> }).cache;
    for (const bytes of envelopes) {
      expect(opener.open(bytes, device.signPublicKey).ok).toBe(true);
      for (const e of cache.values()) if (!held.includes(e.key)) held.push(e.key);
      expect(opener.cachedKeys).toBeLessThanOrEqual(2);
    }
    expect(held).toHaveLength(5);
    expect(held.slice(0, 3).every((k) => k.every((b) => b === 0))).toBe(true);
    expect(held.slice(3).every((k) => k.some((b) => b !== 0))).toBe(true);
    // going back to an evicted epoch unwraps it again, correctly
    expect(opener.open(envelopes[0]!, device.signPublicKey).ok).toBe(true);
    expect(opener.unwraps).toBe(6);
  });

  it('dispose() zeroes every unwrapped key and opens nothing more', () => {
    const envelopes = sealRun(device, 3, (i) => T0 + i * HOUR);
    opener = new EnvelopeOpener([org, hr]);
    for (const bytes of envelopes) opener.open(bytes, device.signPublicKey);
    const keys = [...(opener as unknown as { cache: Map<string, { key: Uint8Array }> }).cache.values()].map(
      (e) => e.key,
    );
    expect(keys).toHaveLength(3);
    expect(keys.every((k) => k.some((b) => b !== 0))).toBe(true);
    opener.dispose();
    expect(keys.every((k) => k.every((b) => b === 0))).toBe(true);
    expect(opener.cachedKeys).toBe(0);
    const after = opener.open(envelopes[0]!, device.signPublicKey);
    expect(after.ok ? 'opened' : after.error).toMatchObject({
      code: 'not-a-recipient',
      message: expect.stringContaining('disposed'),
    });
  });

  it('never uses a cached key for a wrap it was not unwrapped from', () => {
    // a second device reusing the first one's epoch id (re-encrypted and re-signed, so it is a valid envelope)
    const a = sealRun(device, 1, () => T0)[0]!;
    const b = sealRun(otherDevice, 1, () => T0)[0]!;
    const da = decodeEnvelope(a);
    const db = decodeEnvelope(b);
    if (!da.ok || !db.ok) throw new Error('decode');
    const mine = db.value.envelope.recipients.find((r) => equalBytes(r.keyId, keyIdOf(org.publicKey)))!;
    const dataKeyB = s.crypto_box_seal_open(mine.wrappedKey, org.publicKey, org.secretKey);
    const plain = s.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      db.value.envelope.ciphertext,
      db.value.aad,
      db.value.envelope.nonce,
      dataKeyB,
    );
    const header = { ...db.value.envelope, epochId: da.value.envelope.epochId };
    const aad = encodeAad(header, header.nonce);
    const signed = encodeSigned(
      aad,
      s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, aad, null, header.nonce, dataKeyB),
    );
    const crafted = encodeEnvelope(signed, s.crypto_sign_detached(signedDigest(signed), otherDevice.signSecretKey));
    opener = createEnvelopeOpener([org]);
    expect(opener.open(a, device.signPublicKey).ok).toBe(true);
    const opened = opener.open(crafted, otherDevice.signPublicKey);
    expect(opened.ok && new TextDecoder().decode(opened.value.payload)).toBe('record 0');
    expect(opener.unwraps).toBe(2);
    // one slot per (epoch, recipient): the newer wrap took it, so going back unwraps again, correctly
    expect(opener.open(a, device.signPublicKey).ok).toBe(true);
  });
});

describe('bulk opening', () => {
  it('gives what opening one by one gives, for every kind of bad input, with one signature check per linked run', () => {
    const mine = sealRun(device, 40, (i) => T0 + i);
    const theirs = sealRun(otherDevice, 20, (i) => T0 + i);
    const notForUs = sealRun(device, 3, (i) => T0 + i, [stranger.publicKey]);
    const altered = Uint8Array.from(mine[10]!);
    altered[altered.length - 70]! ^= 1; // inside the ciphertext
    const requests: OpenRequest[] = [
      ...mine.map((bytes) => ({ bytes, deviceSignPublicKey: device.signPublicKey })),
      ...theirs.map((bytes) => ({ bytes, deviceSignPublicKey: otherDevice.signPublicKey })),
      { bytes: altered, deviceSignPublicKey: device.signPublicKey },
      { bytes: mine[5]!.subarray(0, 30), deviceSignPublicKey: device.signPublicKey },
      { bytes: theirs[3]!, deviceSignPublicKey: device.signPublicKey }, // claims the wrong device
      ...notForUs.map((bytes) => ({ bytes, deviceSignPublicKey: device.signPublicKey })),
    ];
    // shuffled: the order of the answers must follow the order of the requests
    const order = requests.map((_, i) => i).sort((a, b) => ((a * 7919) % 67) - ((b * 7919) % 67));
    const shuffled = order.map((i) => requests[i]!);
    const one = new EnvelopeOpener([org]);
    const single = countVerifications(() => shuffled.map((r) => one.open(r.bytes, r.deviceSignPublicKey)));
    const bulk = countVerifications(() => new EnvelopeOpener([org]).openMany(shuffled));
    expect(bulk.result).toEqual(single.result);
    expect(single.result.filter((r) => r.ok)).toHaveLength(60);
    expect(
      single.result
        .filter((r) => !r.ok)
        .map((r) => !r.ok && r.error.code)
        .sort(),
    ).toEqual([
      'bad-signature',
      'not-a-recipient',
      'not-a-recipient',
      'not-a-recipient',
      'truncated',
      'unknown-signer',
    ]);
    // one per device's linked run, plus the ones that link to nothing (the altered record, the three not for us share one run)
    expect(single.verifications).toBe(66 - 2); // every decodable envelope with the right signer
    expect(bulk.verifications).toBeLessThanOrEqual(4);
  });
});

describe('bulk chain verification', () => {
  it('checks one signature for an intact chain of 300', () => {
    const chain = sealRun(device, 300, (i) => T0 + i);
    const { result, verifications } = countVerifications(() =>
      verifyChain(chain, { deviceId: 'dev-1', deviceSignPublicKey: device.signPublicKey }),
    );
    expect(result.ok).toBe(true);
    expect(result.verified).toBe(300);
    expect(verifications).toBe(1);
  });

  it('reports exactly what checking every signature reports, for any damage (property)', () => {
    const base = sealRun(device, 12, (i) => T0 + i);
    const forkSealer = new DeviceSealer(device);
    const fork = Array.from({ length: 12 }, (_, i) => {
      const r = forkSealer.seal('app-event', bytesOf(`fork ${i}`), [org.publicKey], T0 + i);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.bytes;
    });
    const foreign = sealRun(otherDevice, 12, (i) => T0 + i);
    const op = fc.oneof(
      fc.record({ t: fc.constant('drop' as const), i: fc.nat(11) }),
      fc.record({ t: fc.constant('flip' as const), i: fc.nat(11), at: fc.nat(2000), bit: fc.nat(7) }),
      fc.record({ t: fc.constant('swap' as const), i: fc.nat(11), j: fc.nat(11) }),
      fc.record({ t: fc.constant('dup' as const), i: fc.nat(11) }),
      fc.record({ t: fc.constant('fork' as const), i: fc.nat(11) }),
      fc.record({ t: fc.constant('foreign' as const), i: fc.nat(11) }),
      fc.record({ t: fc.constant('truncate' as const), i: fc.nat(11), at: fc.nat(300) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 6 }), (ops) => {
        const list: Uint8Array[] = base.map((b) => Uint8Array.from(b));
        for (const o of ops) {
          const i = o.i % list.length;
          if (list.length === 0) break;
          if (o.t === 'drop') list.splice(i, 1);
          else if (o.t === 'flip') list[i]![o.at % list[i]!.length]! ^= 1 << o.bit;
          else if (o.t === 'swap') [list[i], list[o.j % list.length]] = [list[o.j % list.length]!, list[i]!];
          else if (o.t === 'dup') list.splice(i, 0, Uint8Array.from(list[i]!));
          else if (o.t === 'fork') list.splice(i, 0, fork[o.i]!);
          else if (o.t === 'foreign') list.splice(i, 0, foreign[o.i]!);
          else list[i] = list[i]!.subarray(0, o.at);
        }
        const expect_ = { deviceId: 'dev-1', deviceSignPublicKey: device.signPublicKey };
        expect(verifyChain(list, expect_)).toEqual(verifyChain(list, expect_, { bulk: false }));
      }),
      { numRuns: 150 },
    );
  });
});

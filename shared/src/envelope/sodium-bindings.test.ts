/**
 * sodium-native and libsodium-wrappers are the same libsodium: every envelope one
 * seals the other opens, the deterministic parts (ciphertext under a given key
 * and nonce, digest, Ed25519 signature, chain hash) are byte-identical, and both
 * refuse the same forgeries with the same typed errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeAad, encodeEnvelope, encodeSigned, type DecodedEnvelope } from './envelope-format.js';
import { equalBytes } from './bytes.js';
import { chainHash, keyIdOf, signedDigest } from './hash.js';
import { EnvelopeOpener } from './open.js';
import { DeviceSealer, type DeviceIdentity } from './seal.js';
import { encodeContent } from './sealed-content.js';
import { initSodium, loadSodiumBinding, sodium, type Sodium, type SodiumBinding } from './sodium.js';

let native: Sodium;
let wasm: Sodium;
const other = (b: SodiumBinding): SodiumBinding => (b === 'native' ? 'wasm' : 'native');
const seed = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + n) & 0xff);

beforeAll(async () => {
  native = await loadSodiumBinding('native');
  wasm = await loadSodiumBinding('wasm');
});
afterAll(async () => {
  await initSodium();
});

describe('the two libsodium bindings', () => {
  it('both load here, and initSodium picks native unless told otherwise', async () => {
    expect(native.binding).toBe('native');
    expect(wasm.binding).toBe('wasm');
    expect((await initSodium({ binding: 'wasm' })).binding).toBe('wasm');
    expect(sodium().binding).toBe('wasm');
    expect((await initSodium({ binding: 'native' })).binding).toBe('native');
  });

  it('derive the same keys, hashes and signatures byte for byte', () => {
    const same = <T>(f: (s: Sodium) => T) => expect(f(native)).toEqual(f(wasm));
    same((s) => s.crypto_sign_seed_keypair(seed(1)));
    same((s) => s.crypto_box_seed_keypair(seed(2)));
    same((s) =>
      s.crypto_sign_ed25519_sk_to_pk(
        s === native
          ? native.crypto_sign_seed_keypair(seed(3)).privateKey
          : wasm.crypto_sign_seed_keypair(seed(3)).privateKey,
      ),
    );
    same((s) => s.crypto_kdf_derive_from_key(32, 5, 'stperson', seed(4)));
    same((s) => s.crypto_generichash(32, seed(5)));
    same((s) => s.crypto_generichash(32, 'text in UTF-8: ü', 'a context of 16+ bytes'));
    // BLAKE2b keys (our contexts) are 16..64 bytes in both
    for (const s of [native, wasm]) expect(() => s.crypto_generichash(32, 'x', 'too short')).toThrow(/key length/);
    same((s) => s.crypto_generichash(32, 'x', new Uint8Array(0)));
    same((s) => s.crypto_generichash(16, new Uint8Array(300_000).fill(9), seed(6)));
    same((s) => s.crypto_sign_detached(seed(7), s.crypto_sign_seed_keypair(seed(8)).privateKey));
    same((s) => s.crypto_aead_xchacha20poly1305_ietf_encrypt(seed(9), 'ad', null, seed(10).subarray(0, 24), seed(11)));
    same((s) => s.crypto_pwhash(32, 'a passphrase', seed(12).subarray(0, 16), 1, 8192, s.crypto_pwhash_ALG_ARGON2ID13));
    same((s) => s.to_hex(seed(13)));
    same((s) => [
      s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
      s.crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
      s.crypto_aead_xchacha20poly1305_ietf_ABYTES,
      s.crypto_pwhash_ALG_ARGON2ID13,
    ]);
    same((s) => s.from_hex('00ff7a'));
    for (const v of Object.values(native.base64_variants)) {
      for (const len of [0, 1, 2, 3, 31, 32, 33]) same((s) => s.to_base64(seed(len).subarray(0, len), v));
    }
  });

  it('open what the other sealed with crypto_box_seal, and refuse the same bad input', () => {
    for (const [a, b] of [
      [native, wasm],
      [wasm, native],
    ] as const) {
      const kp = a.crypto_box_keypair();
      const sealed = a.crypto_box_seal(seed(20), kp.publicKey);
      expect(b.crypto_box_seal_open(sealed, kp.publicKey, kp.privateKey)).toEqual(seed(20));
      const stranger = b.crypto_box_keypair();
      expect(() => b.crypto_box_seal_open(sealed, stranger.publicKey, stranger.privateKey)).toThrow();
      expect(() => b.crypto_box_seal_open(sealed.subarray(0, 40), kp.publicKey, kp.privateKey)).toThrow();
      const key = a.crypto_aead_xchacha20poly1305_ietf_keygen();
      const nonce = a.randombytes_buf(24);
      const ct = a.crypto_aead_xchacha20poly1305_ietf_encrypt(seed(21), null, null, nonce, key);
      ct[5]! ^= 1;
      expect(() => b.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, null, nonce, key)).toThrow();
      expect(() => b.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct.subarray(0, 10), null, nonce, key)).toThrow();
      const sk = a.crypto_sign_seed_keypair(seed(22));
      expect(
        b.crypto_sign_verify_detached(a.crypto_sign_detached(seed(23), sk.privateKey), seed(23), sk.publicKey),
      ).toBe(true);
      expect(
        b.crypto_sign_verify_detached(a.crypto_sign_detached(seed(23), sk.privateKey), seed(24), sk.publicKey),
      ).toBe(false);
      expect(() => b.crypto_sign_verify_detached(new Uint8Array(65), seed(23), sk.publicKey)).toThrow();
    }
  });

  it('small hash outputs are fresh arrays, and small inputs of any length hash and verify alike (native passes them through scratch buffers)', () => {
    const pair = native.crypto_sign_seed_keypair(seed(20));
    for (const s of [native, wasm]) {
      const first = s.crypto_generichash(32, seed(21));
      const kept = Uint8Array.from(first);
      const second = s.crypto_generichash(32, seed(22));
      expect(first).toEqual(kept);
      expect(second).not.toEqual(first);
      expect(first.buffer).not.toBe(second.buffer);
    }
    for (let len = 0; len <= 70; len++) {
      const msg = Uint8Array.from({ length: len }, (_, i) => (i * 13 + len) & 0xff);
      const hashes = [native, wasm].map((s) => s.crypto_generichash(16 + (len % 49), msg, seed(23)));
      expect(hashes[0], `hash of ${len} bytes`).toEqual(hashes[1]);
      const sig = native.crypto_sign_detached(msg, pair.privateKey);
      for (const s of [native, wasm]) {
        expect(s.crypto_sign_verify_detached(sig, msg, pair.publicKey), `${s.binding} ${len}`).toBe(true);
        const altered = Uint8Array.from(msg, (b, i) => (i === 0 ? b ^ 1 : b));
        if (len > 0) expect(s.crypto_sign_verify_detached(sig, altered, pair.publicKey)).toBe(false);
        // a failed check leaves nothing behind that the next one could pick up
        expect(s.crypto_sign_verify_detached(sig, msg, pair.publicKey)).toBe(true);
      }
    }
  });

  it('accept only canonical base64 and hex, alike', () => {
    const { URLSAFE_NO_PADDING, ORIGINAL } = native.base64_variants;
    for (const [text, variant] of [
      ['QUJD', URLSAFE_NO_PADDING],
      ['QUI', URLSAFE_NO_PADDING],
      ['QUJ', URLSAFE_NO_PADDING], // non-zero trailing bits
      ['QUI=', URLSAFE_NO_PADDING],
      ['QU I', URLSAFE_NO_PADDING],
      ['Q+/A', URLSAFE_NO_PADDING],
      ['Q-_A', URLSAFE_NO_PADDING],
      ['Q', URLSAFE_NO_PADDING],
      ['QUI=', ORIGINAL],
      ['QUI', ORIGINAL],
      ['Q-_A', ORIGINAL],
      ['Q+/A', ORIGINAL],
    ] as const) {
      const outcome = (s: Sodium) => {
        try {
          return Array.from(s.from_base64(text, variant));
        } catch {
          return 'refused';
        }
      };
      expect([text, outcome(native)]).toEqual([text, outcome(wasm)]);
    }
    for (const hex of ['0g', 'abc', 'AbCd', '']) {
      const outcome = (s: Sodium) => {
        try {
          return Array.from(s.from_hex(hex));
        } catch {
          return 'refused';
        }
      };
      expect([hex, outcome(native)]).toEqual([hex, outcome(wasm)]);
    }
  });
});

describe('envelopes across the bindings', () => {
  const signKeys = () => sodium().crypto_sign_seed_keypair(seed(30));
  const boxKeys = () => [seed(31), seed(32), seed(33)].map((x) => sodium().crypto_box_seed_keypair(x));

  async function sealWith(binding: SodiumBinding, payload: Uint8Array, kind: string, count: number) {
    await initSodium({ binding });
    const sign = signKeys();
    const device: DeviceIdentity = {
      deviceId: 'dev-x',
      employeeId: 'emp-x',
      signPublicKey: sign.publicKey,
      signSecretKey: sign.privateKey,
    };
    const boxes = boxKeys();
    const sealer = new DeviceSealer(device);
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const r = sealer.seal(
        kind,
        payload,
        boxes.map((b) => b.publicKey),
        1_764_000_000_000 + i,
      );
      if (!r.ok) throw new Error(r.error.message);
      out.push(r.value.bytes);
    }
    return { device, boxes, envelopes: out };
  }

  /** Seals the same record again from its parts with the current binding: everything but the random parts is recomputed. */
  function resealDeterministically(
    d: DecodedEnvelope,
    dataKey: Uint8Array,
    kind: string,
    createdAt: number,
    payload: Uint8Array,
    signSecretKey: Uint8Array,
  ): Uint8Array {
    const s = sodium();
    const aad = encodeAad(d.envelope, d.envelope.nonce);
    expect(aad).toEqual(d.aad);
    const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
      encodeContent({ kind, createdAt, payload }),
      aad,
      null,
      d.envelope.nonce,
      dataKey,
    );
    const signed = encodeSigned(aad, ciphertext);
    const digest = signedDigest(signed);
    return encodeEnvelope(signed, s.crypto_sign_detached(digest, signSecretKey));
  }

  for (const sealer of ['native', 'wasm'] as const) {
    for (const [label, kind, size] of [
      ['1 KB record', 'activity-slot', 1024],
      ['300 KB image', 'screenshot', 300 * 1024],
    ] as const) {
      it(`${sealer} seals a ${label}, ${other(sealer)} opens it and re-seals it to the same bytes`, async () => {
        const payload = Uint8Array.from({ length: size }, (_, i) => (i * 31) & 0xff);
        const { device, boxes, envelopes } = await sealWith(sealer, payload, kind, 3);
        await initSodium({ binding: other(sealer) });
        expect(sodium().binding).toBe(other(sealer));
        const opener = new EnvelopeOpener([{ publicKey: boxes[2]!.publicKey, secretKey: boxes[2]!.privateKey }]);
        envelopes.forEach((bytes, i) => {
          const opened = opener.open(bytes, device.signPublicKey);
          if (!opened.ok) throw new Error(opened.error.message);
          expect(Buffer.compare(opened.value.payload, payload)).toBe(0); // toEqual walks 300 KB element by element
          expect(opened.value.envelope.kind).toBe(kind);
          const d = decodeEnvelope(bytes);
          if (!d.ok) throw new Error(d.error.message);
          expect(opened.value.hash).toEqual(chainHash(signedDigest(d.value.signed), d.value.envelope.signature));
          const r = d.value.envelope.recipients.find((x) => equalBytes(x.keyId, keyIdOf(boxes[2]!.publicKey)))!;
          const dataKey = sodium().crypto_box_seal_open(r.wrappedKey, boxes[2]!.publicKey, boxes[2]!.privateKey);
          const again = resealDeterministically(
            d.value,
            dataKey,
            kind,
            1_764_000_000_000 + i,
            payload,
            device.signSecretKey,
          );
          expect(again.length).toBe(bytes.length);
          expect(Buffer.compare(again, bytes)).toBe(0);
        });
        expect(opener.unwraps).toBe(1);
        const many = opener.openMany(envelopes.map((bytes) => ({ bytes, deviceSignPublicKey: device.signPublicKey })));
        expect(many.map((m) => m.ok && m.value.payload.length)).toEqual([size, size, size]);
      });
    }
  }

  it('both refuse every tampered byte and forged signer with the same typed error', async () => {
    const payload = Uint8Array.from({ length: 600 }, (_, i) => i & 0xff);
    const { device, boxes, envelopes } = await sealWith('native', payload, 'app-event', 1);
    const bytes = envelopes[0]!;
    const stranger = sodium().crypto_sign_seed_keypair(seed(99));
    const forged = (await sealWith('wasm', payload, 'app-event', 1)).envelopes[0]!; // same ids, another key below
    const outcomes = async (binding: SodiumBinding) => {
      await initSodium({ binding });
      const opener = new EnvelopeOpener(boxes.map((b) => ({ publicKey: b.publicKey, secretKey: b.privateKey })));
      const codes: string[] = [];
      // every 7th byte keeps this quick; header, recipients, nonce, ciphertext and signature all get hit
      for (let i = 0; i < bytes.length; i += 7) {
        const t = Uint8Array.from(bytes);
        t[i]! ^= 0x10;
        const r = opener.open(t, device.signPublicKey);
        codes.push(r.ok ? `opened at ${i}` : r.error.code);
      }
      const wrongKey = opener.open(bytes, stranger.publicKey);
      codes.push(wrongKey.ok ? 'opened with a stranger key' : wrongKey.error.code);
      const f = opener.open(forged, stranger.publicKey);
      codes.push(f.ok ? 'opened forged' : f.error.code);
      const batch = opener.openMany([
        { bytes: Uint8Array.of(...bytes.subarray(0, 50)), deviceSignPublicKey: device.signPublicKey },
        { bytes, deviceSignPublicKey: stranger.publicKey },
      ]);
      codes.push(...batch.map((r) => (r.ok ? 'opened' : r.error.code)));
      return codes;
    };
    const n = await outcomes('native');
    const w = await outcomes('wasm');
    expect(n.filter((c) => c.startsWith('opened'))).toEqual([]);
    expect(n).toEqual(w);
    expect(n).toContain('bad-signature');
    expect(n).toContain('unknown-signer');
  });
});

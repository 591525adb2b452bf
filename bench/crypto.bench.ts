/**
 * npm run bench:crypto — the envelope layer side by side with the bare
 * libsodium primitive it is built on, in one run, so the ratio shows what
 * signing, wrapping, chaining and canonical encoding cost on top.
 */
import { performance } from 'node:perf_hooks';
import {
  DeviceSealer,
  EnvelopeOpener,
  MIN_MEM_LIMIT_BYTES,
  createKeyring,
  initSodium,
  newPwhashParams,
  unlockKeyring,
  verifyChain,
} from '@sealtime/shared';
import { row, writeResults, type BenchRow } from './bench-report.js';

const s = await initSodium();
const sign = s.crypto_sign_keypair();
const device = { deviceId: 'dev-1', employeeId: 'emp-1', signPublicKey: sign.publicKey, signSecretKey: sign.privateKey };
const boxes = [s.crypto_box_keypair(), s.crypto_box_keypair(), s.crypto_box_keypair()];
const recipients = boxes.map((b) => b.publicKey);

/** Runs fn repeatedly for about `ms` and returns calls per second. */
function rate(fn: (i: number) => void, ms = 1500): number {
  for (let i = 0; i < 20; i++) fn(i); // warm-up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let k = 0; k < 10; k++) fn(n++);
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

const rows: BenchRow[] = [];

for (const [label, size] of [['1 KB record', 1024], ['300 KB screenshot', 300 * 1024]] as const) {
  const payload = s.randombytes_buf(size);
  const key = s.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = s.randombytes_buf(24);
  const raw = rate(() => s.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, null, null, nonce, key));
  const sealer = new DeviceSealer(device);
  const sealRate = rate((i) => {
    const r = sealer.seal('activity-slot', payload, recipients, 1_764_000_000_000 + i);
    if (!r.ok) throw new Error(r.error.message);
  });
  rows.push(row(`seal ${label} (sign + chain, 3 recipients)`, sealRate, 'records/s', true, { name: 'bare XChaCha20-Poly1305 encrypt', value: raw }));
  // the floor any signed record has: encrypt plus one Ed25519 signature over a digest
  const rawSigned = rate(() => {
    const c = s.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, null, null, nonce, key);
    s.crypto_sign_detached(s.crypto_generichash(32, c, null), sign.privateKey);
  });
  rows.push(row(`seal ${label} (sign + chain, 3 recipients)`, sealRate, 'records/s', true, { name: 'bare encrypt + BLAKE2b + Ed25519 sign', value: rawSigned }));

  // opening: verify + cached data key + decrypt, against bare decrypt
  const sealedOnce = new DeviceSealer(device).seal('activity-slot', payload, recipients, 1);
  if (!sealedOnce.ok) throw new Error('seal');
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, null, null, nonce, key);
  const rawOpen = rate(() => s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, null, nonce, key));
  const opener = new EnvelopeOpener([{ publicKey: boxes[1]!.publicKey, secretKey: boxes[1]!.privateKey }]);
  const openRate = rate(() => {
    const r = opener.open(sealedOnce.value.bytes, sign.publicKey);
    if (!r.ok) throw new Error(r.error.message);
  });
  rows.push(row(`open ${label} (verify + decrypt)`, openRate, 'records/s', true, { name: 'bare XChaCha20-Poly1305 decrypt', value: rawOpen }));
}

// epoch reuse: one crypto_box_seal per recipient per hour instead of per record
{
  const payload = s.randombytes_buf(1024);
  const perRecord = new DeviceSealer(device, undefined, { epochMs: 1 });
  const amortised = new DeviceSealer(device);
  const a = rate((i) => void amortised.seal('app-event', payload, recipients, i));
  const b = rate((i) => void perRecord.seal('app-event', payload, recipients, i * 10));
  rows.push(row('seal 1 KB with hourly data-key epochs', a, 'records/s', true, { name: 'fresh data key + 3 wraps per record', value: b }));
}

// chain verification of 5000 records against bare Ed25519 verification
{
  const sealer = new DeviceSealer(device);
  const envelopes: Uint8Array[] = [];
  const payload = s.randombytes_buf(512);
  for (let i = 0; i < 5000; i++) {
    const r = sealer.seal('activity-slot', payload, recipients, i);
    if (!r.ok) throw new Error(r.error.message);
    envelopes.push(r.value.bytes);
  }
  let t = performance.now();
  const report = verifyChain(envelopes, { deviceId: 'dev-1', deviceSignPublicKey: sign.publicKey });
  const chainRate = envelopes.length / ((performance.now() - t) / 1000);
  if (!report.ok) throw new Error('chain failed');
  const msg = s.randombytes_buf(32);
  const sig = s.crypto_sign_detached(msg, sign.privateKey);
  t = performance.now();
  for (let i = 0; i < 5000; i++) s.crypto_sign_verify_detached(sig, msg, sign.publicKey);
  const rawVerify = 5000 / ((performance.now() - t) / 1000);
  rows.push(row('verify chain of 5000 records', chainRate, 'records/s', true, { name: 'bare Ed25519 verify', value: rawVerify }));
}

// unlocking a key ring: the deliberate Argon2id cost at the default and at the floor
{
  for (const [label, params] of [['default (3 passes, 64 MiB)', undefined], ['floor (2 passes, 19 MiB)', newPwhashParams(2, MIN_MEM_LIMIT_BYTES)]] as const) {
    const created = createKeyring({ ownerId: 'org', role: 'organisation', passphrase: 'a long bench passphrase', now: 1, ...(params ? { params } : {}) });
    if (!created.ok) throw new Error(created.error.message);
    const t = performance.now();
    const u = unlockKeyring(created.value.unlocked.doc, 'a long bench passphrase');
    if (!u.ok) throw new Error(u.error.message);
    rows.push(row(`unlock key ring, Argon2id ${label}`, performance.now() - t, 'ms', false));
  }
}

console.log(`wrote ${writeResults('crypto', rows)}`);

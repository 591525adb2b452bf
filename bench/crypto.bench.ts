/**
 * npm run bench:crypto — the envelope layer side by side with the bare
 * libsodium primitives it is built on, in one run and per binding (sodium-native
 * and the WebAssembly build), so each ratio shows what signing, wrapping,
 * chaining, padding and canonical encoding cost on top.
 *
 * Rates are per CPU-second of this process (user + system), and each figure is
 * measured in short slices alternating with its baseline: on a shared machine
 * wall-clock rates say more about the neighbours than about the code.
 * SEALTIME_SODIUM=native|wasm runs one binding only.
 */
import { performance } from 'node:perf_hooks';
import {
  DeviceSealer,
  EnvelopeOpener,
  MIN_MEM_LIMIT_BYTES,
  createKeyring,
  initSodium,
  newPwhashParams,
  registerPublicHash,
  unlockKeyring,
  verifyChain,
  type Sodium,
  type SodiumBinding,
} from '@sealtime/shared';
import { row, writeResults, type BenchRow } from './bench-report.js';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Calls per CPU-second of each function, measured in alternating slices of
 * `sliceMs` for about `totalMs` each, so that load changes hit all alike.
 */
function rates(fns: ReadonlyArray<(i: number) => void>, totalMs = 2000, sliceMs = 100): number[] {
  for (const fn of fns) for (let i = 0; i < 20; i++) fn(i); // warm-up
  const calls = fns.map(() => 0);
  const spent = fns.map(() => 0);
  while (Math.min(...spent) < totalMs) {
    fns.forEach((fn, k) => {
      const t0 = cpuMs();
      let t = t0;
      let n = calls[k]!;
      while (t - t0 < sliceMs) {
        for (let j = 0; j < 5; j++) fn(n++);
        t = cpuMs();
      }
      calls[k] = n;
      spent[k]! += t - t0;
    });
  }
  return calls.map((n, k) => n / (spent[k]! / 1000));
}

const rows: BenchRow[] = [];
const HOUR = 3_600_000;
const T0 = 1_764_000_000_000 - (1_764_000_000_000 % HOUR);
const only = process.env.SEALTIME_SODIUM;
const bindings: SodiumBinding[] = only === 'native' || only === 'wasm' ? [only] : ['native', 'wasm'];
const openRates = new Map<SodiumBinding, number>();
// the baselines hash random ciphertext (public bytes): through the same BLAKE2b as the envelope's signed bytes (public-blake2b.ts)
registerPublicHash(32, null);

for (const binding of bindings) {
  const s: Sodium = await initSodium({ binding });
  const tag = `[${binding}]`;
  const sign = s.crypto_sign_keypair();
  const device = {
    deviceId: 'dev-1',
    employeeId: 'emp-1',
    signPublicKey: sign.publicKey,
    signSecretKey: sign.privateKey,
  };
  const boxes = [s.crypto_box_keypair(), s.crypto_box_keypair(), s.crypto_box_keypair()];
  const recipients = boxes.map((b) => b.publicKey);
  const reader = [{ publicKey: boxes[1]!.publicKey, secretKey: boxes[1]!.privateKey }];

  for (const [label, size] of [
    ['1 KB record', 1024],
    ['300 KB screenshot', 300 * 1024],
  ] as const) {
    const payload = s.randombytes_buf(size);
    const key = s.crypto_aead_xchacha20poly1305_ietf_keygen();
    const nonce = s.randombytes_buf(24);
    const kind = size > 1024 ? 'screenshot' : 'activity-slot';

    // sealing: the envelope against bare encrypt, and against encrypt + the BLAKE2b digest + Ed25519 signature it needs at least
    const sealer = new DeviceSealer(device);
    const [sealRate, rawEncrypt, rawSigned] = rates([
      (i) => {
        const r = sealer.seal(kind, payload, recipients, T0 + i);
        if (!r.ok) throw new Error(r.error.message);
      },
      () => s.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, null, null, nonce, key),
      () =>
        s.crypto_sign_detached(
          s.crypto_generichash(32, s.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, null, null, nonce, key), null),
          sign.privateKey,
        ),
    ]);
    rows.push(
      row(`seal ${label} (sign + chain, 3 recipients) ${tag}`, sealRate!, 'records/s', true, {
        name: 'bare XChaCha20-Poly1305 encrypt',
        value: rawEncrypt!,
      }),
    );
    rows.push(
      row(`seal ${label} (sign + chain, 3 recipients) ${tag}`, sealRate!, 'records/s', true, {
        name: 'bare encrypt + BLAKE2b + Ed25519 sign',
        value: rawSigned!,
      }),
    );

    // opening one record: verify + cached data key + decrypt, against the bare operations (on the same payload size)
    const chainSealer = new DeviceSealer(device);
    const chain = Array.from({ length: size > 1024 ? 40 : 1000 }, (_, i) => {
      const r = chainSealer.seal(kind, payload, recipients, T0 + i);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.bytes;
    });
    // as many distinct ciphertexts as envelopes, so the baseline reads memory as cold as the opener does
    const cts = chain.map(() =>
      s.crypto_aead_xchacha20poly1305_ietf_encrypt(s.randombytes_buf(size), null, null, nonce, key),
    );
    const sigDigests = cts.map((c) => s.crypto_generichash(32, c, null));
    const sigs = sigDigests.map((d) => s.crypto_sign_detached(d, sign.privateKey));
    const opener = new EnvelopeOpener(reader);
    const requests = chain.map((bytes) => ({ bytes, deviceSignPublicKey: sign.publicKey }));
    const bulkOpener = new EnvelopeOpener(reader);
    const batch = size > 1024 ? 20 : 500; // a page of records of one device
    let opened = 0;
    const [openRate, rawDecrypt, rawOpen, bulkRate, rawVerify] = rates([
      (i) => {
        const r = opener.open(chain[i % chain.length]!, sign.publicKey);
        if (!r.ok) throw new Error(r.error.message);
      },
      (i) => s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, cts[i % cts.length]!, null, nonce, key),
      (i) => {
        const c = cts[i % cts.length]!;
        s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, null, nonce, key);
        if (!s.crypto_sign_verify_detached(sigs[i % cts.length]!, s.crypto_generichash(32, c, null), sign.publicKey))
          throw new Error('verify');
      },
      (i) => {
        // one call opens a page; count records, not calls (fixed below)
        const from = (i * batch) % chain.length;
        const r = bulkOpener.openMany(requests.slice(from, from + batch));
        for (const x of r) if (!x.ok) throw new Error(x.error.message);
        opened += r.length;
      },
      // one Ed25519 verification alone: the ceiling of one-at-a-time opening (1 KB only: at 300 KB it is noise)
      ...(size === 1024
        ? [
            (i: number) => {
              if (!s.crypto_sign_verify_detached(sigs[i % cts.length]!, sigDigests[i % cts.length]!, sign.publicKey))
                throw new Error('verify');
            },
          ]
        : []),
    ]);
    if (size === 1024) openRates.set(binding, openRate!);
    const bulkRecords = bulkRate! * batch;
    rows.push(
      row(`open ${label} (verify + decrypt) ${tag}`, openRate!, 'records/s', true, {
        name: 'bare XChaCha20-Poly1305 decrypt',
        value: rawDecrypt!,
      }),
    );
    rows.push(
      row(`open ${label} (verify + decrypt) ${tag}`, openRate!, 'records/s', true, {
        name: 'bare decrypt + BLAKE2b + Ed25519 verify',
        value: rawOpen!,
      }),
    );
    if (rawVerify !== undefined)
      rows.push(
        row(`open ${label} (verify + decrypt) ${tag}`, openRate!, 'records/s', true, {
          name: 'bare Ed25519 verify alone',
          value: rawVerify,
        }),
      );
    rows.push(
      row(`open ${label}s in bulk, pages of ${batch} of one device (openMany) ${tag}`, bulkRecords, 'records/s', true, {
        name: 'bare decrypt + BLAKE2b + Ed25519 verify',
        value: rawOpen!,
      }),
    );
    if (opened === 0) throw new Error('bulk opening opened nothing');
  }

  // epoch reuse: one crypto_box_seal per recipient per hour instead of per record
  {
    const payload = s.randombytes_buf(1024);
    const perRecord = new DeviceSealer(device, undefined, { epochMs: 1 });
    const amortised = new DeviceSealer(device);
    const [a, b] = rates([
      (i) => void amortised.seal('app-event', payload, recipients, T0 + i),
      (i) => void perRecord.seal('app-event', payload, recipients, T0 + i * 10),
    ]);
    rows.push(
      row(`seal 1 KB with hourly data-key epochs ${tag}`, a!, 'records/s', true, {
        name: 'fresh data key + 3 wraps per record',
        value: b!,
      }),
    );
  }

  // chain verification of 5000 records: linked runs checked with one signature, against bare Ed25519 verification per record
  {
    const sealer = new DeviceSealer(device);
    const payload = s.randombytes_buf(512);
    const envelopes = Array.from({ length: 5000 }, (_, i) => {
      const r = sealer.seal('activity-slot', payload, recipients, T0 + i);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.bytes;
    });
    const msg = s.randombytes_buf(32);
    const sig = s.crypto_sign_detached(msg, sign.privateKey);
    const expect = { deviceId: 'dev-1', deviceSignPublicKey: sign.publicKey };
    const [bulk, each, rawVerify] = rates(
      [
        () => {
          if (!verifyChain(envelopes, expect).ok) throw new Error('chain failed');
        },
        () => {
          if (!verifyChain(envelopes, expect, { bulk: false }).ok) throw new Error('chain failed');
        },
        () => s.crypto_sign_verify_detached(sig, msg, sign.publicKey),
      ],
      4000,
      1000,
    );
    rows.push(
      row(`verify chain of 5000 records (bulk: one signature per linked run) ${tag}`, bulk! * 5000, 'records/s', true, {
        name: 'bare Ed25519 verify',
        value: rawVerify!,
      }),
    );
    rows.push(
      row(`verify chain of 5000 records (every signature) ${tag}`, each! * 5000, 'records/s', true, {
        name: 'bare Ed25519 verify',
        value: rawVerify!,
      }),
    );
  }

  // unlocking a key ring: the deliberate Argon2id cost at the default and at the floor
  for (const [label, params] of [
    ['default (3 passes, 64 MiB)', undefined],
    ['floor (2 passes, 19 MiB)', newPwhashParams(2, MIN_MEM_LIMIT_BYTES)],
  ] as const) {
    const created = createKeyring({
      ownerId: 'org',
      role: 'organisation',
      passphrase: 'a long bench passphrase',
      now: 1,
      ...(params ? { params } : {}),
    });
    if (!created.ok) throw new Error(created.error.message);
    const t = performance.now();
    const u = unlockKeyring(created.value.unlocked.doc, 'a long bench passphrase');
    if (!u.ok) throw new Error(u.error.message);
    rows.push(row(`unlock key ring, Argon2id ${label} ${tag}`, performance.now() - t, 'ms', false));
  }
}

if (openRates.has('native') && openRates.has('wasm')) {
  rows.push(
    row('open 1 KB record (verify + decrypt): sodium-native', openRates.get('native')!, 'records/s', true, {
      name: 'libsodium-wrappers (WebAssembly)',
      value: openRates.get('wasm')!,
    }),
  );
}

console.log(`wrote ${writeResults('crypto', rows)}`);

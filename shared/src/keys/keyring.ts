/**
 * Key-ring life cycle: create (with a printed recovery key), unlock with the
 * passphrase, recover with the paper key, change passphrase, rotate, revoke and
 * shred. Every operation returns a new document; nothing is mutated in place,
 * so a failed step never leaves a half-written ring.
 */
import { utf8 } from '../envelope/bytes.js';
import { sodium } from '../envelope/sodium.js';
import { keyFail, type KeyResult } from './key-errors.js';
import type { KeyGeneration, KeyringDoc } from './keyring-document.js';
import { validateKeyringDoc } from './keyring-document.js';
import { checkPassphrase, derivePassphraseKey, newPwhashParams, type PwhashParams } from './passphrase.js';
import { newSeed, personKeysFromSeed, type KeyRole, type PersonKeys } from './person-keys.js';
import { generateRecoveryKey, parseRecoveryKey, type RecoveryKey } from './recovery-key.js';

export interface UnlockedKeyring {
  doc: KeyringDoc;
  /** keyId → keys, for every generation that is not shredded. */
  keys: Map<string, PersonKeys>;
  /** Seeds kept in memory only while unlocked, to re-wrap on passphrase change. */
  seeds: Map<string, Uint8Array>;
  passphraseKey: Uint8Array;
}

const b64 = (b: Uint8Array) => sodium().to_base64(b, sodium().base64_variants.URLSAFE_NO_PADDING);
const unb64 = (t: string): Uint8Array | undefined => {
  try {
    return sodium().from_base64(t, sodium().base64_variants.URLSAFE_NO_PADDING);
  } catch {
    return undefined;
  }
};
const aadFor = (ownerId: string, keyId: string) => utf8(`sealtime keyring v1|${ownerId}|${keyId}`);

function wrapGeneration(
  ownerId: string,
  seed: Uint8Array,
  passphraseKey: Uint8Array,
  recoveryPublicKey: Uint8Array,
  createdAt: number,
): { gen: KeyGeneration; keys: PersonKeys } {
  const s = sodium();
  const keys = personKeysFromSeed(seed);
  const nonce = s.randombytes_buf(24);
  const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
    seed,
    aadFor(ownerId, keys.keyId),
    null,
    nonce,
    passphraseKey,
  );
  return {
    keys,
    gen: {
      keyId: keys.keyId,
      boxPublicKey: b64(keys.boxPublicKey),
      signPublicKey: b64(keys.signPublicKey),
      createdAt,
      status: 'active',
      byPassphrase: { nonce: b64(nonce), ciphertext: b64(ciphertext) },
      byRecovery: b64(s.crypto_box_seal(seed, recoveryPublicKey)),
    },
  };
}

function rewrap(doc: KeyringDoc, gen: KeyGeneration, seed: Uint8Array, passphraseKey: Uint8Array): KeyGeneration {
  const s = sodium();
  const nonce = s.randombytes_buf(24);
  const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
    seed,
    aadFor(doc.ownerId, gen.keyId),
    null,
    nonce,
    passphraseKey,
  );
  return { ...gen, byPassphrase: { nonce: b64(nonce), ciphertext: b64(ciphertext) } };
}

export interface CreateKeyringInput {
  ownerId: string;
  role: KeyRole;
  passphrase: string;
  now: number;
  /** Override only to raise the cost (tests may lower it to the floor). */
  params?: PwhashParams;
}

export function createKeyring(
  input: CreateKeyringInput,
): KeyResult<{ unlocked: UnlockedKeyring; recoveryKey: RecoveryKey }> {
  const weak = checkPassphrase(input.passphrase);
  if (weak) return keyFail(weak.code, weak.message);
  const params = input.params ?? newPwhashParams();
  const pk = derivePassphraseKey(input.passphrase, params);
  if (!pk.ok) return keyFail(pk.error.code, pk.error.message);
  const recoveryKey = generateRecoveryKey();
  const seed = newSeed();
  const { gen, keys } = wrapGeneration(input.ownerId, seed, pk.value, recoveryKey.publicKey, input.now);
  const doc: KeyringDoc = {
    type: 'keyring',
    v: 1,
    ownerId: input.ownerId,
    role: input.role,
    passphrase: params,
    recoveryPublicKey: b64(recoveryKey.publicKey),
    generations: [gen],
    updatedAt: input.now,
  };
  const valid = validateKeyringDoc(doc);
  if (!valid.ok) return valid;
  return {
    ok: true,
    value: {
      recoveryKey,
      unlocked: {
        doc,
        keys: new Map([[keys.keyId, keys]]),
        seeds: new Map([[keys.keyId, seed]]),
        passphraseKey: pk.value,
      },
    },
  };
}

export function unlockKeyring(input: unknown, passphrase: unknown): KeyResult<UnlockedKeyring> {
  const valid = validateKeyringDoc(input);
  if (!valid.ok) return valid;
  const doc = valid.value;
  if (typeof passphrase !== 'string') return keyFail('wrong-passphrase', 'the passphrase must be text');
  const pk = derivePassphraseKey(passphrase, doc.passphrase);
  if (!pk.ok) return keyFail(pk.error.code, pk.error.message);
  const s = sodium();
  const keys = new Map<string, PersonKeys>();
  const seeds = new Map<string, Uint8Array>();
  for (const gen of doc.generations) {
    if (!gen.byPassphrase) continue;
    const nonce = unb64(gen.byPassphrase.nonce);
    const ct = unb64(gen.byPassphrase.ciphertext);
    let seed: Uint8Array;
    try {
      seed = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct!, aadFor(doc.ownerId, gen.keyId), nonce!, pk.value);
    } catch {
      // the first generation failing means the passphrase is wrong; a later one, that the ring was tampered with
      return keys.size === 0
        ? keyFail('wrong-passphrase', 'wrong passphrase')
        : keyFail('malformed-keyring', `generation ${gen.keyId} does not decrypt`);
    }
    const derived = personKeysFromSeed(seed);
    if (derived.keyId !== gen.keyId || b64(derived.signPublicKey) !== gen.signPublicKey)
      return keyFail('malformed-keyring', `generation ${gen.keyId} does not match its public keys`);
    keys.set(gen.keyId, derived);
    seeds.set(gen.keyId, seed);
  }
  return { ok: true, value: { doc, keys, seeds, passphraseKey: pk.value } };
}

/** Lost passphrase: the printed recovery key opens every generation and a new passphrase wraps them. */
export function recoverKeyring(
  input: unknown,
  recoveryText: unknown,
  newPassphrase: string,
  now: number,
  params?: PwhashParams,
): KeyResult<UnlockedKeyring> {
  const valid = validateKeyringDoc(input);
  if (!valid.ok) return valid;
  const rk = parseRecoveryKey(recoveryText);
  if (!rk.ok) return keyFail('bad-recovery-key', rk.error.message);
  if (b64(rk.value.publicKey) !== valid.value.recoveryPublicKey)
    return keyFail('bad-recovery-key', 'this recovery key belongs to another key ring');
  const s = sodium();
  const seeds = new Map<string, Uint8Array>();
  for (const gen of valid.value.generations) {
    if (!gen.byRecovery) continue;
    try {
      seeds.set(gen.keyId, s.crypto_box_seal_open(unb64(gen.byRecovery)!, rk.value.publicKey, rk.value.secretKey));
    } catch {
      return keyFail('malformed-keyring', `generation ${gen.keyId} does not open with the recovery key`);
    }
  }
  return setPassphrase(valid.value, seeds, newPassphrase, now, params);
}

export function changePassphrase(
  unlocked: UnlockedKeyring,
  newPassphrase: string,
  now: number,
  params?: PwhashParams,
): KeyResult<UnlockedKeyring> {
  return setPassphrase(unlocked.doc, unlocked.seeds, newPassphrase, now, params);
}

function setPassphrase(
  doc: KeyringDoc,
  seeds: Map<string, Uint8Array>,
  newPassphrase: string,
  now: number,
  params?: PwhashParams,
): KeyResult<UnlockedKeyring> {
  const weak = checkPassphrase(newPassphrase);
  if (weak) return keyFail(weak.code, weak.message);
  const p = params ?? newPwhashParams(doc.passphrase.opsLimit, doc.passphrase.memLimitBytes);
  const pk = derivePassphraseKey(newPassphrase, p);
  if (!pk.ok) return keyFail(pk.error.code, pk.error.message);
  const keys = new Map<string, PersonKeys>();
  const generations = doc.generations.map((g) => {
    const seed = seeds.get(g.keyId);
    if (!seed) return g;
    keys.set(g.keyId, personKeysFromSeed(seed));
    return rewrap(doc, g, seed, pk.value);
  });
  const next: KeyringDoc = { ...doc, passphrase: p, generations, updatedAt: now };
  return { ok: true, value: { doc: next, keys, seeds: new Map(seeds), passphraseKey: pk.value } };
}

/** New active generation; the previous one is retired (still opens old records, receives no new ones). */
export function rotateKeyring(unlocked: UnlockedKeyring, now: number): UnlockedKeyring {
  const doc = unlocked.doc;
  const recoveryPk = unb64(doc.recoveryPublicKey)!;
  const seed = newSeed();
  const { gen, keys } = wrapGeneration(doc.ownerId, seed, unlocked.passphraseKey, recoveryPk, now);
  const generations = doc.generations.map((g): KeyGeneration =>
    g.status === 'active' ? { ...g, status: 'retired', statusChangedAt: now } : g,
  );
  generations.push(gen);
  return {
    doc: { ...doc, generations, updatedAt: now },
    keys: new Map([...unlocked.keys, [keys.keyId, keys]]),
    seeds: new Map([...unlocked.seeds, [keys.keyId, seed]]),
    passphraseKey: unlocked.passphraseKey,
  };
}

/**
 * Revoked: compromised or withdrawn. No record is sealed to it again and
 * signatures by it are refused; its secret stays wrapped so old records remain
 * readable. Revoking the active generation rotates first.
 */
export function revokeGeneration(
  unlocked: UnlockedKeyring,
  keyId: string,
  reason: string,
  now: number,
): KeyResult<UnlockedKeyring> {
  const target = unlocked.doc.generations.find((g) => g.keyId === keyId);
  if (!target) return keyFail('unknown-key', `no generation ${keyId} in this key ring`);
  const base = target.status === 'active' ? rotateKeyring(unlocked, now) : unlocked;
  const generations = base.doc.generations.map((g): KeyGeneration =>
    g.keyId === keyId && g.status !== 'shredded'
      ? { ...g, status: 'revoked', statusChangedAt: now, reason: reason.slice(0, 500) }
      : g,
  );
  return { ok: true, value: { ...base, doc: { ...base.doc, generations, updatedAt: now } } };
}

/**
 * Crypto-shredding: the wrapped secret is erased from the ring, so everything
 * sealed only to this generation becomes unreadable everywhere, backups included.
 */
export function shredGeneration(unlocked: UnlockedKeyring, keyId: string, now: number): KeyResult<UnlockedKeyring> {
  const target = unlocked.doc.generations.find((g) => g.keyId === keyId);
  if (!target) return keyFail('unknown-key', `no generation ${keyId} in this key ring`);
  if (target.status === 'active')
    return keyFail('no-active-key', 'rotate or revoke before shredding the active generation');
  const generations = unlocked.doc.generations.map((g): KeyGeneration => {
    if (g.keyId !== keyId) return g;
    const { byPassphrase: _p, byRecovery: _r, ...rest } = g;
    return { ...rest, status: 'shredded', statusChangedAt: now };
  });
  const keys = new Map(unlocked.keys);
  const seeds = new Map(unlocked.seeds);
  const seed = seeds.get(keyId);
  if (seed) sodium().memzero(seed);
  keys.delete(keyId);
  seeds.delete(keyId);
  return { ok: true, value: { ...unlocked, keys, seeds, doc: { ...unlocked.doc, generations, updatedAt: now } } };
}

/** The public key records are sealed to now, or undefined if the ring has none active. */
export function activePublicKeys(
  doc: KeyringDoc,
): { keyId: string; boxPublicKey: Uint8Array; signPublicKey: Uint8Array } | undefined {
  const g = doc.generations.find((x) => x.status === 'active');
  if (!g) return undefined;
  return { keyId: g.keyId, boxPublicKey: unb64(g.boxPublicKey)!, signPublicKey: unb64(g.signPublicKey)! };
}

/** Key pairs for an EnvelopeOpener: every generation still held, revoked ones included. */
export function openerKeys(unlocked: UnlockedKeyring): Array<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  return [...unlocked.keys.values()].map((k) => ({ publicKey: k.boxPublicKey, secretKey: k.boxSecretKey }));
}

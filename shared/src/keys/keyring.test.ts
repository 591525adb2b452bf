import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceSealer, EnvelopeOpener, initSodium } from '../envelope/index.js';
import {
  DEFAULT_MEM_LIMIT_BYTES,
  DEFAULT_OPS_LIMIT,
  MIN_MEM_LIMIT_BYTES,
  MIN_OPS_LIMIT,
  activePublicKeys,
  changePassphrase,
  createKeyring,
  newPwhashParams,
  openerKeys,
  parseRecoveryKey,
  recoverKeyring,
  revokeGeneration,
  rotateKeyring,
  shredGeneration,
  unlockKeyring,
  validateKeyringDoc,
  type UnlockedKeyring,
} from './index.js';

const PASS = 'correct horse battery staple';
// the floor the validator accepts: fast enough for many test unlocks
const fast = () => newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES);

function mustCreate(ownerId = 'org') {
  const r = createKeyring({ ownerId, role: 'organisation', passphrase: PASS, now: 1000, params: fast() });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

let device: ConstructorParameters<typeof DeviceSealer>[0];
beforeAll(async () => {
  const s = await initSodium();
  const k = s.crypto_sign_keypair();
  device = { deviceId: 'd1', employeeId: 'e1', signPublicKey: k.publicKey, signSecretKey: k.privateKey };
});

function sealTo(unlocked: UnlockedKeyring, text: string) {
  const pk = activePublicKeys(unlocked.doc)!.boxPublicKey;
  const r = new DeviceSealer(device).seal('attendance', new TextEncoder().encode(text), [pk], 1);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.bytes;
}

describe('key ring', () => {
  it('creates with the default Argon2id cost and unlocks only with the right passphrase', () => {
    const r = createKeyring({ ownerId: 'hr', role: 'hr', passphrase: PASS, now: 1 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.unlocked.doc.passphrase).toMatchObject({
      opsLimit: DEFAULT_OPS_LIMIT,
      memLimitBytes: DEFAULT_MEM_LIMIT_BYTES,
    });
    const doc = JSON.parse(JSON.stringify(r.value.unlocked.doc));
    expect(JSON.stringify(doc)).not.toContain(r.value.recoveryKey.text);
    const good = unlockKeyring(doc, PASS);
    expect(good.ok && [...good.value.keys.keys()]).toEqual([doc.generations[0].keyId]);
    const bad = unlockKeyring(doc, 'wrong passphrase!!');
    expect(bad.ok ? 'unlocked' : bad.error.code).toBe('wrong-passphrase');
  });

  it('refuses weak passphrases and weakened or absurd parameters', () => {
    const weak = createKeyring({ ownerId: 'o', role: 'team', passphrase: 'short', now: 1, params: fast() });
    expect(weak.ok ? 'created' : weak.error.code).toBe('weak-passphrase');
    const { unlocked } = mustCreate();
    for (const [opsLimit, memLimitBytes] of [
      [1, MIN_MEM_LIMIT_BYTES],
      [2, 1024 * 1024],
      [2, 8 * 1024 * 1024 * 1024],
    ] as const) {
      const tampered = { ...unlocked.doc, passphrase: { ...unlocked.doc.passphrase, opsLimit, memLimitBytes } };
      const r = unlockKeyring(tampered, PASS);
      expect(r.ok ? 'unlocked' : r.error.code).toBe('bad-params');
    }
  });

  it('recovers with the printed key after a lost passphrase, tolerating case and O/0 mix-ups', () => {
    const { unlocked, recoveryKey } = mustCreate();
    const sealed = sealTo(unlocked, 'payroll');
    const sloppy = recoveryKey.text.toLowerCase().replace(/0/g, 'o');
    const rec = recoverKeyring(unlocked.doc, sloppy, 'a brand new passphrase', 2000, fast());
    if (!rec.ok) throw new Error(rec.error.message);
    expect(unlockKeyring(rec.value.doc, PASS).ok).toBe(false);
    const again = unlockKeyring(rec.value.doc, 'a brand new passphrase');
    if (!again.ok) throw new Error(again.error.message);
    const opened = new EnvelopeOpener(openerKeys(again.value)).open(sealed, device.signPublicKey);
    expect(opened.ok && new TextDecoder().decode(opened.value.payload)).toBe('payroll');
  });

  it('catches typos in a recovery key and a key from another ring', () => {
    const { unlocked, recoveryKey } = mustCreate();
    const chars = recoveryKey.text.split('');
    const i = chars.findIndex((c) => c !== '-');
    chars[i] = chars[i] === 'A' ? 'B' : 'A';
    expect(parseRecoveryKey(chars.join('')).ok).toBe(false);
    expect(parseRecoveryKey('not a key').ok).toBe(false);
    expect(parseRecoveryKey(12).ok).toBe(false);
    const other = mustCreate('other');
    const r = recoverKeyring(unlocked.doc, other.recoveryKey.text, 'whatever passphrase', 1, fast());
    expect(r.ok ? 'recovered' : r.error.code).toBe('bad-recovery-key');
  });

  it('re-wraps on passphrase change without changing any key', () => {
    const { unlocked } = mustCreate();
    const changed = changePassphrase(unlocked, 'another long passphrase', 5, fast());
    if (!changed.ok) throw new Error(changed.error.message);
    expect(changed.value.doc.generations.map((g) => g.keyId)).toEqual(unlocked.doc.generations.map((g) => g.keyId));
    expect(changed.value.doc.passphrase.salt).not.toBe(unlocked.doc.passphrase.salt);
    expect(unlockKeyring(changed.value.doc, 'another long passphrase').ok).toBe(true);
    expect(unlockKeyring(changed.value.doc, PASS).ok).toBe(false);
  });

  it('rotates: new records go to the new key, old records still open', () => {
    const { unlocked } = mustCreate();
    const old = sealTo(unlocked, 'before');
    const rotated = rotateKeyring(unlocked, 3000);
    expect(rotated.doc.generations.map((g) => g.status)).toEqual(['retired', 'active']);
    const fresh = sealTo(rotated, 'after');
    const reopened = unlockKeyring(JSON.parse(JSON.stringify(rotated.doc)), PASS);
    if (!reopened.ok) throw new Error(reopened.error.message);
    const opener = new EnvelopeOpener(openerKeys(reopened.value));
    expect(opener.open(old, device.signPublicKey).ok).toBe(true);
    expect(opener.open(fresh, device.signPublicKey).ok).toBe(true);
    // the retired key alone cannot read what was sealed after the rotation
    const retiredOnly = new EnvelopeOpener(openerKeys(unlocked));
    const denied = retiredOnly.open(fresh, device.signPublicKey);
    expect(denied.ok ? 'opened' : denied.error.code).toBe('not-a-recipient');
  });

  it('revoking the active generation rotates; shredding makes its records unreadable for good', () => {
    const { unlocked, recoveryKey } = mustCreate();
    const firstId = unlocked.doc.generations[0]!.keyId;
    const sealed = sealTo(unlocked, 'to be erased');
    const revoked = revokeGeneration(unlocked, firstId, 'laptop stolen', 4000);
    if (!revoked.ok) throw new Error(revoked.error.message);
    expect(revoked.value.doc.generations.map((g) => g.status)).toEqual(['revoked', 'active']);
    expect(activePublicKeys(revoked.value.doc)!.keyId).not.toBe(firstId);
    expect(new EnvelopeOpener(openerKeys(revoked.value)).open(sealed, device.signPublicKey).ok).toBe(true);

    expect(shredGeneration(revoked.value, activePublicKeys(revoked.value.doc)!.keyId, 1).ok).toBe(false);
    const shredded = shredGeneration(revoked.value, firstId, 5000);
    if (!shredded.ok) throw new Error(shredded.error.message);
    const doc = JSON.parse(JSON.stringify(shredded.value.doc));
    expect(validateKeyringDoc(doc).ok).toBe(true);
    const byPass = unlockKeyring(doc, PASS);
    const byPaper = recoverKeyring(doc, recoveryKey.text, 'yet another passphrase', 6000, fast());
    for (const r of [byPass, byPaper]) {
      if (!r.ok) throw new Error(r.error.message);
      const denied = new EnvelopeOpener(openerKeys(r.value)).open(sealed, device.signPublicKey);
      expect(denied.ok ? 'opened' : denied.error.code).toBe('not-a-recipient');
    }
  });

  it('rejects malformed and tampered key rings with typed errors', () => {
    const { unlocked } = mustCreate();
    const doc = JSON.parse(JSON.stringify(unlocked.doc));
    const cases: unknown[] = [
      null,
      [],
      'keyring',
      { ...doc, v: 2 },
      { ...doc, role: 'god' },
      { ...doc, generations: [] },
      { ...doc, extra: 1 },
      { ...doc, generations: [{ ...doc.generations[0], byRecovery: undefined }] },
      { ...doc, generations: [doc.generations[0], doc.generations[0]] },
    ];
    for (const c of cases) {
      const r = unlockKeyring(c, PASS);
      expect(r.ok).toBe(false);
    }
    // a swapped public key is caught after decryption
    const swapped = { ...doc, generations: [{ ...doc.generations[0], signPublicKey: doc.recoveryPublicKey }] };
    const r = unlockKeyring(swapped, PASS);
    expect(r.ok ? 'unlocked' : r.error.code).toBe('malformed-keyring');
  });
});

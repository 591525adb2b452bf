// The device keystore on disk: private file and directory modes, round trip,
// typed errors for a wrong passphrase, tampering and missing vault keys, and
// no secret in the clear anywhere in the file.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSodium, toBase64, toHex } from '@sealtime/shared';
import { tempDir } from '../recorder/recorder.fixture.js';
import {
  readDevicePublicInfo,
  saveDeviceKeystore,
  unlockDeviceKeystore,
  type DevicePublicInfo,
} from './device-keystore.js';
import { KeystoreError } from './keystore-errors.js';
import { PassphraseWrapper, VaultWrapper, type KeyVault } from './secret-wrapper.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

// the floor the shared code allows: keeps the tests fast, the format identical
const FAST = { opsLimit: 2, memLimitBytes: 19 * 1024 * 1024 };
const PASS = 'correct horse battery staple';
const CREDENTIAL = 'dc_4f0b2a9c51e84d7a93b6f1e0c2d5a7b8';

async function fixture() {
  const s = await initSodium();
  const t = tempDir('st-keystore-');
  cleanups.push(t.cleanup);
  const kp = s.crypto_sign_keypair();
  const info: DevicePublicInfo = {
    deviceId: 'dev-0011223344556677',
    employeeId: 'emp-7',
    teamId: 'team-a',
    serverUrl: 'https://sync.example.test:8443',
    signPublicKey: toBase64(kp.publicKey),
    orgKeyFingerprint: 'abcd 0123 abcd 0123 abcd 0123 abcd 0123',
    enrolledAt: 1_764_000_000_000,
  };
  return { s, dir: t.dir, path: join(t.dir, 'keys', 'device-keystore.json'), kp, info };
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'no error';
  } catch (err) {
    expect(err).toBeInstanceOf(KeystoreError);
    return (err as KeystoreError).code;
  }
};

describe('device keystore', () => {
  it('writes a 0600 file in a 0700 directory and unlocks to a working identity', async () => {
    const { s, path, kp, info, dir } = await fixture();
    mkdirSync(join(dir, 'keys'), { mode: 0o755 });
    chmodSync(join(dir, 'keys'), 0o755); // a directory that was too open is tightened
    await saveDeviceKeystore(
      path,
      info,
      { signSecretKey: kp.privateKey, deviceCredential: CREDENTIAL },
      new PassphraseWrapper(PASS, FAST),
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);

    const unlocked = await unlockDeviceKeystore(path, new PassphraseWrapper(PASS, FAST));
    expect(unlocked.deviceCredential).toBe(CREDENTIAL);
    expect(unlocked.identity).toMatchObject({ deviceId: info.deviceId, employeeId: 'emp-7' });
    const sig = s.crypto_sign_detached(new Uint8Array([1, 2, 3]), unlocked.identity.signSecretKey);
    expect(s.crypto_sign_verify_detached(sig, new Uint8Array([1, 2, 3]), kp.publicKey)).toBe(true);
    expect(await readDevicePublicInfo(path)).toEqual(info);
  });

  it('keeps no secret in the clear', async () => {
    const { path, kp, info } = await fixture();
    await saveDeviceKeystore(
      path,
      info,
      { signSecretKey: kp.privateKey, deviceCredential: CREDENTIAL },
      new PassphraseWrapper(PASS, FAST),
    );
    const text = readFileSync(path, 'utf8');
    for (const secret of [
      CREDENTIAL,
      toBase64(kp.privateKey),
      toHex(kp.privateKey),
      Buffer.from(kp.privateKey).toString('base64'),
      toBase64(kp.privateKey.subarray(0, 32)),
      PASS,
    ]) {
      expect(text.includes(secret)).toBe(false);
    }
  });

  it('refuses a wrong passphrase, a weak one, and an altered file with typed errors', async () => {
    const { path, kp, info } = await fixture();
    const secrets = { signSecretKey: kp.privateKey, deviceCredential: CREDENTIAL };
    expect(await codeOf(saveDeviceKeystore(path, info, secrets, new PassphraseWrapper('short', FAST)))).toBe(
      'weak-passphrase',
    );
    await saveDeviceKeystore(path, info, secrets, new PassphraseWrapper(PASS, FAST));
    expect(await codeOf(unlockDeviceKeystore(path, new PassphraseWrapper('correct horse battery stapler', FAST)))).toBe(
      'wrong-passphrase',
    );

    const original = readFileSync(path, 'utf8');
    const file = JSON.parse(original);
    // the public part is authenticated: moving the secrets to another employee fails
    writeFileSync(path, JSON.stringify({ ...file, public: { ...file.public, employeeId: 'emp-8' } }), { mode: 0o600 });
    expect(await codeOf(unlockDeviceKeystore(path, new PassphraseWrapper(PASS, FAST)))).toBe('wrong-passphrase');
    // weakened key derivation is rejected before any attempt
    writeFileSync(path, JSON.stringify({ ...file, wrap: { ...file.wrap, opsLimit: 1 } }), { mode: 0o600 });
    expect(await codeOf(unlockDeviceKeystore(path, new PassphraseWrapper(PASS, FAST)))).toBe('corrupt');
    writeFileSync(path, '{"format":"something else"}', { mode: 0o600 });
    expect(await codeOf(unlockDeviceKeystore(path, new PassphraseWrapper(PASS, FAST)))).toBe('corrupt');
    writeFileSync(path, original, { mode: 0o600 });
    expect((await unlockDeviceKeystore(path, new PassphraseWrapper(PASS, FAST))).deviceCredential).toBe(CREDENTIAL);
    expect(await codeOf(unlockDeviceKeystore(path + '.missing', new PassphraseWrapper(PASS, FAST)))).toBe('not-found');
  });

  it('tightens a keystore file that became readable by others', async () => {
    const { path, kp, info } = await fixture();
    await saveDeviceKeystore(
      path,
      info,
      { signSecretKey: kp.privateKey, deviceCredential: CREDENTIAL },
      new PassphraseWrapper(PASS, FAST),
    );
    chmodSync(path, 0o644);
    await readDevicePublicInfo(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('rejects credentials in the server URL and a public key that is not the secret key’s', async () => {
    const { s, path, kp, info } = await fixture();
    const secrets = { signSecretKey: kp.privateKey, deviceCredential: CREDENTIAL };
    expect(
      await codeOf(
        saveDeviceKeystore(
          path,
          { ...info, serverUrl: 'https://u:p@sync.example.test' },
          secrets,
          new PassphraseWrapper(PASS, FAST),
        ),
      ),
    ).toBe('invalid');
    expect(
      await codeOf(
        saveDeviceKeystore(
          path,
          { ...info, signPublicKey: toBase64(s.crypto_sign_keypair().publicKey) },
          secrets,
          new PassphraseWrapper(PASS, FAST),
        ),
      ),
    ).toBe('invalid');
  });

  it('unlocks with a random key held by a key vault, and fails clearly when the vault lost it', async () => {
    const { path, kp, info } = await fixture();
    const keys = new Map<string, Uint8Array>();
    const vault: KeyVault = {
      name: 'test',
      save: async (l, k) => void keys.set(l, Uint8Array.from(k)),
      load: async (l) => keys.get(l),
    };
    await saveDeviceKeystore(
      path,
      info,
      { signSecretKey: kp.privateKey, deviceCredential: CREDENTIAL },
      new VaultWrapper(vault),
    );
    expect((await unlockDeviceKeystore(path, new VaultWrapper(vault))).deviceCredential).toBe(CREDENTIAL);
    expect(await codeOf(unlockDeviceKeystore(path, new PassphraseWrapper(PASS, FAST)))).toBe('wrong-wrapper');
    keys.clear();
    expect(await codeOf(unlockDeviceKeystore(path, new VaultWrapper(vault)))).toBe('key-unavailable');
  });
});

// The OS key store's custody of the device keystore, with a real cipher in
// place of safeStorage (XChaCha20-Poly1305 under a per-test key: Electron
// cannot run here), real keystore files and real file modes.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSodium, toBase64, type Sodium } from '@sealtime/shared';
import { agentPaths, KEY_LABEL, keystoreWrapper, type AgentPaths } from '../enroll/data-dir.js';
import { saveDeviceKeystore, unlockDeviceKeystore } from '../keystore/device-keystore.js';
import { PassphraseWrapper } from '../keystore/secret-wrapper.js';
import { tempDir } from '../recorder/recorder.fixture.js';
import { enrolled, PASSPHRASE_LABEL, takeCustody } from './keystore-custody.js';
import { SealedKeyVault, VaultUnavailableError, safeStorageRefusal, type OsCipher } from './sealed-key-vault.js';

const FAST = { opsLimit: 2, memLimitBytes: 19 * 1024 * 1024 };
const CREDENTIAL = 'dc_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function osCipher(s: Sodium, available = () => null as string | null): OsCipher & { key: Uint8Array } {
  const key = s.randombytes_buf(32);
  return {
    key,
    unavailableReason: available,
    encrypt: (plain) => {
      const nonce = s.randombytes_buf(24);
      const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(new TextEncoder().encode(plain), null, null, nonce, key);
      return Uint8Array.from([...nonce, ...ct]);
    },
    decrypt: (sealed) =>
      new TextDecoder().decode(
        s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.subarray(24), null, sealed.subarray(0, 24), key),
      ),
  };
}

async function enrolledByCli(): Promise<{ s: Sodium; paths: AgentPaths; secretKey: Uint8Array }> {
  const s = await initSodium();
  const t = tempDir('st-custody-');
  cleanups.push(t.cleanup);
  const paths = agentPaths(t.dir);
  const kp = s.crypto_sign_keypair();
  const info = {
    deviceId: 'dev-1',
    employeeId: 'emp-1',
    teamId: null,
    serverUrl: 'https://sync.example.test',
    signPublicKey: toBase64(kp.publicKey),
    orgKeyFingerprint: 'abcd',
    enrolledAt: 1_764_000_000_000,
  };
  // exactly what `sealtime-agent enroll` writes: the keystore and its random key file
  await saveDeviceKeystore(
    paths.keystore,
    info,
    { signSecretKey: kp.privateKey, deviceCredential: CREDENTIAL },
    keystoreWrapper(paths),
  );
  return { s, paths, secretKey: kp.privateKey };
}

describe('sealed key vault', () => {
  it('keeps keys encrypted in 0600 files and reads them back', async () => {
    const s = await initSodium();
    const t = tempDir('st-vault-');
    cleanups.push(t.cleanup);
    const vault = new SealedKeyVault(join(t.dir, 'keys'), osCipher(s));
    const key = s.randombytes_buf(32);
    await vault.save('k1', key);
    const file = join(t.dir, 'keys', 'k1.sealed');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.dir, 'keys')).mode & 0o777).toBe(0o700);
    const raw = readFileSync(file);
    expect(raw.includes(Buffer.from(key))).toBe(false);
    expect(raw.toString('latin1').includes(Buffer.from(key).toString('base64'))).toBe(false);
    expect(await vault.load('k1')).toEqual(key);
    expect(await vault.load('missing')).toBeUndefined();
    await expect(vault.save('../escape', key)).rejects.toThrow(/short id/);
    // another user's store (another cipher key) cannot open it
    await expect(new SealedKeyVault(join(t.dir, 'keys'), osCipher(s)).load('k1')).rejects.toThrow(/does not decrypt/);
    writeFileSync(file, 'garbage');
    await expect(vault.load('k1')).rejects.toThrow(/does not decrypt/);
  });

  it('refuses, never writes plaintext, when the OS store cannot protect the key', async () => {
    const s = await initSodium();
    const t = tempDir('st-vault-');
    cleanups.push(t.cleanup);
    const reason = safeStorageRefusal({ available: true, platform: 'linux', backend: 'basic_text' });
    const vault = new SealedKeyVault(
      t.dir,
      osCipher(s, () => reason),
    );
    await expect(vault.save('k1', s.randombytes_buf(32))).rejects.toBeInstanceOf(VaultUnavailableError);
    await expect(vault.save('k1', s.randombytes_buf(32))).rejects.toThrow(/basic_text.*not stored unprotected/);
    expect(readdirSync(t.dir)).toEqual([]);
  });

  it('decides when safeStorage is usable', () => {
    expect(safeStorageRefusal({ available: false, platform: 'darwin' })).toMatch(/not available/);
    expect(safeStorageRefusal({ available: true, platform: 'linux', backend: 'basic_text' })).toMatch(/basic_text/);
    expect(safeStorageRefusal({ available: true, platform: 'linux', backend: 'unknown' })).toMatch(/unknown/);
    expect(safeStorageRefusal({ available: true, platform: 'linux', backend: 'gnome_libsecret' })).toBeNull();
    expect(safeStorageRefusal({ available: true, platform: 'win32' })).toBeNull();
  });
});

describe('keystore custody', () => {
  it('adopts a CLI-enrolled keystore: only the OS key store can open it afterwards', async () => {
    const { s, paths, secretKey } = await enrolledByCli();
    const vault = new SealedKeyVault(paths.keysDir, osCipher(s));
    const keyFile = join(paths.keysDir, `${KEY_LABEL}.key`);
    expect(existsSync(keyFile)).toBe(true);
    const c = await takeCustody(paths, vault, FAST);
    expect(c.state === 'ready' && c.adopted).toBe(true);
    expect(existsSync(keyFile)).toBe(false);
    await expect(unlockDeviceKeystore(paths.keystore, keystoreWrapper(paths))).rejects.toMatchObject({
      code: 'wrong-wrapper',
    });
    const passphrase = c.state === 'ready' ? c.passphrase : '';
    const unlocked = await unlockDeviceKeystore(paths.keystore, new PassphraseWrapper(passphrase, FAST));
    expect(unlocked.deviceCredential).toBe(CREDENTIAL);
    expect(unlocked.identity.signSecretKey).toEqual(secretKey);
    // the passphrase itself is on disk only sealed
    const sealed = readFileSync(join(paths.keysDir, `${PASSPHRASE_LABEL}.sealed`)).toString('latin1');
    expect(sealed.includes(passphrase)).toBe(false);
    // second start: same passphrase, nothing to adopt
    const again = await takeCustody(paths, vault, FAST);
    expect(again).toEqual({ state: 'ready', passphrase, adopted: false });
  });

  it('finishes an adoption a crash interrupted (passphrase sealed, keystore not yet rewritten)', async () => {
    const { s, paths } = await enrolledByCli();
    const vault = new SealedKeyVault(paths.keysDir, osCipher(s));
    await vault.save(PASSPHRASE_LABEL, s.randombytes_buf(32));
    const c = await takeCustody(paths, vault, FAST);
    expect(c.state === 'ready' && c.adopted).toBe(true);
    expect(
      (await unlockDeviceKeystore(paths.keystore, new PassphraseWrapper(c.state === 'ready' ? c.passphrase : '', FAST)))
        .deviceCredential,
    ).toBe(CREDENTIAL);
  });

  it('reports not-enrolled, and fails loudly when the OS store is unusable', async () => {
    const s = await initSodium();
    const t = tempDir('st-custody-');
    cleanups.push(t.cleanup);
    const paths = agentPaths(t.dir);
    expect(await enrolled(paths)).toBe(false);
    expect(await takeCustody(paths, new SealedKeyVault(paths.keysDir, osCipher(s)))).toEqual({ state: 'not-enrolled' });
    const cli = await enrolledByCli();
    const refusing = new SealedKeyVault(
      cli.paths.keysDir,
      osCipher(s, () => 'the operating system key store is not available'),
    );
    await expect(takeCustody(cli.paths, refusing, FAST)).rejects.toBeInstanceOf(VaultUnavailableError);
    // nothing changed: the CLI can still run the agent
    expect((await unlockDeviceKeystore(cli.paths.keystore, keystoreWrapper(cli.paths))).deviceCredential).toBe(
      CREDENTIAL,
    );
  });
});

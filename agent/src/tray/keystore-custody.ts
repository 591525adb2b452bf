/**
 * Puts the device keystore in the OS key store's custody, with today's
 * startAgent (which takes a passphrase, not a wrapper):
 *
 *   enrolled by the CLI ──► keys/device-keystore.key (random key file)
 *        │ adopt (once)
 *        ▼
 *   keystore re-encrypted under a random 32-byte passphrase (Argon2id) ──► passphrase
 *   sealed by the OS key store (keys/tray-keystore-passphrase.sealed) ──► key file deleted
 *
 * After that, the signing key and the device credential open only with a
 * secret the OS key store releases to this user. Order matters for crashes:
 * the sealed passphrase is saved before the keystore is rewritten, and the
 * key file goes last, so every crash point leaves a keystore that opens.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { initSodium, toBase64 } from '@sealtime/shared';
import { KEY_LABEL, type AgentPaths } from '../enroll/data-dir.js';
import { readDevicePublicInfo, saveDeviceKeystore, unlockDeviceKeystore } from '../keystore/device-keystore.js';
import { FileKeyVault } from '../keystore/file-key-vault.js';
import { KeystoreError } from '../keystore/keystore-errors.js';
import { PassphraseWrapper, VaultWrapper, type KeyVault } from '../keystore/secret-wrapper.js';

export const PASSPHRASE_LABEL = 'tray-keystore-passphrase';

export type Custody = { state: 'not-enrolled' } | { state: 'ready'; passphrase: string; adopted: boolean };

export interface CustodyOptions {
  /** Argon2 cost for the re-encrypted keystore (tests lower it to the floor). */
  opsLimit?: number;
  memLimitBytes?: number;
}

const asPassphrase = (key: Uint8Array): string => toBase64(key);

export async function enrolled(paths: AgentPaths): Promise<boolean> {
  try {
    await readDevicePublicInfo(paths.keystore);
    return true;
  } catch (err) {
    if (err instanceof KeystoreError && err.code === 'not-found') return false;
    throw err;
  }
}

/** The passphrase startAgent needs, adopting a CLI-enrolled keystore first if needed. Throws KeystoreError / vault errors. */
export async function takeCustody(paths: AgentPaths, vault: KeyVault, options: CustodyOptions = {}): Promise<Custody> {
  if (!(await enrolled(paths))) return { state: 'not-enrolled' };
  const wrapOpts = {
    ...(options.opsLimit ? { opsLimit: options.opsLimit } : {}),
    ...(options.memLimitBytes ? { memLimitBytes: options.memLimitBytes } : {}),
  };
  const sealed = await vault.load(PASSPHRASE_LABEL);
  if (sealed) {
    const passphrase = asPassphrase(sealed);
    try {
      // the usual case: already ours
      await unlockDeviceKeystore(paths.keystore, new PassphraseWrapper(passphrase, wrapOpts));
      await removeKeyFile(paths);
      return { state: 'ready', passphrase, adopted: false };
    } catch (err) {
      // a crash between saving the passphrase and rewriting the keystore: the key file still opens it
      if (!(err instanceof KeystoreError && err.code === 'wrong-wrapper')) throw err;
      return { state: 'ready', passphrase: await adopt(paths, passphrase, wrapOpts), adopted: true };
    }
  }
  const s = await initSodium();
  const key = s.randombytes_buf(32);
  await vault.save(PASSPHRASE_LABEL, key);
  return { state: 'ready', passphrase: await adopt(paths, asPassphrase(key), wrapOpts), adopted: true };
}

async function adopt(paths: AgentPaths, passphrase: string, wrapOpts: CustodyOptions): Promise<string> {
  const fileVault = new VaultWrapper(new FileKeyVault(paths.keysDir), KEY_LABEL);
  const unlocked = await unlockDeviceKeystore(paths.keystore, fileVault);
  await saveDeviceKeystore(
    paths.keystore,
    unlocked.info,
    { signSecretKey: unlocked.identity.signSecretKey, deviceCredential: unlocked.deviceCredential },
    new PassphraseWrapper(passphrase, wrapOpts),
  );
  unlocked.identity.signSecretKey.fill(0);
  await removeKeyFile(paths);
  return passphrase;
}

async function removeKeyFile(paths: AgentPaths): Promise<void> {
  await unlink(join(paths.keysDir, `${KEY_LABEL}.key`)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw new KeystoreError('io', `cannot remove the old key file: ${err.code ?? 'error'}`);
  });
}

/**
 * A KeyVault whose keys are encrypted by the operating system's secret store
 * (Electron's safeStorage: Keychain, DPAPI, libsecret/kwallet) and kept as
 * small 0600 files in a 0700 directory. Electron is reached only through
 * `OsCipher`, which electron/safe-storage-vault.ts implements; the file
 * handling and the refusal rules live here, testable without Electron.
 *
 * Never plaintext: if the OS store is unavailable, or on Linux falls back to
 * Chromium's hard-coded "basic_text" password (obfuscation, not protection),
 * save and load refuse with a clear error instead of writing a readable key.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writePrivateFile } from '../keystore/private-file.js';
import type { KeyVault } from '../keystore/secret-wrapper.js';

export interface OsCipher {
  /** Why the OS store cannot protect a key right now, or null when it can. */
  unavailableReason(): string | null;
  encrypt(plainText: string): Uint8Array;
  decrypt(cipherText: Uint8Array): string;
}

export class VaultUnavailableError extends Error {
  readonly code = 'vault-unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'VaultUnavailableError';
  }
}

export class VaultFileError extends Error {
  constructor(
    readonly code: 'invalid' | 'corrupt' | 'insecure-permissions' | 'io',
    message: string,
  ) {
    super(message);
    this.name = 'VaultFileError';
  }
}

/** What safeStorage reports, turned into a refusal reason (pure; the rule is tested). */
export function safeStorageRefusal(info: { available: boolean; platform: string; backend?: string }): string | null {
  if (!info.available)
    return 'the operating system key store is not available (on Linux: no Secret Service or KWallet is running); the device keys are not stored unprotected';
  if (info.platform === 'linux' && (info.backend === 'basic_text' || info.backend === 'unknown')) {
    return `the operating system key store is not usable (backend '${info.backend}'): start a Secret Service (GNOME Keyring) or KWallet; the device keys are not stored unprotected`;
  }
  return null;
}

const LABEL = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_FILE = 16 * 1024;

export class SealedKeyVault implements KeyVault {
  constructor(
    private readonly dir: string,
    private readonly cipher: OsCipher,
    readonly name = 'os-key-store',
  ) {}

  private pathOf(label: string): string {
    if (!LABEL.test(label)) throw new VaultFileError('invalid', `key label '${label}' is not a short id`);
    return join(this.dir, `${label}.sealed`);
  }

  private usable(): void {
    const why = this.cipher.unavailableReason();
    if (why) throw new VaultUnavailableError(why);
  }

  async save(label: string, key: Uint8Array): Promise<void> {
    const path = this.pathOf(label);
    this.usable();
    if (key.length !== 32) throw new VaultFileError('invalid', 'vault keys are 32 bytes');
    const sealed = this.cipher.encrypt(Buffer.from(key).toString('base64'));
    if (sealed.length === 0) throw new VaultUnavailableError('the operating system key store returned nothing');
    // atomic: a crash leaves the old key or the new one (the keystore names exactly one)
    try {
      await writePrivateFile(path, sealed);
    } catch (err) {
      throw new VaultFileError('io', `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }

  async load(label: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(label);
    let st;
    try {
      st = await stat(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new VaultFileError('io', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    if (typeof process.getuid === 'function' && st.uid !== process.getuid())
      throw new VaultFileError('insecure-permissions', `${path} belongs to another user`);
    if (st.size === 0 || st.size > MAX_FILE) throw new VaultFileError('corrupt', `${path} is not a sealed key`);
    this.usable();
    let text: string;
    try {
      text = this.cipher.decrypt(new Uint8Array(await readFile(path)));
    } catch {
      // another user's or machine's store, or an altered file: the key is gone for this session
      throw new VaultFileError('corrupt', `${path} does not decrypt with this user's operating system key store`);
    }
    const key = Buffer.from(text, 'base64');
    if (key.length !== 32 || key.toString('base64') !== text)
      throw new VaultFileError('corrupt', `${path} does not hold a 32-byte key`);
    return new Uint8Array(key);
  }
}

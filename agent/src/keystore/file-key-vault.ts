/**
 * A KeyVault for the headless CLI: each key is a random 32-byte file, 0600 in
 * a 0700 directory, beside (not inside) the keystore. `run` then unlocks the
 * keystore unattended. It protects against the keystore file alone being
 * copied (backups, support bundles); the user account itself is the boundary,
 * as for an SSH key without a passphrase. PassphraseWrapper stays the choice
 * where someone can type at start.
 */
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KeystoreError } from './keystore-errors.js';
import { writePrivateFile } from './private-file.js';
import type { KeyVault } from './secret-wrapper.js';

const LABEL = /^[a-z0-9][a-z0-9-]{0,63}$/;

export class FileKeyVault implements KeyVault {
  readonly name = 'key-file';

  constructor(private readonly dir: string) {}

  private pathOf(label: string): string {
    if (!LABEL.test(label)) throw new KeystoreError('invalid', `key label '${label}' is not a short id`);
    return join(this.dir, `${label}.key`);
  }

  async save(label: string, key: Uint8Array): Promise<void> {
    const path = this.pathOf(label);
    try {
      await writePrivateFile(path, key);
    } catch (err) {
      throw new KeystoreError('io', `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }

  async load(label: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(label);
    let st;
    try {
      st = await stat(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new KeystoreError('io', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    if (typeof process.getuid === 'function' && st.uid !== process.getuid())
      throw new KeystoreError('insecure-permissions', `${path} belongs to another user`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      await chmod(path, 0o600).catch(() => {
        throw new KeystoreError('insecure-permissions', `${path} is readable by other users and cannot be restricted`);
      });
    }
    if (st.size !== 32) throw new KeystoreError('corrupt', `${path} is not a 32-byte key file`);
    return new Uint8Array(await readFile(path));
  }
}

/**
 * The server's own secret key, for what st-system must hold but the storage
 * engine must not be able to read: TOTP shared secrets (sealed with
 * AES-256-GCM, the account id bound in as associated data so a sealed secret
 * cannot be copied onto another account) and recovery codes (HMAC-SHA256,
 * keyed, so a copy of the database alone cannot be brute-forced).
 *
 * The key is 32 random bytes in <dataDir>/server-secret.key (mode 0600),
 * beside the gateway, not in the engine's databases: someone who reads the
 * engine's files or CouchDB gets ciphertext only. With the embedded engine
 * the key shares the data directory, so a copy of the whole directory is
 * not protected by it; keep that directory's backups as secret as the key.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuthError } from './auth-errors.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^v1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;

export class ServerSecret {
  private constructor(private readonly key: Buffer) {}

  static fromBytes(key: Uint8Array): ServerSecret {
    if (key.length !== KEY_BYTES) throw new RangeError(`a server secret is ${KEY_BYTES} bytes`);
    return new ServerSecret(Buffer.from(key));
  }

  static random(): ServerSecret {
    return new ServerSecret(randomBytes(KEY_BYTES));
  }

  /** Reads the key file, or creates it (0600) on first start. */
  static async loadOrCreate(file: string): Promise<ServerSecret> {
    try {
      const text = (await readFile(file, 'utf8')).trim();
      const key = Buffer.from(text, 'base64url');
      if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte key`);
      return new ServerSecret(key);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await mkdir(dirname(file), { recursive: true });
    const key = randomBytes(KEY_BYTES);
    // 'wx': two processes starting at once must not overwrite each other's key
    try {
      await writeFile(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return ServerSecret.loadOrCreate(file);
      throw e;
    }
    return new ServerSecret(key);
  }

  /** Seals `plain` for the record of `context` (e.g. `user:ada`). */
  seal(plain: Uint8Array, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** Opens what `seal` made for the same context; a wrong key, context or a tampered value is a typed error. */
  open(sealed: string, context: string): Buffer {
    const m = SEALED.exec(sealed);
    const body = m ? Buffer.from(m[2]!, 'base64url') : null;
    if (!m || !body || body.length <= TAG_BYTES)
      throw new AuthError('store-unavailable', 'a sealed secret in st-system is malformed');
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(m[1]!, 'base64url'));
      d.setAAD(Buffer.from(context, 'utf8'));
      d.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([d.update(body.subarray(0, body.length - TAG_BYTES)), d.final()]);
    } catch {
      throw new AuthError(
        'store-unavailable',
        "a sealed secret in st-system cannot be opened with this server's key (server-secret.key replaced?)",
      );
    }
  }

  /** Keyed hash (hex) for values kept only to be compared, like recovery codes. */
  mac(value: string, context: string): string {
    return createHmac('sha256', this.key).update(context).update('\u0000').update(value).digest('hex');
  }
}

/**
 * The device's signing key and server credential, kept in one file readable
 * only by the user (0600, in a 0700 directory). The secrets are encrypted
 * with XChaCha20-Poly1305 under a key from a SecretWrapper; the public part
 * (ids, server, public key) stays readable for `status` and is authenticated
 * as additional data, so it cannot be swapped under the secrets.
 *
 * Writes are atomic (temp file, fsync, rename, fsync of the directory): a
 * crash leaves the old file or the new one, never half of one.
 */
import { chmod, readFile, stat } from 'node:fs/promises';
import { canonicalJson, fromBase64, fromUtf8, initSodium, toBase64, utf8, type DeviceIdentity } from '@sealtime/shared';
import { KeystoreError } from './keystore-errors.js';
import { writePrivateFile } from './private-file.js';
import type { SecretWrapper, WrapInfo } from './secret-wrapper.js';

const FORMAT = 'sealtime-device-keystore';
const VERSION = 1;
const MAX_FILE_BYTES = 64 * 1024;

export interface DevicePublicInfo {
  deviceId: string;
  employeeId: string;
  teamId: string | null;
  /** The sync-server's base URL (no credentials in it). */
  serverUrl: string;
  /** base64url Ed25519 public key */
  signPublicKey: string;
  /** fingerprint of the organisation key the enrollment code named */
  orgKeyFingerprint: string;
  enrolledAt: number;
}

export interface DeviceSecrets {
  signSecretKey: Uint8Array;
  deviceCredential: string;
}

export interface UnlockedDevice {
  info: DevicePublicInfo;
  identity: DeviceIdentity;
  deviceCredential: string;
}

interface KeystoreFile {
  format: typeof FORMAT;
  v: typeof VERSION;
  public: DevicePublicInfo;
  wrap: WrapInfo;
  nonce: string;
  ciphertext: string;
}

export const DEFAULT_KEYSTORE_FILE = 'device-keystore.json';

function checkInfo(info: DevicePublicInfo): void {
  const str = (k: keyof DevicePublicInfo) => {
    if (typeof info[k] !== 'string' || (info[k] as string).length === 0 || (info[k] as string).length > 2048)
      throw new KeystoreError('invalid', `${k} must be a non-empty string`);
  };
  for (const k of ['deviceId', 'employeeId', 'serverUrl', 'signPublicKey', 'orgKeyFingerprint'] as const) str(k);
  if (info.teamId !== null && typeof info.teamId !== 'string')
    throw new KeystoreError('invalid', 'teamId must be a string or null');
  if (!Number.isSafeInteger(info.enrolledAt) || info.enrolledAt < 0)
    throw new KeystoreError('invalid', 'enrolledAt must be epoch ms');
  let url: URL;
  try {
    url = new URL(info.serverUrl);
  } catch {
    throw new KeystoreError('invalid', 'serverUrl is not a URL');
  }
  if (url.username || url.password) throw new KeystoreError('invalid', 'serverUrl must not carry credentials');
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new KeystoreError('invalid', 'serverUrl must be http(s)');
}

const aadOf = (file: Pick<KeystoreFile, 'format' | 'v' | 'public' | 'wrap'>): Uint8Array => {
  const json = canonicalJson({ format: file.format, v: file.v, public: file.public, wrap: file.wrap });
  if (!json.ok) throw new KeystoreError('invalid', `keystore header: ${json.error.message}`);
  return utf8(json.value);
};

export async function saveDeviceKeystore(
  path: string,
  info: DevicePublicInfo,
  secrets: DeviceSecrets,
  wrapper: SecretWrapper,
): Promise<void> {
  const s = await initSodium();
  checkInfo(info);
  if (!(secrets.signSecretKey instanceof Uint8Array) || secrets.signSecretKey.length !== 64)
    throw new KeystoreError('invalid', 'the signing secret key is 64 bytes');
  const pk = fromBase64(info.signPublicKey, 32);
  if (
    !pk.ok ||
    pk.value.length !== 32 ||
    toBase64(s.crypto_sign_ed25519_sk_to_pk(secrets.signSecretKey)) !== info.signPublicKey
  ) {
    throw new KeystoreError('invalid', 'signPublicKey does not belong to the signing secret key');
  }
  if (typeof secrets.deviceCredential !== 'string' || secrets.deviceCredential.length === 0)
    throw new KeystoreError('invalid', 'the device credential is missing');

  const { info: wrap, key } = await wrapper.createKey();
  const header = { format: FORMAT, v: VERSION, public: info, wrap } as const;
  const plain = utf8(
    JSON.stringify({ signSecretKey: toBase64(secrets.signSecretKey), deviceCredential: secrets.deviceCredential }),
  );
  const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, aadOf(header), null, nonce, key);
  s.memzero(plain);
  s.memzero(key);
  const file: KeystoreFile = { ...header, nonce: toBase64(nonce), ciphertext: toBase64(ciphertext) };
  await writeKeystoreFile(path, JSON.stringify(file, null, 2) + '\n');
}

/** Reads the public part only: no key, no passphrase. */
export async function readDevicePublicInfo(path: string): Promise<DevicePublicInfo> {
  return (await readKeystoreFile(path)).public;
}

export async function unlockDeviceKeystore(path: string, wrapper: SecretWrapper): Promise<UnlockedDevice> {
  const s = await initSodium();
  const file = await readKeystoreFile(path);
  const key = await wrapper.recoverKey(file.wrap);
  const nonce = fromBase64(file.nonce, 64);
  const ct = fromBase64(file.ciphertext, MAX_FILE_BYTES);
  if (!nonce.ok || !ct.ok || nonce.value.length !== s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    throw new KeystoreError('corrupt', `${path}: nonce or ciphertext is not valid base64url`);
  let plain: Uint8Array;
  try {
    plain = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct.value, aadOf(file), nonce.value, key);
  } catch {
    throw new KeystoreError(
      file.wrap.kind === 'passphrase' ? 'wrong-passphrase' : 'corrupt',
      file.wrap.kind === 'passphrase'
        ? 'wrong passphrase (or the keystore file was altered)'
        : `${path} does not decrypt with the vault's key (altered or replaced)`,
    );
  } finally {
    s.memzero(key);
  }
  const text = fromUtf8(plain);
  s.memzero(plain);
  let secret: { signSecretKey?: unknown; deviceCredential?: unknown };
  try {
    secret = JSON.parse(text ?? '') as typeof secret;
  } catch {
    throw new KeystoreError('corrupt', `${path}: the decrypted secrets are not JSON`);
  }
  const sk = fromBase64(secret.signSecretKey, 64);
  if (!sk.ok || sk.value.length !== 64 || typeof secret.deviceCredential !== 'string')
    throw new KeystoreError('corrupt', `${path}: the decrypted secrets are incomplete`);
  const pk = s.crypto_sign_ed25519_sk_to_pk(sk.value);
  if (toBase64(pk) !== file.public.signPublicKey)
    throw new KeystoreError('corrupt', `${path}: the signing key does not match its public key`);
  return {
    info: file.public,
    identity: {
      deviceId: file.public.deviceId,
      employeeId: file.public.employeeId,
      signPublicKey: pk,
      signSecretKey: sk.value,
    },
    deviceCredential: secret.deviceCredential,
  };
}

async function readKeystoreFile(path: string): Promise<KeystoreFile> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new KeystoreError('not-found', `no device keystore at ${path}: enroll first`);
    throw new KeystoreError('io', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!st.isFile()) throw new KeystoreError('invalid', `${path} is not a file`);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    throw new KeystoreError('insecure-permissions', `${path} belongs to another user`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    // readable by others: close the hole before using the file (the secrets are still encrypted)
    await chmod(path, 0o600).catch(() => {
      throw new KeystoreError('insecure-permissions', `${path} is readable by other users and cannot be restricted`);
    });
  }
  if (st.size > MAX_FILE_BYTES) throw new KeystoreError('corrupt', `${path} is too large to be a keystore`);
  let parsed: Partial<KeystoreFile>;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<KeystoreFile>;
  } catch {
    throw new KeystoreError('corrupt', `${path} is not JSON`);
  }
  if (parsed.format !== FORMAT) throw new KeystoreError('corrupt', `${path} is not a Sealtime device keystore`);
  if (parsed.v !== VERSION)
    throw new KeystoreError(
      'unsupported',
      `${path} has keystore version ${String(parsed.v)}; this agent reads version ${VERSION}`,
    );
  if (!parsed.public || typeof parsed.public !== 'object' || !parsed.wrap || typeof parsed.wrap.kind !== 'string')
    throw new KeystoreError('corrupt', `${path} lacks its header`);
  try {
    checkInfo(parsed.public);
  } catch (err) {
    throw new KeystoreError('corrupt', `${path}: ${(err as Error).message}`);
  }
  if (typeof parsed.nonce !== 'string' || typeof parsed.ciphertext !== 'string')
    throw new KeystoreError('corrupt', `${path} lacks its ciphertext`);
  return parsed as KeystoreFile;
}

/** The keystore file, written atomically and private (see private-file.ts). */
async function writeKeystoreFile(path: string, content: string): Promise<void> {
  try {
    await writePrivateFile(path, content);
  } catch (err) {
    throw new KeystoreError('io', `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

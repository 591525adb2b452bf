/**
 * A self-signed certificate for a first run, made with the `openssl` CLI and
 * kept in the data directory so its fingerprint stays the same across
 * restarts (agents can pin it). The key file is readable by its owner only.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TlsError } from './tls-errors.js';

const run = promisify(execFile);

export interface CertificatePair {
  cert: Buffer;
  key: Buffer;
  /** SHA-256 fingerprint, colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint: string;
}

export interface SelfSignedOptions {
  /** Directory for cert.pem and key.pem (created if missing). */
  dir: string;
  /** Host names and IP addresses the certificate is valid for. */
  hosts?: readonly string[];
  days?: number;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export function subjectAltNames(hosts: readonly string[]): string {
  const all = new Set(['localhost', '127.0.0.1', '::1', ...hosts]);
  return [...all].map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
}

export async function loadCertificate(certPath: string, keyPath: string): Promise<CertificatePair> {
  let cert: Buffer;
  let key: Buffer;
  try {
    [cert, key] = await Promise.all([readFile(certPath), readFile(keyPath)]);
  } catch (e) {
    throw new TlsError('unreadable', `cannot read the TLS certificate or key: ${(e as Error).message}`);
  }
  try {
    return { cert, key, fingerprint: new X509Certificate(cert).fingerprint256 };
  } catch {
    throw new TlsError('invalid', `${certPath} is not a PEM certificate`);
  }
}

/** Returns the stored self-signed pair, generating it on first use. */
export async function ensureSelfSignedCertificate(opts: SelfSignedOptions): Promise<CertificatePair> {
  const certPath = join(opts.dir, 'cert.pem');
  const keyPath = join(opts.dir, 'key.pem');
  if ((await exists(certPath)) && (await exists(keyPath))) return loadCertificate(certPath, keyPath);

  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    String(opts.days ?? 825),
    '-subj',
    '/CN=sealtime-server',
    '-addext',
    `subjectAltName=${subjectAltNames(opts.hosts ?? [])}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ];
  try {
    await run('openssl', args, { timeout: 30_000 });
    await chmod(keyPath, 0o600);
  } catch (e) {
    await Promise.all([rm(certPath, { force: true }), rm(keyPath, { force: true })]);
    throw new TlsError(
      'generation-failed',
      `openssl could not create a self-signed certificate: ${(e as Error).message}`,
    );
  }
  return loadCertificate(certPath, keyPath);
}

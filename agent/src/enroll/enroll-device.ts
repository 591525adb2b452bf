/**
 * Enrollment: the one-time code an admin gave the employee is traded for a
 * device id and credential, and the device's signing key is born here.
 *
 *   1. parse the code the person typed (its fingerprint is the trust anchor)
 *   2. generate the Ed25519 device signing key
 *   3. POST {code, signPublicKey, name, platform} to <server>/_sealtime/api/enroll
 *   4. refuse unless the server's orgKeyFingerprint equals the code's
 *   5. write the keystore (0600 in 0700), and the CA if one was given
 *
 * Failures are EnrollError with a stable code; messages never hold the code's
 * secret, the credential or a key.
 */
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { generateDeviceSigningKey, initSodium, sameFingerprint, toBase64 } from '@sealtime/shared';
import { readDevicePublicInfo, saveDeviceKeystore, type DevicePublicInfo } from '../keystore/device-keystore.js';
import type { SecretWrapper } from '../keystore/secret-wrapper.js';
import { classifyFetchError, serverFetch } from '../sync/server-fetch.js';
import type { AgentPaths } from './data-dir.js';
import { ensureDataDir, keystoreWrapper } from './data-dir.js';
import { parseEnrollmentCode } from './enrollment-code.js';
import { writePrivateFile } from '../keystore/private-file.js';

export type EnrollErrorCode =
  | 'bad-input' // the URL, code or CA file given is unusable (exit 2)
  | 'already-enrolled'
  | 'unreachable'
  | 'tls'
  | 'refused' // the server said no (4xx): used, expired, unknown code, rate limited
  | 'server-error'
  | 'fingerprint-mismatch'
  | 'io';

export class EnrollError extends Error {
  constructor(
    readonly code: EnrollErrorCode,
    message: string,
    readonly status?: number,
    readonly serverError?: string,
  ) {
    super(message);
    this.name = 'EnrollError';
  }
}

export interface EnrollOptions {
  paths: AgentPaths;
  serverUrl: string;
  code: string;
  name?: string;
  /** PEM file of the CA that signed a self-signed server's certificate. */
  caFile?: string;
  /** Protect the keystore with a passphrase instead of the key file. */
  passphrase?: string;
  wrapper?: SecretWrapper;
  /** Replace an existing keystore (re-enrollment). */
  force?: boolean;
  timeoutMs?: number;
}

export interface EnrollResult {
  deviceId: string;
  employeeId: string;
  teamId: string | null;
  orgKeyFingerprint: string;
  serverUrl: string;
}

function normaliseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EnrollError('bad-input', `'${raw}' is not a URL (expected e.g. https://sync.example.org:8443)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new EnrollError('bad-input', 'the server URL must start with https:// (or http:// on loopback)');
  if (url.username || url.password)
    throw new EnrollError('bad-input', 'the server URL must not carry a user name or password');
  if (url.search || url.hash) throw new EnrollError('bad-input', 'the server URL must not have a query or fragment');
  return url.href.replace(/\/+$/, '');
}

async function readCa(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new EnrollError(
      'bad-input',
      `cannot read the CA file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new EnrollError('bad-input', `${file} is not a PEM certificate`);
  return text;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export async function enrollDevice(options: EnrollOptions): Promise<EnrollResult> {
  const serverUrl = normaliseServerUrl(options.serverUrl);
  const parsed = parseEnrollmentCode(options.code);
  if (!parsed.ok) throw new EnrollError('bad-input', parsed.reason);
  const ca = options.caFile ? await readCa(options.caFile) : undefined;
  const { paths } = options;
  if (!options.force) {
    const existing = await stat(paths.keystore).then(
      () => true,
      () => false,
    );
    if (existing) {
      const info = await readDevicePublicInfo(paths.keystore).catch(() => null);
      throw new EnrollError(
        'already-enrolled',
        `this data directory is already enrolled${info ? ` as ${info.deviceId} (employee ${info.employeeId})` : ''}; use another --data-dir or --force`,
      );
    }
  }

  await initSodium();
  const key = generateDeviceSigningKey();
  const signPublicKey = toBase64(key.signPublicKey);
  const body = JSON.stringify({
    code: parsed.value.code,
    signPublicKey,
    name: options.name ?? hostname(),
    platform: process.platform,
  });

  let res: Response;
  try {
    res = await serverFetch(ca)(`${serverUrl}/_sealtime/api/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const f = classifyFetchError(err);
    if (f.kind === 'tls') {
      throw new EnrollError(
        'tls',
        `the TLS connection to ${serverUrl} failed (${f.code})${ca ? ': the server certificate is not signed by the given CA, or does not name this host' : '; for a self-signed server pass its CA with --ca-file'}`,
      );
    }
    throw new EnrollError('unreachable', `cannot reach ${serverUrl} (${f.code}); check the URL and the network`);
  }
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const reason = isObject(json) && typeof json.reason === 'string' ? json.reason : `HTTP ${res.status}`;
    const code = isObject(json) && typeof json.error === 'string' ? json.error : undefined;
    if (res.status >= 400 && res.status < 500)
      throw new EnrollError('refused', `the server refused the enrollment: ${reason}`, res.status, code);
    throw new EnrollError('server-error', `the server failed (${res.status}): ${reason}`, res.status, code);
  }
  if (
    !isObject(json) ||
    typeof json.deviceId !== 'string' ||
    typeof json.deviceCredential !== 'string' ||
    typeof json.employeeId !== 'string' ||
    typeof json.orgKeyFingerprint !== 'string'
  ) {
    throw new EnrollError(
      'server-error',
      `${serverUrl} answered the enrollment without a device identity (is it a Sealtime server?)`,
    );
  }
  // The trust anchor: the fingerprint a person carried to this device, not what the server says.
  if (!sameFingerprint(json.orgKeyFingerprint, parsed.value.orgKeyFingerprint)) {
    throw new EnrollError(
      'fingerprint-mismatch',
      "the server names another organisation key than the enrollment code: the code was mistyped, or this is not your organisation's server. Nothing was saved; ask an admin.",
    );
  }
  const teamId = typeof json.teamId === 'string' ? json.teamId : null;
  const info: DevicePublicInfo = {
    deviceId: json.deviceId,
    employeeId: json.employeeId,
    teamId,
    serverUrl,
    signPublicKey,
    orgKeyFingerprint: parsed.value.orgKeyFingerprint,
    enrolledAt: Date.now(),
  };
  await ensureDataDir(paths);
  try {
    if (ca) await writePrivateFile(paths.serverCa, ca);
    await saveDeviceKeystore(
      paths.keystore,
      info,
      { signSecretKey: key.signSecretKey, deviceCredential: json.deviceCredential },
      options.wrapper ?? keystoreWrapper(paths, options.passphrase),
    );
  } catch (err) {
    if (err instanceof EnrollError) throw err;
    throw new EnrollError(
      'io',
      `the device was enrolled as ${info.deviceId} but the keystore could not be written: ${(err as Error).message}`,
    );
  } finally {
    key.signSecretKey.fill(0);
  }
  return {
    deviceId: info.deviceId,
    employeeId: info.employeeId,
    teamId,
    orgKeyFingerprint: info.orgKeyFingerprint,
    serverUrl,
  };
}

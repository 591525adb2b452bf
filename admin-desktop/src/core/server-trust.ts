/**
 * How the app trusts a server it was told to connect to, besides the
 * system's CAs: a CA file (the PEM a self-signed server prints), or a pin of
 * the server certificate's SHA-256 fingerprint. With a pin the chain is not
 * checked at all — the certificate must be exactly that one, so a pin works
 * for a self-signed certificate and fails on any other, trusted CA or not.
 *
 * One fetch for the whole session: the ServerClient and the replica's pull
 * both go through it, so the sync never trusts more than the sign-in did.
 */
import { readFile } from 'node:fs/promises';
import { rootCertificates, type TLSSocket } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { apiError } from './core-errors.js';

export interface ServerTrust {
  /** Path of a PEM CA file (read at each sign-in / unlock). */
  caFile?: string;
  /** SHA-256 certificate fingerprint, hex with or without colons. */
  certFingerprint?: string;
}

/** Raised inside the connection: ServerClient sees it as a TLS failure (its code starts with ERR_TLS). */
export class PinMismatchError extends Error {
  readonly code = 'ERR_TLS_CERT_PIN_MISMATCH';
  constructor(
    readonly seen: string,
    readonly pinned: string,
  ) {
    super(`the server's certificate fingerprint is ${seen}, not the pinned ${pinned}`);
    this.name = 'PinMismatchError';
  }
}

const HEX64 = /^[0-9A-F]{64}$/;

/** AB:CD:… or abcd…: 64 hex digits, colon-separated upper case as `openssl` and the server print it. */
export function normaliseFingerprint(raw: string): string {
  const hex = raw.replace(/[:\s]/g, '').toUpperCase();
  if (!HEX64.test(hex))
    throw apiError(
      'invalid-input',
      'a certificate fingerprint is 64 hex digits (SHA-256), e.g. AB:CD:…, as the server prints it at start',
    );
  return hex.match(/../g)!.join(':');
}

/** A fetch that trusts what `trust` says, or undefined for the platform's default. */
export async function trustedFetch(trust: ServerTrust): Promise<typeof fetch | undefined> {
  if (!trust.caFile && !trust.certFingerprint) return undefined;
  let connect: buildConnector.BuildOptions | buildConnector.connector;
  if (trust.certFingerprint) {
    const pin = normaliseFingerprint(trust.certFingerprint);
    // the pin replaces the chain and host name checks: only this certificate is accepted
    // no session resumption: a resumed session shows no peer certificate to compare
    const base = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 });
    connect = (opts, cb) =>
      base(opts, (err, socket) => {
        if (err) return cb(err, null);
        if (opts.protocol !== 'https:') return cb(null, socket!);
        const seen = (socket as TLSSocket).getPeerCertificate().fingerprint256 ?? '';
        if (seen !== pin) {
          socket!.destroy();
          return cb(new PinMismatchError(seen || 'unknown', pin), null);
        }
        cb(null, socket!);
      });
  } else {
    let pem: string;
    try {
      pem = await readFile(trust.caFile!, 'utf8');
    } catch (err) {
      throw apiError(
        'invalid-input',
        `cannot read the CA file ${trust.caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      throw apiError('invalid-input', `${trust.caFile} is not a PEM certificate`);
    connect = { ca: [...rootCertificates, pem] };
  }
  const dispatcher = new Agent({ connect });
  // undici's fetch is the one behind Node's global fetch; its declared types differ only nominally
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
}

export function trustOf(s: { caFile?: string; certFingerprint?: string }): ServerTrust {
  return {
    ...(s.caFile ? { caFile: s.caFile } : {}),
    ...(s.certFingerprint ? { certFingerprint: s.certFingerprint } : {}),
  };
}

/** A TLS failure at sign-in or unlock, in words that say what to give. */
export function untrusted(server: string, detail: string, trust: ServerTrust): ReturnType<typeof apiError> {
  const pin = /PIN_MISMATCH[^:]*: (.*)$/.exec(detail)?.[1];
  if (pin)
    return apiError(
      'tls-untrusted',
      `${pin}: this may not be your server. Check the fingerprint the server printed at start.`,
    );
  const tried = trust.caFile ? ` with the CA file ${trust.caFile}` : '';
  return apiError(
    'tls-untrusted',
    `the certificate of ${server} is not trusted${tried}: give the server's CA file (the cert.pem it printed) or pin its certificate fingerprint`,
  );
}

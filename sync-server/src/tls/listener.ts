/**
 * The public listener. Plain HTTP is allowed on a loopback address only
 * (development, or a TLS-terminating proxy on the same machine); any other
 * address needs TLS, unless the operator explicitly says `insecure`.
 * Timeouts bound slow senders; malformed HTTP gets a 400 and a closed socket.
 */
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { ensureSelfSignedCertificate, loadCertificate, type CertificatePair } from './self-signed.js';
import { TlsError } from './tls-errors.js';

export type TlsConfig =
  | { certFile: string; keyFile: string }
  | { cert: string | Buffer; key: string | Buffer }
  | { selfSigned: true; dir: string; hosts?: readonly string[] };

export interface ListenOptions {
  host: string;
  port: number;
  tls?: TlsConfig | null;
  /** Allow plain HTTP on a non-loopback address (behind a trusted proxy, or at one's own risk). */
  insecure?: boolean;
}

export interface Listener {
  readonly server: http.Server;
  readonly url: string;
  readonly port: number;
  readonly secure: boolean;
  /** SHA-256 fingerprint of the served certificate, when TLS. */
  readonly fingerprint: string | null;
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Throws TlsError('insecure-listen') when the transport policy forbids this combination. */
export function checkTransportPolicy(opts: Pick<ListenOptions, 'host' | 'tls' | 'insecure'>): void {
  if (opts.tls || opts.insecure || isLoopbackHost(opts.host)) return;
  throw new TlsError(
    'insecure-listen',
    `refusing to serve plain HTTP on ${opts.host}: give a certificate, use a self-signed one, or pass --insecure`,
  );
}

async function certificateFor(tls: TlsConfig): Promise<CertificatePair> {
  if ('selfSigned' in tls)
    return ensureSelfSignedCertificate({ dir: tls.dir, ...(tls.hosts ? { hosts: tls.hosts } : {}) });
  if ('certFile' in tls) return loadCertificate(tls.certFile, tls.keyFile);
  const cert = Buffer.from(tls.cert);
  let fingerprint: string;
  try {
    fingerprint = new X509Certificate(cert).fingerprint256;
  } catch {
    throw new TlsError('invalid', 'the given certificate is not PEM');
  }
  return { cert, key: Buffer.from(tls.key), fingerprint };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIP(host) === 6 ? `[${host}]` : host;
}

export async function listen(opts: ListenOptions, handler: http.RequestListener): Promise<Listener> {
  checkTransportPolicy(opts);
  let pair: CertificatePair | null = null;
  let server: http.Server;
  if (opts.tls) {
    pair = await certificateFor(opts.tls);
    try {
      server = https.createServer({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' }, handler);
    } catch (e) {
      throw new TlsError('invalid', `the certificate and key do not make a TLS context: ${(e as Error).message}`);
    }
  } else {
    server = http.createServer(handler);
  }
  server.headersTimeout = 30_000;
  server.requestTimeout = 300_000; // receiving a request; responses (longpolls) are bounded by the gateway
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end(
        'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"bad_request","reason":"malformed HTTP request"}',
      );
    socket.destroy();
  });
  if (pair) server.on('tlsClientError', () => undefined); // failed handshakes are the client's problem

  const port = await new Promise<number>((resolve, reject) => {
    const onError = (e: Error): void =>
      reject(new TlsError('listen-failed', `cannot listen on ${opts.host}:${opts.port}: ${e.message}`));
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const secure = pair !== null;
  return {
    server,
    port,
    secure,
    url: `${secure ? 'https' : 'http'}://${urlHost(opts.host)}:${port}`,
    fingerprint: pair?.fingerprint ?? null,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

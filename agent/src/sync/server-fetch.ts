/**
 * The fetch every request to the sync-server goes through. With a CA (a
 * self-signed server, `enroll --ca-file`) it is undici's fetch with a
 * dispatcher that trusts that CA in addition to the system roots — per
 * connection, so NODE_EXTRA_CA_CERTS (read only at process start) is not
 * needed. Without one it is the global fetch.
 */
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

export function serverFetch(caPem?: string): typeof fetch {
  if (!caPem) return fetch;
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, caPem] } });
  // undici's fetch is the implementation behind Node's global fetch; its
  // declared types differ only nominally (its own Request/Response classes)
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

export type NetworkFailure = { kind: 'tls' | 'unreachable' | 'timeout'; code: string };

/** What a failed fetch means, from the error codes in its cause chain. */
export function classifyFetchError(err: unknown): NetworkFailure {
  for (let e = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const name = (e as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', code: 'timeout' };
    if (typeof code === 'string') {
      if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT'))
        return { kind: 'tls', code };
      if (code !== 'UND_ERR_SOCKET' || depth > 0)
        return { kind: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'unreachable', code };
    }
  }
  return { kind: 'unreachable', code: 'network-error' };
}

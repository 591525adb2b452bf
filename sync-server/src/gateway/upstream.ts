/**
 * The gateway's side of the engine connection: requests carry the engine's
 * admin credential (never the client's), over a keep-alive pool sized for
 * many concurrent longpolls. Nothing from the client's headers is forwarded.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { GatewayError } from './gateway-errors.js';
import { basicAuthorization } from '../engine/url-credentials.js';

export interface UpstreamRequest {
  method: string;
  /** Path below the engine root, already encoded, e.g. `/st-emp-e1-records/_bulk_docs`. */
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  /**
   * The caller will not look at `body` again: an in-process engine may take
   * the object itself (no JSON round trip), so what it stores is exactly
   * the value the gateway checked. Left unset where the caller still reads
   * the documents afterwards (the audit's after-images).
   */
  handOver?: boolean;
  signal?: AbortSignal;
}

/**
 * What callers read of an engine answer: status, headers and the body as a
 * stream. An http.IncomingMessage is one; the in-process upstream
 * (in-process-upstream.ts) hands out a plain stream with the same fields.
 */
export interface UpstreamResponse extends Readable {
  statusCode?: number | undefined;
  headers: http.IncomingHttpHeaders;
  /**
   * The whole body, when the engine gave it in one piece before the answer
   * was handed over (an in-process engine's small answers). The stream
   * carries the same bytes; this only lets a relay skip streaming them.
   */
  whole?: Buffer;
}

export interface Upstream {
  request(req: UpstreamRequest): Promise<UpstreamResponse>;
  close(): void;
}

export function engineUnavailable(): GatewayError {
  return new GatewayError('bad_gateway', 'the storage engine is unavailable');
}

export function createUpstream(engineUrl: string): Upstream {
  const u = new URL(engineUrl);
  const authorization = basicAuthorization(u);
  const secure = u.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxFreeSockets: 256 })
    : new http.Agent({ keepAlive: true, maxFreeSockets: 256 });
  const prefix = u.pathname.replace(/\/+$/, '');
  const send = secure ? https.request : http.request;

  return {
    request({ method, path, query, body, signal }) {
      const qs = query && query.size > 0 ? `?${query.toString()}` : '';
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers: Record<string, string> = { accept: 'application/json' };
      if (authorization) headers.authorization = authorization;
      if (payload) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(payload.length);
      }
      return new Promise((resolve, reject) => {
        const req = send(
          {
            protocol: u.protocol,
            hostname: u.hostname,
            port: u.port || (secure ? 443 : 80),
            method,
            path: `${prefix}${path}${qs}`,
            headers,
            agent,
            ...(signal ? { signal } : {}),
          },
          resolve,
        );
        req.on('error', (e) => reject(signal?.aborted ? e : engineUnavailable()));
        req.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** Reads an engine response whole (bounded), for answers the gateway must inspect or hold back. */
export function readUpstream(res: UpstreamResponse, limit = 256 * 1024 * 1024): Promise<Buffer> {
  if (res.whole && res.whole.length <= limit) return Promise.resolve(res.whole);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        res.destroy();
        reject(new GatewayError('bad_gateway', 'the storage engine answered too much'));
        return;
      }
      chunks.push(c);
    });
    res.once('end', () => resolve(Buffer.concat(chunks, size)));
    res.once('error', () => reject(engineUnavailable()));
    res.once('aborted', () => reject(engineUnavailable()));
  });
}

/** The per-database path below the engine root. */
export function dbPath(dbName: string, rest = ''): string {
  return `/${encodeURIComponent(dbName)}${rest}`;
}

/**
 * A minimal JSON client for the CLI talking to a running server over HTTP or
 * HTTPS (with an extra trusted CA for a self-signed certificate).
 */
import http from 'node:http';
import https from 'node:https';

export interface JsonReply {
  status: number;
  body: unknown;
}

export function requestJson(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; ca?: Buffer; timeoutMs?: number } = {},
): Promise<JsonReply> {
  const url = new URL(path, base);
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'sealtime-server-cli' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method, headers, timeout: opts.timeoutMs ?? 10_000, ...(opts.ca ? { ca: opts.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

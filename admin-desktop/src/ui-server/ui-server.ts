/**
 * The loopback transport behind `sealtime-admin ui`: serves the built
 * renderer on 127.0.0.1 with a strict CSP, and the admin API over one
 * WebSocket. The URL printed carries a one-time token; the page hands it to
 * the socket, and the token is spent by the first socket that presents it —
 * a second use, or a page or socket without it, is refused (403).
 *
 * Also refused: a Host header other than 127.0.0.1:<port> (DNS rebinding)
 * and a socket whose Origin is not this server. Images are served at
 * /img/<one-time token> from the core, decrypted in memory only, and a
 * day's thumbnails at once at /img-batch (core/image-batch.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { createDispatcher, type AdminCorePort } from '../api/dispatcher.js';
import type { ServerMessage } from '../api/admin-api.js';
import { contentSecurityPolicy } from '../main/csp.js';
import { batchTokens, encodeImageBatch, IMAGE_BATCH_PATH, MAX_BATCH } from '../core/image-batch.js';

export interface UiServerOptions {
  core: AdminCorePort & {
    takeImage(token: string): Promise<{ bytes: Uint8Array; contentType: string }>;
    takeThumbs(
      tokens: readonly string[],
    ): Promise<Array<{ token: string; image: { bytes: Uint8Array; contentType: string } }>>;
  };
  /** The Vite build output (index.html + assets/). */
  rendererDir: string;
  port?: number;
}

export interface UiServer {
  /** The URL to open: carries the one-time token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const MAX_MESSAGE = 256 * 1024;

const sameToken = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const token = randomBytes(32).toString('base64url');
  let spent = false;
  let port = 0;
  const origin = () => `http://127.0.0.1:${port}`;
  const headers = (type: string): Record<string, string> => ({
    'content-type': type,
    'content-security-policy': contentSecurityPolicy(null, [`ws://127.0.0.1:${port}`]),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
  });
  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, headers('text/plain; charset=utf-8'));
    res.end(text);
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host !== `127.0.0.1:${port}`) return refuse(res, 403, 'wrong host');
    if (req.method !== 'GET') return refuse(res, 405, 'GET only');
    const url = new URL(req.url ?? '/', origin());
    if (url.pathname === IMAGE_BATCH_PATH) {
      const tokens = batchTokens(url.searchParams);
      if (!tokens) return refuse(res, 400, `name 1 to ${MAX_BATCH} image links`);
      try {
        const batch = encodeImageBatch(await options.core.takeThumbs(tokens));
        res.writeHead(200, headers(batch.contentType));
        res.end(batch.body);
      } catch (err) {
        const e = options.core.toApiError(err);
        refuse(res, e.code === 'locked' || e.code === 'not-signed-in' ? 403 : 502, e.message);
      }
      return;
    }
    if (url.pathname.startsWith('/img/')) {
      try {
        const img = await options.core.takeImage(url.pathname.slice(5));
        res.writeHead(200, headers(img.contentType));
        res.end(Buffer.from(img.bytes));
      } catch (err) {
        const e = options.core.toApiError(err);
        refuse(
          res,
          e.code === 'not-found' ? 404 : e.code === 'locked' || e.code === 'not-signed-in' ? 403 : 502,
          e.message,
        );
      }
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      // the page is handed out only with the (unspent) token: it is what the token unlocks
      const t = url.searchParams.get('t') ?? '';
      if (spent || !sameToken(t, token))
        return refuse(
          res,
          403,
          'this link was used already or is incomplete: run `sealtime-admin ui` again for a fresh one',
        );
      res.writeHead(200, headers(TYPES['.html']!));
      res.end(await readFile(join(options.rendererDir, 'index.html')));
      return;
    }
    // static code and styles: no data in them
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const file = join(options.rendererDir, rel);
    if (!file.startsWith(options.rendererDir + sep) || rel.split(/[/\\]/).some((p) => p.startsWith('.')))
      return refuse(res, 404, 'not found');
    const type = TYPES[extname(file)];
    if (!type) return refuse(res, 404, 'not found');
    try {
      const body = await readFile(file);
      res.writeHead(200, headers(type));
      res.end(body);
    } catch {
      refuse(res, 404, 'not found');
    }
  }

  const http = createServer((req, res) => {
    serve(req, res).catch(() => refuse(res, 500, 'internal error'));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  const sockets = new Set<WebSocket>();

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin());
    const t = url.searchParams.get('t') ?? '';
    const ok =
      url.pathname === '/api' &&
      req.headers.host === `127.0.0.1:${port}` &&
      req.headers.origin === origin() &&
      !spent &&
      sameToken(t, token);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    spent = true; // exchanged once: a second socket with the same token is refused
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const dispatcher = createDispatcher(options.core, (msg: ServerMessage) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
      });
      ws.on('message', (data, isBinary) => {
        let parsed: unknown;
        try {
          parsed = isBinary ? null : JSON.parse(data.toString());
        } catch {
          parsed = null;
        }
        dispatcher.receive(parsed);
      });
      ws.on('close', () => {
        dispatcher.close();
        sockets.delete(ws);
      });
      ws.on('error', () => ws.terminate());
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  return {
    url: `${origin()}/?t=${token}`,
    port,
    async close() {
      for (const s of sockets) s.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * A loopback door to whichever CouchDB endpoint is healthy now. Everything in
 * this server that talks to CouchDB (nano for provisioning and the identity
 * store, the gateway's upstream, the st-system changes follower) uses one
 * URL; with several endpoints that URL is this proxy, so failover happens in
 * one place for all of them, and longpolls and streamed bodies pass through
 * unchanged.
 *
 * A request that cannot reach its endpoint is sent to the next healthy one
 * only when it cannot have been applied: the connection was refused or never
 * opened, or a reused keep-alive socket was found closed. Anything else (a
 * node dying mid-request) is answered 502, and the client retries as it does
 * for any engine fault. The proxy has its own random credential, so it is no
 * open admin door for other local users.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Endpoint, EndpointPool } from './endpoint-pool.js';

export interface FailoverProxy {
  /** http://user:secret@127.0.0.1:port, the engine URL the rest of the server uses. */
  readonly url: string;
  close(): Promise<void>;
}

const USER = 'sealtime-failover';
const CONNECT_TIMEOUT_MS = 3_000;
/** Errors after which the request cannot have reached CouchDB's handlers. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNTIMEOUT']);
const HOP_BY_HOP = new Set([
  'host',
  'authorization',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function badGateway(res: http.ServerResponse, reason: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: 'bad_gateway', reason });
  res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startFailoverProxy(pool: EndpointPool, opts: { logger?: Logger } = {}): Promise<FailoverProxy> {
  const secret = randomBytes(24).toString('hex');
  const expected = Buffer.from(`Basic ${Buffer.from(`${USER}:${secret}`).toString('base64')}`);
  const agents = new Map<Endpoint, http.Agent>(
    pool.endpoints.map((e) => [
      e,
      e.base.startsWith('https:')
        ? new https.Agent({ keepAlive: true, maxFreeSockets: 256 })
        : new http.Agent({ keepAlive: true, maxFreeSockets: 256 }),
    ]),
  );

  /** One attempt; resolves true when answered, false when the request may be retried elsewhere. */
  const attempt = (e: Endpoint, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<boolean> =>
    new Promise((done) => {
      const target = new URL(`${e.base}${req.url ?? '/'}`);
      const headers: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
      if (e.authorization) headers.authorization = e.authorization;
      headers['content-length'] = String(body.length);
      const send = target.protocol === 'https:' ? https.request : http.request;
      const up = send(target, { method: req.method, headers, agent: agents.get(e)! }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once('error', () => res.destroy());
        answer.once('end', () => done(true));
        res.once('close', () => {
          answer.destroy();
          done(true);
        });
      });
      up.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () =>
            up.destroy(
              Object.assign(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`), { code: 'ECONNTIMEOUT' }),
            ),
          CONNECT_TIMEOUT_MS,
        );
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      up.on('error', (err: NodeJS.ErrnoException) => {
        if (res.headersSent) {
          res.destroy();
          done(true);
          return;
        }
        const retryable = NEVER_SENT.has(err.code ?? '') || (err.code === 'ECONNRESET' && up.reusedSocket);
        if (NEVER_SENT.has(err.code ?? '')) pool.markDown(e, err.message);
        if (retryable) {
          done(false);
          return;
        }
        badGateway(res, 'the storage engine connection failed');
        done(true);
      });
      res.once('close', () => {
        if (!res.writableFinished) up.destroy();
      });
      up.end(body);
    });

  const server = http.createServer((req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unauthorized', reason: 'engine credentials required' }));
      return;
    }
    void (async () => {
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch {
        res.destroy();
        return;
      }
      const tried = new Set<Endpoint>();
      for (;;) {
        const e = [pool.current(), ...pool.healthy(), ...pool.endpoints].find((x) => !tried.has(x));
        if (!e) {
          opts.logger?.warn({ path: req.url?.split('?')[0] }, 'no CouchDB endpoint reachable');
          badGateway(res, 'no storage engine endpoint is reachable');
          return;
        }
        tried.add(e);
        if (await attempt(e, req, body, res)) return;
      }
    })();
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0; // longpolls are bounded by the gateway
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => done());
  });
  const port = (server.address() as AddressInfo).port;

  pool.on('change', (now, before) =>
    opts.logger?.warn({ from: before.shown, to: now.shown, why: before.lastError }, 'CouchDB endpoint changed'),
  );

  return {
    url: `http://${USER}:${secret}@127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      for (const a of agents.values()) a.destroy();
    },
  };
}

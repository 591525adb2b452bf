/**
 * The gateway's connection to an engine served in this same process (the
 * embedded engine): each request is handed straight to the engine's request
 * listener, the very function its loopback http.Server calls, credential
 * check included, as a socket-less Node IncomingMessage/ServerResponse pair.
 * No TCP, no HTTP parsing or serialising on the gateway side: under load
 * those steps cost about a quarter of the server's CPU (bench:server).
 *
 * What the engine writes is streamed to the caller as it is written (a
 * longpoll's heartbeats included); the caller reads it as it reads an
 * http.IncomingMessage. Aborting `signal` closes the fake socket, which the
 * engine sees as its client going away (express-pouchdb cancels the feed).
 */
import http from 'node:http';
import { Duplex, Readable } from 'node:stream';
import { basicAuthorization } from '../engine/url-credentials.js';
import { engineUnavailable, type Upstream, type UpstreamResponse } from './upstream.js';

/** The engine's request listener, as its http.Server would call it. */
export type EngineListener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Stands in for the connection: what the response serialises to it is dropped (the body is captured before). */
class NullSocket extends Duplex {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  override _read(): void {}
  override _write(_chunk: unknown, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    done();
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
}

class Answer extends Readable implements UpstreamResponse {
  statusCode: number;
  whole?: Buffer;
  private converted: http.IncomingHttpHeaders | null = null;
  constructor(private readonly from: http.ServerResponse) {
    super({ read() {} });
    this.statusCode = from.statusCode;
  }
  /** Converted when first read: most callers only look at the body (the conversion showed in the gateway's profile). */
  get headers(): http.IncomingHttpHeaders {
    return (this.converted ??= incomingHeaders(this.from.getHeaders()));
  }
}

type HeadersArg = http.OutgoingHttpHeaders | http.OutgoingHttpHeader[] | undefined;

function incomingHeaders(out: http.OutgoingHttpHeaders): http.IncomingHttpHeaders {
  const h: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(out)) {
    if (v === undefined) continue;
    h[k] = Array.isArray(v) ? v.map(String) : String(v);
  }
  return h as http.IncomingHttpHeaders;
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer | null {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return null;
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string')
    return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return null;
}

interface Sink {
  /** Status and headers are final; `whole` is the entire body when the engine ended the answer in the same call. */
  head(res: http.ServerResponse, whole?: Buffer): void;
  data(b: Buffer): void;
  end(): void;
}

const EMPTY = Buffer.alloc(0);

const base = http.ServerResponse.prototype;

/**
 * Sends a ServerResponse's body to `sink` as well as to its (null) socket.
 * Node's own write/end still run (status, header and "finished" state stay
 * theirs); headers passed to writeHead are set first so getHeaders() sees
 * them. Own properties, not a subclass: express replaces the response's
 * prototype with its own.
 */
function capture(res: http.ServerResponse, sink: Sink): void {
  const open = (): boolean => !res.writableEnded && !res.destroyed;
  let started = false;
  const writeHead = (status: number, a?: string | HeadersArg, b?: HeadersArg): http.ServerResponse => {
    const headers = typeof a === 'string' ? b : a;
    if (headers && !res.headersSent) {
      if (Array.isArray(headers)) {
        const flat = headers.flat() as (string | number)[];
        for (let i = 0; i + 1 < flat.length; i += 2) res.appendHeader(String(flat[i]), String(flat[i + 1]));
      } else {
        for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
      }
    }
    return typeof a === 'string'
      ? (base.writeHead as (s: number, r: string) => http.ServerResponse).call(res, status, a)
      : base.writeHead.call(res, status);
  };
  // Node's overloads ([chunk], [encoding], [callback]) pass through as given
  const write = (...args: unknown[]): boolean => {
    const wasOpen = open();
    const ok = (base.write as (...a: unknown[]) => boolean).apply(res, args);
    if (wasOpen) {
      if (!started) {
        started = true;
        sink.head(res);
      }
      const b = toBuffer(args[0], args[1]);
      if (b && b.length > 0) sink.data(b);
    }
    return ok;
  };
  const end = (...args: unknown[]): http.ServerResponse => {
    const wasOpen = open();
    (base.end as (...a: unknown[]) => unknown).apply(res, args);
    if (wasOpen) {
      const b = toBuffer(args[0], args[1]);
      if (!started) {
        // the usual case (express's res.send): the whole answer in one call
        started = true;
        sink.head(res, b ?? EMPTY);
      } else if (b && b.length > 0) sink.data(b);
      sink.end();
    }
    return res;
  };
  Object.assign(res, { writeHead, write, end });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

/**
 * `engineUrl` gives the credential (and path prefix) exactly as the HTTP
 * upstream would send them: the listener's own check still decides.
 */
export function createInProcessUpstream(listener: EngineListener, engineUrl: string): Upstream {
  const u = new URL(engineUrl);
  const authorization = basicAuthorization(u);
  const prefix = u.pathname.replace(/\/+$/, '');
  const host = u.host;
  const inFlight = new Set<NullSocket>();
  let closed = false;

  return {
    request({ method, path, query, body, handOver, signal }) {
      if (closed) return Promise.reject(engineUnavailable());
      if (signal?.aborted) return Promise.reject(abortError(signal));
      const qs = query && query.size > 0 ? `?${query.toString()}` : '';
      // handed over: the engine's body parser finds the value already parsed (body-parser honours req._body),
      // so the engine stores the very value the gateway checked, with no JSON round trip
      const given = body !== undefined && handOver === true;
      const payload = body === undefined || given ? undefined : Buffer.from(JSON.stringify(body));
      const headers: http.IncomingHttpHeaders = { host, accept: 'application/json' };
      if (authorization) headers.authorization = authorization;
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (payload) headers['content-length'] = String(payload.length);

      return new Promise<UpstreamResponse>((resolve, reject) => {
        const socket = new NullSocket();
        inFlight.add(socket);
        const req = new http.IncomingMessage(socket as never);
        req.method = method;
        req.url = `${prefix}${path}${qs}`;
        // parsed already: express (4) leaves a set req.query alone, sparing qs's parse of what the gateway built
        Object.assign(req, { query: query ? Object.fromEntries(query) : {} });
        req.headers = headers;
        req.httpVersion = '1.1';
        req.httpVersionMajor = 1;
        req.httpVersionMinor = 1;
        if (given) Object.assign(req, { body, _body: true });
        if (payload) req.push(payload);
        req.push(null);
        req.complete = true;

        let answer: Answer | null = null;
        let ended = false;
        const onAbort = (): void => {
          socket.destroy();
        };
        const done = (): void => {
          inFlight.delete(socket);
          signal?.removeEventListener('abort', onAbort);
        };
        const res = new http.ServerResponse(req);
        capture(res, {
          head(r, whole) {
            if (answer) return;
            answer = new Answer(r);
            if (whole) {
              answer.whole = whole;
              if (whole.length > 0) answer.push(whole);
            }
            resolve(answer);
          },
          data(b) {
            answer?.push(b);
          },
          end() {
            ended = true;
            done();
            answer?.push(null);
            // as after a finished exchange on a real connection: 'close' for whoever waits on it; after the
            // response's own write callbacks have run (destroying in 'finish' failed them: an error per request)
            res.once('finish', () => setImmediate(() => socket.destroy()));
          },
        });
        res.assignSocket(socket as never);

        // the connection going away before the answer ended: the client left (abort), or the engine dropped it
        socket.once('close', () => {
          done();
          if (ended) return;
          const err = signal?.aborted ? abortError(signal) : engineUnavailable();
          if (answer) answer.destroy(err);
          else reject(err);
        });
        signal?.addEventListener('abort', onAbort, { once: true });

        try {
          listener(req, res);
        } catch {
          socket.destroy();
        }
      });
    },
    close() {
      closed = true;
      for (const s of [...inFlight]) s.destroy();
      inFlight.clear();
    },
  };
}

/**
 * The gateway (DESIGN.md decision 3): the only door to the storage engine.
 * Every request is parsed against the replication surface (routes.ts),
 * authenticated through the Identity, authorised by the access rules,
 * validated, and forwarded with the engine's own credential. Every refusal
 * is a 4xx JSON `{error, reason}`; no failure of one request reaches another.
 */
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { initSodium } from '@sealtime/shared';
import type { AuditSink } from '../audit/audit-log.js';
import { isAuthError } from '../auth/auth-errors.js';
import type { Identity, Principal } from '../auth/principal.js';
import { serveEndpoint } from './endpoints.js';
import { DEFAULT_LIMITS, type GatewayLimits } from './gateway-limits.js';
import { LocalDocLedger } from './local-docs.js';
import { GatewayError, sendError, sendJson } from './gateway-errors.js';
import { parseRoute } from './routes.js';
import { createChangeWatchers, type ChangeWatchers } from './change-watcher.js';
import { createUpstream, type Upstream } from './upstream.js';

/** Extra handlers under a path prefix (e.g. the login API), behind the same headers and error handling. */
export interface GatewayMount {
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface GatewayOptions {
  /** Engine base URL with its admin credential (Engine.url). */
  engineUrl: string;
  identity: Identity;
  /** Stable across restarts: replication clients key their checkpoints on it. */
  serverUuid: string;
  /** Teams an employee belongs to, for managers' on-demand screenshot reads. */
  teamsOf?: (employeeId: string) => Promise<readonly string[]>;
  limits?: Partial<GatewayLimits>;
  logger?: Logger;
  /** Send Strict-Transport-Security (set when serving HTTPS). */
  hsts?: boolean;
  mounts?: readonly GatewayMount[];
  /** Audit trail for people's writes through the replication surface. */
  audit?: AuditSink;
  version?: string;
  /** How to reach the engine at engineUrl; HTTP when omitted (the embedded engine passes an in-process one). */
  upstream?: Upstream;
}

export interface Gateway {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The shared change watchers of longpolls (their count is a diagnostic). */
  readonly watchers: ChangeWatchers;
  close(): void;
}

export const HSTS_VALUE = 'max-age=31536000';

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function principalLabel(p: Principal | null): string | undefined {
  if (!p) return undefined;
  return p.type === 'device' ? `device:${p.deviceId}` : `person:${p.userId}`;
}

async function authenticate(identity: Identity, req: IncomingMessage): Promise<Principal> {
  let p: Principal | null;
  try {
    p = await identity.authenticate(req.headers, clientIp(req));
  } catch (e) {
    if (isAuthError(e) && e.status < 500) {
      throw new GatewayError(
        e.status === 429 ? 'too_many_requests' : e.status === 403 ? 'forbidden' : 'unauthorized',
        e.message,
        {},
        e.status,
      );
    }
    throw new GatewayError('service_unavailable', 'the identity store is unavailable; try again shortly');
  }
  if (!p)
    throw new GatewayError('unauthorized', 'authentication required', {
      'www-authenticate': 'Bearer realm="sealtime"',
    });
  // a session that may only set up TOTP reads no data (auth/totp.ts policy)
  if (p.type === 'person' && p.totpEnrolmentOnly)
    throw new GatewayError('forbidden', 'this account must set up TOTP first');
  return p;
}

/**
 * "The client went away", as an AbortSignal made only when a handler asks
 * for one: writes never do, and an AbortController per request showed in
 * the gateway's profile.
 */
class ClientGone {
  private controller: AbortController | null = null;
  aborted = false;
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort();
    }
    return this.controller.signal;
  }
  abort(): void {
    this.aborted = true;
    this.controller?.abort();
  }
}

export async function createGateway(opts: GatewayOptions): Promise<Gateway> {
  await initSodium(); // envelope decoding during write validation
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const upstream = opts.upstream ?? createUpstream(opts.engineUrl);
  const watchers = createChangeWatchers(upstream, { idleMs: limits.watcherIdleMs });
  const localDocs = new LocalDocLedger();
  const log = opts.logger;
  const mounts = opts.mounts ?? [];
  // in-flight requests, so close() can end longpolls as "client gone" rather than engine failures
  const active = new Set<ClientGone>();
  const root = JSON.stringify({
    couchdb: 'Welcome',
    version: '3.0.0',
    uuid: opts.serverUuid,
    vendor: { name: 'sealtime', version: opts.version ?? '0.1.0' },
  });

  async function run(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const gone = new ClientGone();
    active.add(gone);
    res.once('close', () => {
      active.delete(gone);
      if (!res.writableFinished) gone.abort();
    });
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    if (opts.hsts) res.setHeader('strict-transport-security', HSTS_VALUE);

    let principal: Principal | null = null;
    let status = 0;
    try {
      const mount = mounts.find((m) => url.startsWith(m.prefix));
      if (mount) {
        await mount.handle(req, res);
        status = res.statusCode;
        return;
      }
      const route = parseRoute(method, url);
      if (route.kind === 'root') {
        status = 200;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(root)) });
        res.end(method === 'HEAD' ? undefined : root);
        return;
      }
      principal = await authenticate(opts.identity, req);
      status = await serveEndpoint({
        req,
        res,
        route,
        principal,
        upstream,
        limits,
        watchers,
        localDocs,
        get gone() {
          return gone.signal;
        },
        ...(opts.teamsOf ? { teamsOf: opts.teamsOf } : {}),
        ...(opts.audit ? { audit: opts.audit } : {}),
      });
    } catch (e) {
      const err =
        e instanceof GatewayError
          ? e
          : gone.aborted
            ? null
            : new GatewayError('internal_error', 'the request failed inside the gateway');
      if (!err) {
        status = 499;
        return;
      }
      status = err.status;
      if (err.status === 500)
        log?.error({ err: (e as Error)?.message, method, path: url.split('?')[0] }, 'gateway failure');
      // a refused request may still be sending its body: answer, then close the connection
      sendError(res, err, req.complete ? {} : { connection: 'close' });
    } finally {
      // the entry is built only when it will be written: most requests log nothing
      if (log && (status >= 500 || log.isLevelEnabled('debug'))) {
        const ms = Math.round((performance.now() - started) * 10) / 10;
        const entry = { method, path: url.split('?')[0], status, ms, who: principalLabel(principal) };
        if (status >= 500) log.warn(entry, 'request failed');
        else log.debug(entry, 'request');
      }
    }
  }

  return {
    watchers,
    handle(req, res) {
      run(req, res).catch((e: unknown) => {
        // last line of defence: nothing thrown here may take the process down
        log?.error({ err: (e as Error)?.message }, 'unhandled gateway error');
        if (!res.headersSent)
          sendJson(res, 500, { error: 'internal_error', reason: 'the request failed inside the gateway' });
        else res.destroy();
      });
    },
    close() {
      for (const c of active) c.abort();
      active.clear();
      watchers.close();
      upstream.close();
    },
  };
}

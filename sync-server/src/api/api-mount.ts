/**
 * The JSON API as a GatewayMount at /_sealtime/api/: a small route table
 * (people, devices, operations), authentication through the real Identity,
 * bounded JSON bodies, and every failure answered as `{error, reason}` with a
 * 4xx (api-errors.ts). Path ids are checked for syntax before any lookup, so
 * forged ids never reach a store.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthError } from '../auth/auth-errors.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError, methodNotAllowed, notFound, sendJson } from '../gateway/gateway-errors.js';
import type { GatewayMount } from '../gateway/gateway.js';
import { isPlainObject, readJsonBody } from '../gateway/json-body.js';
import { isValidEntityId } from '../provisioning/db-names.js';
import { sendApiFailure } from './api-errors.js';
import { API_BODY_LIMIT, API_PREFIX, type ApiDeps, type ApiRequest, type RouteDef } from './api-types.js';
import { deviceRoutes } from './device-routes.js';
import { keyringRoutes } from './keyring-routes.js';
import { alertRoutes } from './alert-routes.js';
import { opsRoutes } from './ops-routes.js';
import { peopleRoutes } from './people-routes.js';
import { privacyRoutes } from './privacy-routes.js';
import { totpRoutes } from './totp-routes.js';

export const API_ROUTES: readonly RouteDef[] = [
  ...peopleRoutes,
  ...totpRoutes,
  ...deviceRoutes,
  ...opsRoutes,
  ...alertRoutes,
  ...keyringRoutes,
  ...privacyRoutes,
];

/** Syntax of each path parameter; anything else is a 400 before any lookup. */
const PARAM_SYNTAX: Record<string, { test(s: string): boolean; what: string }> = {
  userId: { test: isValidEntityId, what: 'an account id (lowercase letters, digits, dashes)' },
  deviceId: { test: isValidEntityId, what: 'a device id' },
  sessionId: { test: (s) => /^[0-9a-f]{64}$/.test(s), what: 'a session id (64 hex digits)' },
};

interface Match {
  route: RouteDef;
  params: Record<string, string>;
}

function segmentsOf(path: string): string[] {
  return path.split('/');
}

const compiled = API_ROUTES.map((route) => ({ route, segments: segmentsOf(route.path) }));

function match(method: string, path: string): Match {
  const parts = segmentsOf(path);
  const allowed: string[] = [];
  for (const { route, segments } of compiled) {
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let hit = true;
    for (let i = 0; i < segments.length && hit; i++) {
      const s = segments[i]!;
      if (s.startsWith(':')) params[s.slice(1)] = parts[i]!;
      else hit = s === parts[i];
    }
    if (!hit) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    return { route, params };
  }
  if (allowed.length > 0) throw methodNotAllowed(method, allowed);
  throw notFound(`no such API endpoint: ${path === '' ? '(root)' : path}`);
}

function checkParams(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    let value: string;
    try {
      value = decodeURIComponent(v);
    } catch {
      throw new GatewayError('bad_request', 'the path is not valid percent-encoding');
    }
    const syntax = PARAM_SYNTAX[k];
    if (syntax && !syntax.test(value)) throw new AuthError('invalid-input', `${k} must be ${syntax.what}`);
    out[k] = value;
  }
  return out;
}

async function authenticate(deps: ApiDeps, req: IncomingMessage, ip: string): Promise<Principal> {
  const p = await deps.services.identity.authenticate(req.headers, ip);
  if (!p)
    throw new AuthError(
      'invalid-credentials',
      'authentication required: a session token (Bearer) or a device credential',
    );
  return p;
}

export function createApiMount(deps: ApiDeps): GatewayMount {
  const log = deps.logger;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = (q < 0 ? url : url.slice(0, q)).slice(API_PREFIX.length).replace(/\/$/, '');
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const ip = req.socket.remoteAddress ?? 'unknown';
    const ua = req.headers['user-agent'];
    const userAgent = typeof ua === 'string' ? ua.slice(0, 256) : null;
    let where = path;
    try {
      const { route, params } = match(method, path);
      where = route.path;
      const checked = checkParams(params);
      const principal = route.auth === 'anonymous' ? null : await authenticate(deps, req, ip);
      if (route.auth === 'person' && principal?.type !== 'person')
        throw new AuthError('forbidden', "this needs a person's session, not a device credential");
      if (principal?.type === 'person' && principal.totpEnrolmentOnly && !route.enrolment) {
        throw new AuthError(
          'totp-enrolment-required',
          'this account must set up TOTP first (POST totp/setup, then totp/enable)',
        );
      }
      const r: ApiRequest = {
        req,
        params: checked,
        query,
        principal,
        ip,
        userAgent,
        async body() {
          const value = await readJsonBody(req, API_BODY_LIMIT);
          if (!isPlainObject(value)) throw new GatewayError('bad_request', 'the body must be a JSON object');
          return value;
        },
      };
      const result = await route.handle(r, deps);
      sendJson(res, result.status, result.body);
    } catch (e) {
      // a refused request may still be sending its body: answer, then close the connection
      sendApiFailure(res, e, req.complete ? {} : { connection: 'close' }, log, `${method} ${where}`);
    }
  }

  return { prefix: API_PREFIX, handle: serve };
}

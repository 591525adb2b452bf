/**
 * Shapes shared by the JSON API's router and handlers (/_sealtime/api/).
 * Handlers are thin: validate the input, call a service, return a result;
 * errors are thrown and mapped to statuses in one place (api-errors.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthServices } from '../auth/auth-services.js';
import type { Clock } from '../auth/clock.js';
import type { Principal } from '../auth/principal.js';
import type { Engine } from '../engine/engine.js';
import type { Consolidator } from '../provisioning/consolidator.js';
import type { Provisioner } from '../provisioning/provision.js';

export { API_PREFIX } from '@sealtime/shared';
/** Request bodies of the API (api-contract.md). */
export const API_BODY_LIMIT = 64 * 1024;

export interface ApiDeps {
  services: AuthServices;
  audit: AuditLog;
  engine: Engine;
  provisioner: Provisioner;
  consolidator: Consolidator;
  clock: Clock;
  startedAt: number;
  version: string;
  logger?: Logger;
}

export interface ApiRequest {
  req: IncomingMessage;
  /** Path parameters, already checked against their id syntax. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Null only on anonymous routes. */
  principal: Principal | null;
  ip: string;
  userAgent: string | null;
  /** The JSON object body (content type, size and syntax checked). */
  body(): Promise<Record<string, unknown>>;
}

export interface ApiResult {
  status: number;
  body: unknown;
}

/** Who may call a route: anonymous (login, enroll), any authenticated principal, or people only. */
export type RouteAuth = 'anonymous' | 'any' | 'person';

export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Below the prefix, with `:name` parameters, e.g. `users/:userId/password`. */
  path: string;
  auth: RouteAuth;
  /** Also open to a session that may only set up TOTP (policy); all other routes refuse one. */
  enrolment?: true;
  handle(r: ApiRequest, deps: ApiDeps): Promise<ApiResult>;
}

export const ok = (body: unknown, status = 200): ApiResult => ({ status, body });

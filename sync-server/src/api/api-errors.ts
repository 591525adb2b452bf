/**
 * The one place where failures become HTTP answers for the API. Service
 * errors (AuthError) keep their own code as `error` (e.g. `enrollment-used`,
 * `invalid-credentials`) so clients can tell cases apart; transport-level
 * refusals use the gateway's codes (`bad_request`, `unsupported_media_type`,
 * `too_large`, `not_found`). Anything else is a 500 whose details go to the
 * log only.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { isAuthError } from '../auth/auth-errors.js';
import { GatewayError, sendError, sendJson } from '../gateway/gateway-errors.js';
import { statusOf } from '../http-status.js';
import { ProvisioningError } from '../provisioning/provision.js';

export function sendApiFailure(
  res: ServerResponse,
  e: unknown,
  extraHeaders: Record<string, string>,
  log?: Logger,
  where?: string,
): number {
  if (e instanceof GatewayError) {
    sendError(res, e, extraHeaders);
    return e.status;
  }
  if (isAuthError(e)) {
    const headers: Record<string, string> = { ...extraHeaders };
    if (e.code === 'rate-limited' && e.retryAfterMs !== undefined)
      headers['retry-after'] = String(Math.max(1, Math.ceil(e.retryAfterMs / 1000)));
    if (e.status === 401) headers['www-authenticate'] = 'Bearer realm="sealtime"';
    if (e.status >= 500) log?.warn({ err: e.message, where }, 'api: service unavailable');
    sendJson(res, e.status, { error: e.code, reason: e.message }, headers);
    return e.status;
  }
  if (e instanceof ProvisioningError) {
    const status = statusOf('invalid-input');
    sendJson(res, status, { error: 'invalid-input', reason: e.message }, extraHeaders);
    return status;
  }
  log?.error({ err: (e as Error)?.message, where }, 'api failure');
  const status = statusOf('internal_error');
  sendJson(res, status, { error: 'internal_error', reason: 'the request failed inside the server' }, extraHeaders);
  return status;
}

/**
 * One table from what the admin use-cases and the gateway throw to the API's
 * error codes. Messages stay human and carry no secret (AdminError and
 * GatewayError messages never hold tokens or passphrases).
 */
import { ApiRequestError, type ApiError, type ApiErrorCode } from '../api/admin-api.js';
import { AdminError, type AdminErrorCode } from '../admin/admin-error.js';
import { GatewayError } from './gateway-fetch.js';

const FROM_ADMIN: Record<AdminErrorCode, ApiErrorCode> = {
  'bad-input': 'invalid-input',
  'not-logged-in': 'session-expired',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  exists: 'invalid-input',
  'wrong-passphrase': 'wrong-passphrase',
  tampered: 'integrity',
  unreachable: 'server-unreachable',
  server: 'internal',
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiRequestError) return err.toApiError();
  if (err instanceof AdminError) return { code: FROM_ADMIN[err.code], message: err.message };
  if (err instanceof GatewayError) {
    if (err.status === null) return { code: 'server-unreachable', message: err.message };
    if (err.status === 401) return { code: 'session-expired', message: 'the server ended this session: sign in again' };
    if (err.status === 403) return { code: 'forbidden', message: err.message };
    return { code: 'internal', message: err.message };
  }
  // unexpected: say what failed without dumping internals
  return {
    code: 'internal',
    message: `internal error: ${err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'unknown'}`,
  };
}

export const apiError = (code: ApiErrorCode, message: string): ApiRequestError => new ApiRequestError(code, message);

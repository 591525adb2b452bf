/**
 * What the sign-in screen says when the server refuses a sign-in: each
 * refusal becomes an API error the screen acts on (ask for the second factor,
 * offer to trust the certificate, say to check the address).
 */
import type { ApiRequestError } from '../api/admin-api.js';
import { AdminError, isAdminError } from '../admin/admin-error.js';
import { apiError, toApiError } from './core-errors.js';
import { untrusted, type ServerTrust } from './server-trust.js';

export function signInRefusal(err: unknown, server: string, trust: ServerTrust): ApiRequestError {
  if (isAdminError(err, 'unreachable') && /TLS failure/.test(err.message)) return untrusted(server, err.message, trust);
  // the account has a second factor: the sign-in screen asks for the code and sends it with the password again
  if (err instanceof AdminError && err.serverError === 'totp-required')
    return apiError('totp-required', 'enter the code from your authenticator app (or a recovery code)');
  if (err instanceof AdminError && err.serverError === 'invalid-totp')
    return apiError(
      'totp-required',
      'that code was not accepted; enter the current code from your authenticator app (or a recovery code)',
    );
  // the server answers a disabled account exactly as a wrong password (it does not tell which accounts exist)
  if (isAdminError(err, 'not-logged-in'))
    return apiError(
      'wrong-credentials',
      'the server refused this user id and password (check both; a disabled account is refused the same way: ask an admin)',
    );
  const e = toApiError(err);
  return apiError(
    e.code,
    e.code === 'server-unreachable' ? `${e.message}: check the address and that the server is running` : e.message,
  );
}

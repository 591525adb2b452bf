/** The API's error codes and the error a request rejects with. */
import { isObj } from './contract-kit.js';

export const API_ERROR_CODES = [
  'wrong-passphrase', //    the key ring did not open with this passphrase
  'wrong-credentials', //   the server refused the user id / password
  'totp-required', //       the server asks for a one-time code
  'server-unreachable', //  network or TLS failure; the replica still answers
  'tls-untrusted', //       the server's certificate is not trusted (give its CA file or fingerprint pin)
  'session-expired', //     the server ended the session: sign in again
  'not-signed-in', //       no session yet
  'locked', //              the keys are locked: unlock first
  'forbidden', //           the role may not do this
  'invalid-input', //       a request or its parameters are malformed
  'not-found', //           no such person, record or image
  'integrity', //           a record or image failed its signature or hash check
  'internal', //            anything else (the message says what)
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiError {
  code: ApiErrorCode;
  /** Human, says what to do; never secrets or plaintext. */
  message: string;
}

export function isApiError(x: unknown): x is ApiError {
  return isObj(x) && (API_ERROR_CODES as readonly unknown[]).includes(x.code) && typeof x.message === 'string';
}

export class ApiRequestError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
  toApiError(): ApiError {
    return { code: this.code, message: this.message };
  }
}

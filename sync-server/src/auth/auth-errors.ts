/** Typed failures of the identity layer, each with the HTTP status the gateway should answer. */
export type AuthErrorCode =
  | 'invalid-input'
  | 'invalid-credentials'
  | 'rate-limited'
  | 'weak-password'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'busy'
  | 'store-unavailable'
  | 'enrollment-invalid'
  | 'enrollment-expired'
  | 'enrollment-used'
  | 'enrollment-unknown'
  | 'device-revoked'
  | 'totp-required'
  | 'invalid-totp'
  | 'totp-enrolment-required';

const STATUS: Record<AuthErrorCode, number> = {
  'invalid-input': 400,
  'invalid-credentials': 401,
  'rate-limited': 429,
  'weak-password': 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  busy: 503,
  'store-unavailable': 503,
  'enrollment-invalid': 400,
  'enrollment-expired': 410,
  'enrollment-used': 410,
  'enrollment-unknown': 404,
  'device-revoked': 403,
  'totp-required': 401,
  'invalid-totp': 401,
  'totp-enrolment-required': 403,
};

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly status: number;
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** For rate-limited: how long until the next attempt is allowed. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export function isAuthError(e: unknown): e is AuthError {
  return e instanceof AuthError;
}

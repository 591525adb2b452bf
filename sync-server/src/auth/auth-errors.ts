/** Typed failures of the identity layer; their codes are a wire contract, their statuses come from the one table. */
import type { ServiceErrorCode } from '@sealtime/shared';
import { statusOf } from '../http-status.js';

export type AuthErrorCode = ServiceErrorCode;

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
    this.status = statusOf(code);
  }
}

export function isAuthError(e: unknown): e is AuthError {
  return e instanceof AuthError;
}

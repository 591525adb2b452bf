/**
 * The one error type the admin use-cases throw: a stable `code` a shell maps
 * to an exit code or a dialog, and a message that says what failed and what
 * to do. Messages never carry tokens, passphrases or key material.
 */
export type AdminErrorCode =
  | 'bad-input' //         the caller gave something unusable
  | 'not-logged-in' //     no session in the profile, or the server ended it
  | 'forbidden' //         the server refused (403): the account's role may not do this
  | 'not-found' //         the server or directory has no such thing
  | 'exists' //            would overwrite something (use force)
  | 'wrong-passphrase' //  a key ring did not open
  | 'tampered' //          a key ring or directory document failed its signature or pin
  | 'unreachable' //       network or TLS failure
  | 'server'; //           any other refusal or failure of the server

export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    readonly status?: number,
    /** The server's own error code (`{error}` of the answer), e.g. 'totp-required'. */
    readonly serverError?: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

export const isAdminError = (e: unknown, code?: AdminErrorCode): e is AdminError =>
  e instanceof AdminError && (code === undefined || e.code === code);

import type { Result } from '../result.js';

export type KeyErrorCode =
  | 'wrong-passphrase'
  | 'weak-passphrase'
  | 'bad-params'
  | 'malformed-keyring'
  | 'bad-recovery-key'
  | 'unknown-key'
  | 'no-active-key'
  | 'bad-signature'
  | 'untrusted-signer'
  | 'malformed-document';

export interface KeyError {
  code: KeyErrorCode;
  message: string;
}

export type KeyResult<T> = Result<T, KeyError>;

export const keyFail = (code: KeyErrorCode, message: string): { ok: false; error: KeyError } => ({
  ok: false,
  error: { code, message },
});

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

export type KeyResult<T> = { ok: true; value: T } | { ok: false; error: KeyError };

export const keyFail = (code: KeyErrorCode, message: string): { ok: false; error: KeyError } => ({ ok: false, error: { code, message } });

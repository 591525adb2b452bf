/** Typed failures of parsing, opening and verifying. Callers switch on `code`. */
export type EnvelopeErrorCode =
  | 'truncated' // input ends before a field it announces
  | 'trailing-bytes' // bytes left after the last field: not canonical
  | 'bad-magic' // not a Sealtime envelope at all
  | 'unsupported-version'
  | 'oversize' // a field or the whole envelope exceeds its limit
  | 'invalid-field' // a field has a value the format forbids
  | 'bad-encoding' // base64 / UTF-8 that is not canonical
  | 'bad-signature' // the device signature does not verify: altered after signing
  | 'unknown-signer' // signed by a key that is not the claimed device's key
  | 'not-a-recipient' // none of the caller's keys can unwrap the data key
  | 'decrypt-failed' // the data key unwrapped but the payload does not authenticate
  | 'bad-payload'; // decrypted bytes are not a valid payload document

export interface EnvelopeError {
  readonly code: EnvelopeErrorCode;
  readonly message: string;
  /** Byte offset or field name where parsing stopped, when known. */
  readonly at?: number | string;
}

// the one Result of the house (shared/src/result.ts), re-exported where envelope code has always found it
export { ok, type Result } from '../result.js';
export const fail = (
  code: EnvelopeErrorCode,
  message: string,
  at?: number | string,
): { ok: false; error: EnvelopeError } => ({
  ok: false,
  error: at === undefined ? { code, message } : { code, message, at },
});

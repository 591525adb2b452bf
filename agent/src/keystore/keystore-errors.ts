/** Typed keystore failures. Messages name files and fields, never secret material. */
export type KeystoreErrorCode =
  | 'not-found'
  | 'wrong-passphrase' // or the file was altered: authenticated decryption cannot tell the two apart
  | 'weak-passphrase'
  | 'wrong-wrapper' // the file was written with another kind of wrapper
  | 'key-unavailable' // the OS vault has no key for this file
  | 'corrupt'
  | 'unsupported'
  | 'insecure-permissions'
  | 'invalid'
  | 'io';

export class KeystoreError extends Error {
  constructor(
    readonly code: KeystoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeystoreError';
  }
}

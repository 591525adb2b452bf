/**
 * Typed failures of the retention and data operations. The CLI maps `code`
 * to an exit status and prints `message`, which names what failed and what
 * to do, never a credential.
 */
export type OpsErrorCode =
  | 'invalid-input'
  | 'engine-locked'
  | 'no-data'
  | 'not-found'
  | 'not-empty'
  | 'bad-backup'
  | 'verify-failed'
  | 'purge-failed';

export class OpsError extends Error {
  override readonly name = 'OpsError';
  constructor(
    readonly code: OpsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

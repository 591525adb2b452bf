/** Typed failures of setting up the listener: refusals of the transport policy and certificate problems. */
export type TlsErrorCode = 'insecure-listen' | 'unreadable' | 'invalid' | 'generation-failed' | 'listen-failed';

export class TlsError extends Error {
  override readonly name = 'TlsError';
  constructor(
    readonly code: TlsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

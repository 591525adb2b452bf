/** Typed failures of Recorder operations; callers switch on `code`. Nothing here carries payload content. */
import type { Result } from '@sealtime/shared';

export type RecorderErrorCode =
  | 'bad-payload' // the payload does not fit its kind's shape
  | 'no-recipients' // the organisation key is missing: nobody could read the record
  | 'seal-failed'
  | 'write-failed' // the store refused or failed the write; the chain did not advance
  | 'hook-failed' // a caller's beforeWrite step failed; nothing was written
  | 'screenshots-paused' // the disk budget paused screenshots
  | 'closed';

export interface RecorderError {
  code: RecorderErrorCode;
  message: string;
}

export type RecorderResult<T> = Result<T, RecorderError>;

export const recorderFail = (code: RecorderErrorCode, message: string): { ok: false; error: RecorderError } => ({
  ok: false,
  error: { code, message },
});

export {
  Recorder,
  IMAGE_KIND,
  type RecorderOptions,
  type RecordedRef,
  type RecordedScreenshot,
  type RecordOptions,
  type PayloadInput,
  type ScreenshotMeta,
} from './recorder.js';
export type { RecorderError, RecorderErrorCode, RecorderResult } from './recorder-errors.js';
export { StaticRecipientDirectory, recipientKeysFor, type RecipientDirectory } from './recipients.js';
export {
  MonotonicClock,
  systemTimeSources,
  linuxBootClock,
  type TimeSources,
  type ClockAnchor,
  type ClockJump,
  type ClockOptions,
} from './monotonic-clock.js';
export { ForeignChainError, recoverRecordHead, recoverBlobHead } from './chain-recovery.js';
export {
  sealRecordDoc,
  sealImageBlob,
  screenshotPayload,
  type SealedRecordDoc,
  type SealedBlobDoc,
} from './record-sealing.js';

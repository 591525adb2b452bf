export {
  enrollDevice,
  EnrollError,
  type EnrollErrorCode,
  type EnrollOptions,
  type EnrollResult,
} from './enroll-device.js';
export { parseEnrollmentCode, groupFingerprint, type EnrollmentCode } from './enrollment-code.js';
export * from './data-dir.js';

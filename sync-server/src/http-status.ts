/**
 * The one table from an error code (shared/src/wire/error-codes.ts) to the
 * HTTP status the server answers with. AuthError, GatewayError and the API's
 * failure mapping all read it, so a code never means two statuses.
 */
import type { ServerErrorCode } from '@sealtime/shared';

export const HTTP_STATUS: Readonly<Record<ServerErrorCode, number>> = {
  // service refusals (the API's own decisions)
  'invalid-input': 400,
  'weak-password': 400,
  'enrollment-invalid': 400,
  'invalid-credentials': 401,
  'totp-required': 401,
  'invalid-totp': 401,
  forbidden: 403,
  'device-revoked': 403,
  'totp-enrolment-required': 403,
  'not-found': 404,
  'enrollment-unknown': 404,
  conflict: 409,
  'enrollment-expired': 410,
  'enrollment-used': 410,
  'rate-limited': 429,
  busy: 503,
  'store-unavailable': 503,
  // transport refusals (CouchDB's spelling)
  bad_request: 400,
  invalid_document: 400,
  unauthorized: 401,
  forged_record: 403,
  not_found: 404,
  method_not_allowed: 405,
  chain_broken: 409,
  record_fork: 409,
  too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
};

export const statusOf = (code: ServerErrorCode): number => HTTP_STATUS[code];

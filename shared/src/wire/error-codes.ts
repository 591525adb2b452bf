/**
 * The `error` field of every refusal the sync-server sends (`{error, reason}`).
 * Two spellings are on the wire and both stay, because clients and replication
 * libraries read them as they are:
 *
 *   service refusals    kebab-case  the API's own decisions (login, accounts, devices, TOTP)
 *   transport refusals  snake_case  CouchDB's spelling (what replication clients expect),
 *                                   used by the gateway and for the API's malformed requests
 *
 * The server maps each code to its HTTP status in one table
 * (sync-server/src/http-status.ts).
 */
export const SERVICE_ERROR_CODES = [
  'invalid-input',
  'invalid-credentials',
  'rate-limited',
  'weak-password',
  'forbidden',
  'not-found',
  'conflict',
  'busy',
  'store-unavailable',
  'enrollment-invalid',
  'enrollment-expired',
  'enrollment-used',
  'enrollment-unknown',
  'device-revoked',
  'totp-required',
  'invalid-totp',
  'totp-enrolment-required',
] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

export const TRANSPORT_ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'unsupported_media_type',
  'too_large',
  'too_many_requests',
  'invalid_document',
  // a sealed record or image that fails verification (the gateway's integrity gate)
  'forged_record',
  'chain_broken',
  'record_fork',
  'service_unavailable',
  'bad_gateway',
  'internal_error',
] as const;
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[number];

export type ServerErrorCode = ServiceErrorCode | TransportErrorCode;

const KNOWN: ReadonlySet<string> = new Set<string>([...SERVICE_ERROR_CODES, ...TRANSPORT_ERROR_CODES]);

/** Whether a refusal's `error` is one of the server's own codes (a forwarded CouchDB answer may carry others). */
export function isServerErrorCode(x: unknown): x is ServerErrorCode {
  return typeof x === 'string' && KNOWN.has(x);
}

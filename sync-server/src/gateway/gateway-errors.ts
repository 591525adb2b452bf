/**
 * Every refusal the gateway gives is a GatewayError: an HTTP status and a
 * CouchDB-style `{error, reason}` body, so replication clients report it as
 * they would a CouchDB answer and people can read the reason.
 */
import type { ServerResponse } from 'node:http';

export type GatewayErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'too_large'
  | 'too_many_requests'
  | 'invalid_document'
  // a sealed record or image that fails verification (integrity-gate.ts)
  | 'forged_record'
  | 'chain_broken'
  | 'record_fork'
  | 'service_unavailable'
  | 'bad_gateway'
  | 'internal_error';

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly status: number,
    readonly error: GatewayErrorCode,
    readonly reason: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${error}: ${reason}`);
  }
}

export const badRequest = (reason: string): GatewayError => new GatewayError(400, 'bad_request', reason);
export const invalidDocument = (reason: string): GatewayError => new GatewayError(400, 'invalid_document', reason);
export const forbidden = (reason: string): GatewayError => new GatewayError(403, 'forbidden', reason);
export const notFound = (reason: string): GatewayError => new GatewayError(404, 'not_found', reason);

export function methodNotAllowed(method: string, allowed: readonly string[]): GatewayError {
  return new GatewayError(405, 'method_not_allowed', `${method} is not allowed here; allowed: ${allowed.join(', ')}`, { allow: allowed.join(', ') });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export function sendError(res: ServerResponse, e: GatewayError, extraHeaders: Record<string, string> = {}): void {
  sendJson(res, e.status, { error: e.error, reason: e.reason }, { ...e.headers, ...extraHeaders });
}

/**
 * Every refusal the gateway gives is a GatewayError: an HTTP status and a
 * CouchDB-style `{error, reason}` body, so replication clients report it as
 * they would a CouchDB answer and people can read the reason.
 */
import type { ServerResponse } from 'node:http';
import type { TransportErrorCode } from '@sealtime/shared';
import { statusOf } from '../http-status.js';

export type GatewayErrorCode = TransportErrorCode;

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;
  constructor(
    readonly error: GatewayErrorCode,
    readonly reason: string,
    readonly headers: Record<string, string> = {},
    /** Only to pass on a status decided elsewhere (an identity refusal); otherwise the table's. */
    status?: number,
  ) {
    const s = status ?? statusOf(error);
    super(`${s} ${error}: ${reason}`);
    this.status = s;
  }
}

export const badRequest = (reason: string): GatewayError => new GatewayError('bad_request', reason);
export const invalidDocument = (reason: string): GatewayError => new GatewayError('invalid_document', reason);
export const forbidden = (reason: string): GatewayError => new GatewayError('forbidden', reason);
export const notFound = (reason: string): GatewayError => new GatewayError('not_found', reason);

export function methodNotAllowed(method: string, allowed: readonly string[]): GatewayError {
  return new GatewayError('method_not_allowed', `${method} is not allowed here; allowed: ${allowed.join(', ')}`, {
    allow: allowed.join(', '),
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: GatewayError, extraHeaders: Record<string, string> = {}): void {
  sendJson(res, e.status, { error: e.error, reason: e.reason }, { ...e.headers, ...extraHeaders });
}

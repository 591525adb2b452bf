import { describe, expect, it } from 'vitest';
import { SERVICE_ERROR_CODES, TRANSPORT_ERROR_CODES } from '@sealtime/shared';
import { AuthError } from './auth/auth-errors.js';
import { GatewayError, badRequest, methodNotAllowed } from './gateway/gateway-errors.js';
import { HTTP_STATUS } from './http-status.js';

describe('one code → status table', () => {
  it('gives every wire error code a 4xx or 5xx status', () => {
    for (const code of [...SERVICE_ERROR_CODES, ...TRANSPORT_ERROR_CODES]) {
      expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS[code], code).toBeLessThan(600);
    }
    expect(Object.keys(HTTP_STATUS).sort()).toEqual(
      [...new Set([...SERVICE_ERROR_CODES, ...TRANSPORT_ERROR_CODES])].sort(),
    );
  });

  it('is what AuthError and GatewayError answer with', () => {
    expect(new AuthError('rate-limited', 'slow down').status).toBe(429);
    expect(new AuthError('enrollment-used', 'used').status).toBe(410);
    expect(new GatewayError('record_fork', 'fork').status).toBe(409);
    expect(new GatewayError('forged_record', 'forged').status).toBe(403);
    expect(badRequest('x').status).toBe(400);
    expect(methodNotAllowed('PUT', ['GET']).status).toBe(405);
    expect(methodNotAllowed('PUT', ['GET']).headers).toEqual({ allow: 'GET' });
  });

  it('lets a refusal pass on a status decided elsewhere', () => {
    expect(new GatewayError('unauthorized', 'no', {}, 400).status).toBe(400);
  });
});

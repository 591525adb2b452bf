/**
 * Reading a replication request's query parameters with a clear 400 for a
 * malformed one, and its key lists with the per-request cap.
 */
import { badRequest, GatewayError } from './gateway-errors.js';

export function stringArray(x: unknown, what: string, max: number): string[] {
  if (!Array.isArray(x) || x.some((k) => typeof k !== 'string'))
    throw badRequest(`${what} must be an array of strings`);
  if (x.length > max) throw new GatewayError('too_large', `at most ${max} ${what} per request`);
  return x as string[];
}

export function jsonParam(q: URLSearchParams, name: string): unknown {
  const raw = q.get(name);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest(`query parameter ${name} must be JSON`);
  }
}

export function intParam(q: URLSearchParams, name: string): number | null {
  const raw = q.get(name);
  if (raw === null) return null;
  if (raw === 'true') return Number.POSITIVE_INFINITY; // heartbeat=true: the default interval
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw badRequest(`${name} must be a non-negative number of milliseconds`);
  return n;
}

/**
 * Input checks shared by the handlers: bodies are objects with known fields
 * only (an unknown field is a 400 naming it, never silently dropped), query
 * numbers are bounded integers. Errors are AuthError('invalid-input') so the
 * client sees one error code for every bad field.
 */
import { AuthError } from '../auth/auth-errors.js';

export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw new AuthError(
      'invalid-input',
      `unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')} (allowed: ${allowed.join(', ')})`,
    );
}

export function requiredString(body: Record<string, unknown>, key: string, max = 4096): string {
  const v = body[key];
  if (typeof v !== 'string' || v.length === 0)
    throw new AuthError('invalid-input', `${key} is required and must be text`);
  if (v.length > max) throw new AuthError('invalid-input', `${key} is too long`);
  return v;
}

export function optionalString(body: Record<string, unknown>, key: string, max = 256): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > max)
    throw new AuthError('invalid-input', `${key} must be text of at most ${max} characters`);
  return v;
}

export function intQuery(q: URLSearchParams, key: string, dflt: number, min: number, max: number): number {
  const raw = q.get(key);
  if (raw === null) return dflt;
  if (!/^\d{1,16}$/.test(raw)) throw new AuthError('invalid-input', `${key} must be a non-negative integer`);
  const n = Number(raw);
  if (n < min || n > max) throw new AuthError('invalid-input', `${key} must be between ${min} and ${max}`);
  return n;
}

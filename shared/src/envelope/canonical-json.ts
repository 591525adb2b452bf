/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, only
 * finite numbers, no undefined, plain objects and arrays only. Signed documents
 * and record payloads use it so that equal values always have equal bytes.
 */
import { fail, ok, type EnvelopeError, type Result } from './errors.js';

const MAX_DEPTH = 32;

export function canonicalJson(value: unknown): Result<string, EnvelopeError> {
  try {
    return ok(write(value, 0));
  } catch (e) {
    return fail(
      'invalid-field',
      e instanceof CanonicalError ? e.message : 'value is not representable as canonical JSON',
    );
  }
}

class CanonicalError extends Error {}

function write(v: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new CanonicalError(`nested deeper than ${MAX_DEPTH}`);
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new CanonicalError('numbers must be finite');
      return JSON.stringify(Object.is(v, -0) ? 0 : v);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x) => write(x, depth + 1)).join(',')}]`;
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new CanonicalError('only plain objects are allowed');
      const keys = Object.keys(v).sort();
      const parts: string[] = [];
      for (const k of keys) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined) throw new CanonicalError(`field ${k} is undefined`);
        parts.push(`${JSON.stringify(k)}:${write(x, depth + 1)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new CanonicalError(`${typeof v} is not JSON`);
  }
}

/**
 * Parses JSON text with a size bound; `requireCanonical` rejects text that is
 * not already canonical (what signature checks need: one value, one encoding).
 */
export function parseJson(
  text: unknown,
  options: { maxBytes?: number; requireCanonical?: boolean } = {},
): Result<unknown, EnvelopeError> {
  if (typeof text !== 'string') return fail('bad-encoding', 'expected JSON text');
  const max = options.maxBytes ?? 1024 * 1024;
  if (text.length > max) return fail('oversize', `JSON text of ${text.length} chars exceeds ${max}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail('bad-encoding', `malformed JSON: ${e instanceof Error ? e.message : 'parse error'}`);
  }
  if (options.requireCanonical) {
    const c = canonicalJson(value);
    if (!c.ok) return c;
    if (c.value !== text) return fail('bad-encoding', 'JSON text is not in canonical form');
  }
  return ok(value);
}

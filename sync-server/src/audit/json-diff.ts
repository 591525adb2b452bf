/**
 * A small structural diff of two JSON values for the audit trail: one entry
 * per changed leaf (objects are walked, arrays compared whole), with values
 * of secret-looking fields replaced so hashes and tokens never reach the
 * audit database. Pure.
 */
export interface DiffEntry {
  /** Dotted path from the root ('' for the root itself). */
  path: string;
  /** Absent when the field was added. */
  from?: unknown;
  /** Absent when the field was removed. */
  to?: unknown;
}

export const REDACTED = '[redacted]';
const SECRET = /password|secret|token|credential|hash|passphrase|privatekey/i;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Drops undefined, functions and the like the way JSON would, so diffs are of what is stored. */
function toJson(x: unknown): Json | undefined {
  if (x === undefined) return undefined;
  try {
    const s = JSON.stringify(x);
    return s === undefined ? undefined : (JSON.parse(s) as Json);
  } catch {
    return '[unserialisable]';
  }
}

function equal(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Replaces the values of secret-looking keys anywhere inside `v`. */
function scrub(key: string, v: Json | undefined): Json | undefined {
  if (v === undefined) return v;
  if (SECRET.test(key)) return REDACTED;
  if (Array.isArray(v)) return v.map((x) => scrub('', x) as Json);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(k, x as Json) as Json]));
  return v;
}

const objOrAbsent = (x: Json | undefined): boolean => x === undefined || isObject(x);

function walk(
  path: string,
  key: string,
  a: Json | undefined,
  b: Json | undefined,
  out: DiffEntry[],
  limit: number,
): void {
  if (out.length >= limit || equal(a, b)) return;
  if (objOrAbsent(a) && objOrAbsent(b) && !SECRET.test(key)) {
    const ao = (a ?? {}) as Record<string, Json>;
    const bo = (b ?? {}) as Record<string, Json>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of [...keys].sort()) walk(path === '' ? k : `${path}.${k}`, k, ao[k], bo[k], out, limit);
    return;
  }
  const entry: DiffEntry = { path };
  if (a !== undefined) entry.from = scrub(key, a);
  if (b !== undefined) entry.to = scrub(key, b);
  out.push(entry);
}

/** Changes from `before` to `after`; at most `limit` entries (the rest are summarised). */
export function jsonDiff(before: unknown, after: unknown, limit = 100): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk('', '', toJson(before), toJson(after), out, limit + 1);
  if (out.length > limit) {
    out.length = limit;
    out.push({ path: '…', to: 'more changes omitted' });
  }
  return out;
}

/** A JSON copy of `value` with secret-looking fields replaced (for free-form audit details). */
export function redactSecrets(value: unknown): unknown {
  return scrub('', toJson(value)) ?? null;
}

/**
 * Checks an untrusted policy patch (from an admin UI, the sync server, a file)
 * against the schema. Total: any input gives a result, nothing throws. The
 * returned patch is a fresh copy holding only known fields, so a caller never
 * keeps a reference to attacker-shaped objects (prototype tricks, getters).
 */
import { fieldSpec, isGroupPath, setPath } from './policy-schema.js';
import type { FieldSpec } from './policy-schema.js';
import type { PolicyError, PolicyPatch } from './policy-types.js';

export type PatchValidation = { ok: true; patch: PolicyPatch } | { ok: false; error: PolicyError };

type Tree = Record<string, unknown>;

export function validatePolicyPatch(input: unknown): PatchValidation {
  const out: Tree = {};
  try {
    const error = checkGroup(input, '', out);
    // `out` holds exactly the schema's paths with values of the schema's types.
    return error ? { ok: false, error } : { ok: true, patch: out as PolicyPatch };
  } catch {
    // Proxies or throwing getters: an object we cannot read is not a policy.
    return { ok: false, error: { code: 'invalid-value', message: 'policy settings could not be read' } };
  }
}

/** Only JSON-like objects: arrays, Dates, Maps, class instances are rejected. */
export function isPlainObject(value: unknown): value is Tree {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkGroup(input: unknown, prefix: string, out: Tree): PolicyError | undefined {
  if (!isPlainObject(input)) {
    const where = prefix === '' ? 'policy settings' : prefix;
    return invalid(prefix, `${where} must be an object, got ${describe(input)}`);
  }
  // Keep an empty group as given, so the copy mirrors the input's shape.
  if (prefix !== '') setPath(out, prefix, {});
  for (const key of Object.keys(input)) {
    // A key with a dot would smuggle a nested path in at the wrong depth.
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const spec = key.includes('.') ? undefined : fieldSpec(path);
    const value = input[key];
    if (spec) {
      const checked = checkLeaf(spec, path, value);
      if (!checked.ok) return checked.error;
      setPath(out, path, checked.value);
    } else if (!key.includes('.') && isGroupPath(path)) {
      const error = checkGroup(value, path, out);
      if (error) return error;
    } else {
      return { code: 'unknown-field', path, message: `unknown policy field '${path}'` };
    }
  }
  return undefined;
}

type LeafResult = { ok: true; value: unknown } | { ok: false; error: PolicyError };

function checkLeaf(spec: FieldSpec, path: string, value: unknown): LeafResult {
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean'
        ? { ok: true, value }
        : { ok: false, error: invalid(path, `${path} must be true or false, got ${describe(value)}`) };
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
        const msg = `${path} must be a whole number from ${spec.min} to ${spec.max}, got ${describe(value)}`;
        return { ok: false, error: invalid(path, msg) };
      }
      return { ok: true, value };
    case 'app-list':
      return checkAppList(spec, path, value);
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? { ok: true, value }
        : {
            ok: false,
            error: invalid(path, `${path} must be one of ${spec.values.join(', ')}, got ${describe(value)}`),
          };
  }
}

function checkAppList(spec: Extract<FieldSpec, { kind: 'app-list' }>, path: string, value: unknown): LeafResult {
  if (!Array.isArray(value)) return { ok: false, error: invalid(path, `${path} must be a list of app names`) };
  if (value.length > spec.maxItems) {
    return { ok: false, error: invalid(path, `${path} may hold at most ${spec.maxItems} apps`) };
  }
  const apps: string[] = [];
  // Indexed loop, not for-of: holes in sparse arrays must be seen and rejected.
  for (let i = 0; i < value.length; i++) {
    const app: unknown = value[i];
    if (typeof app !== 'string' || app.trim() === '' || app.length > spec.maxLength) {
      const msg = `${path}[${i}] must be a non-blank app name of at most ${spec.maxLength} characters`;
      return { ok: false, error: invalid(path, msg) };
    }
    if (!apps.includes(app)) apps.push(app);
  }
  return { ok: true, value: apps };
}

function invalid(path: string, message: string): PolicyError {
  return path === '' ? { code: 'invalid-value', message } : { code: 'invalid-value', path, message };
}

/** Names a value's type for messages without stringifying hostile content. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'a non-finite number';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

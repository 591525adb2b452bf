/**
 * A small strict checker for payload objects: every field declared with its
 * type and bound, unknown fields refused, first problem reported by path.
 * Hand-written rather than a JSON-schema engine because the pure domain keeps
 * its dependencies to rxdb, rxjs and libsodium.
 */
export type FieldSpec =
  | { t: 'int'; min?: number; max?: number; optional?: boolean }
  | { t: 'number'; min?: number; max?: number; optional?: boolean }
  | { t: 'string'; max: number; min?: number; pattern?: RegExp; optional?: boolean }
  | { t: 'enum'; values: readonly string[]; optional?: boolean }
  | { t: 'bool'; optional?: boolean }
  | { t: 'literal'; value: string | number; optional?: boolean }
  | { t: 'object'; fields: Shape; optional?: boolean }
  | { t: 'string-map'; maxKeys: number; maxValue: number; optional?: boolean }
  | { t: 'string-list'; maxItems: number; maxItem: number; optional?: boolean }
  | { t: 'object-list'; of: Shape; maxItems: number; optional?: boolean }
  | { t: 'custom'; check: (v: unknown) => string | undefined; optional?: boolean };

export type Shape = Record<string, FieldSpec>;

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

export function checkShape(value: unknown, shape: Shape, path = ''): string | undefined {
  if (!isPlain(value)) return `${path || 'payload'} must be an object`;
  for (const key of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(shape, key)) return `${path}${key} is not a known field`;
  }
  for (const [key, spec] of Object.entries(shape)) {
    const v = value[key];
    const at = `${path}${key}`;
    if (v === undefined) {
      if (!spec.optional) return `${at} is required`;
      continue;
    }
    const problem = checkField(v, spec, at);
    if (problem) return problem;
  }
  return undefined;
}

function checkField(v: unknown, spec: FieldSpec, at: string): string | undefined {
  switch (spec.t) {
    case 'int':
      if (!Number.isSafeInteger(v)) return `${at} must be an integer`;
      return range(v as number, spec.min, spec.max, at);
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${at} must be a finite number`;
      return range(v, spec.min, spec.max, at);
    case 'string':
      if (typeof v !== 'string') return `${at} must be text`;
      if (v.length > spec.max) return `${at} is longer than ${spec.max} characters`;
      if (spec.min !== undefined && v.length < spec.min) return `${at} is shorter than ${spec.min} characters`;
      if (spec.pattern && !spec.pattern.test(v)) return `${at} has the wrong format`;
      return undefined;
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v)
        ? undefined
        : `${at} must be one of ${spec.values.join(', ')}`;
    case 'bool':
      return typeof v === 'boolean' ? undefined : `${at} must be true or false`;
    case 'literal':
      return v === spec.value ? undefined : `${at} must be ${JSON.stringify(spec.value)}`;
    case 'object':
      return checkShape(v, spec.fields, `${at}.`);
    case 'string-map': {
      if (!isPlain(v)) return `${at} must be an object of text values`;
      const entries = Object.entries(v);
      if (entries.length > spec.maxKeys) return `${at} has more than ${spec.maxKeys} entries`;
      for (const [k, x] of entries)
        if (typeof x !== 'string' || x.length > spec.maxValue || k.length > 64)
          return `${at}.${k} must be text up to ${spec.maxValue} characters`;
      return undefined;
    }
    case 'string-list':
      if (!Array.isArray(v) || v.length > spec.maxItems)
        return `${at} must be a list of at most ${spec.maxItems} texts`;
      for (const x of v)
        if (typeof x !== 'string' || x.length > spec.maxItem)
          return `${at} items must be text up to ${spec.maxItem} characters`;
      return undefined;
    case 'object-list': {
      if (!Array.isArray(v) || v.length > spec.maxItems)
        return `${at} must be a list of at most ${spec.maxItems} entries`;
      for (let i = 0; i < v.length; i++) {
        const problem = checkShape(v[i], spec.of, `${at}[${i}].`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'custom':
      return spec.check(v);
  }
}

function range(v: number, min: number | undefined, max: number | undefined, at: string): string | undefined {
  if (min !== undefined && v < min) return `${at} must be at least ${min}`;
  if (max !== undefined && v > max) return `${at} must be at most ${max}`;
  return undefined;
}

/**
 * The pieces every API contract file is built from: a rule per request or
 * subscription (its params' fields, and a check of what comes back). Each
 * contract file (one per feature) declares its types and rules side by side,
 * so adding a screen's API is one new file plus one line in admin-api.ts.
 * No Node, no Electron: the renderer imports this.
 */

/** Each check says whether one field's value is acceptable. */
export type FieldSpec = Record<string, (v: unknown) => boolean>;

export interface RequestRule {
  spec: FieldSpec;
  optional?: readonly string[];
  /** Checked by the renderer on every result (the core is trusted less than its types say). */
  result: (x: unknown) => boolean;
}

export interface SubscriptionRule {
  spec: FieldSpec;
  optional?: readonly string[];
  /** View models are checked for their frame; their shape is owned by the pure builders. */
  value: (x: unknown) => boolean;
  /** Extra cross-field check (e.g. from ≤ to); null when fine. */
  cross?: (params: Record<string, unknown>) => string | null;
}

/** A contract's rule tables, keyed exactly by its request and subscription names. */
export interface Contract<Req, Sub> {
  requests: { [K in keyof Req]: RequestRule };
  subscriptions: { [K in keyof Sub]: SubscriptionRule };
}

export type Obj = Record<string, unknown>;
export const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isStr = (x: unknown, max = 512): x is string => typeof x === 'string' && x.length > 0 && x.length <= max;
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const isId = (x: unknown): x is string => typeof x === 'string' && ID.test(x);
export const isDate = (x: unknown): x is string =>
  typeof x === 'string' && DATE.test(x) && !Number.isNaN(Date.parse(`${x}T00:00:00Z`));
export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
export const isArrayOf = (x: unknown, each: (v: unknown) => boolean, max = 100_000): boolean =>
  Array.isArray(x) && x.length <= max && x.every(each);
export const none: FieldSpec = {};

/** from ≤ to, when both are present. */
export const rangeInOrder = (p: Record<string, unknown>): string | null =>
  typeof p.from === 'string' && typeof p.to === 'string' && p.from > p.to ? 'from is after to' : null;

/**
 * The shape of CapturePolicy as data: one entry per dotted leaf path, with its
 * type, range and which value (if any) only ever reduces capture. Validation
 * and resolution both walk this table, so a new field is added in one place
 * (plus CapturePolicy and DEFAULT_POLICY; a test checks the three agree).
 */

export type FieldSpec =
  | {
      kind: 'boolean';
      /** The value that only reduces capture; accepted even under a lock. */
      privacySafe?: boolean;
    }
  | { kind: 'integer'; min: number; max: number }
  /** A set of app identifiers, unioned across levels; adding one only reduces capture. */
  | { kind: 'app-list'; maxItems: number; maxLength: number }
  /** One of a fixed set of words. */
  | { kind: 'enum'; values: readonly string[] };

const bool = (privacySafe?: boolean): FieldSpec =>
  privacySafe === undefined ? { kind: 'boolean' } : { kind: 'boolean', privacySafe };
const int = (min: number, max: number): FieldSpec => ({ kind: 'integer', min, max });

// A Map, not an object literal: lookups by untrusted keys such as
// '__proto__' or 'constructor' must never reach Object.prototype.
const FIELDS: ReadonlyMap<string, FieldSpec> = new Map<string, FieldSpec>([
  ['activity.enabled', bool(false)],
  ['activity.slotSeconds', int(60, 600)],
  ['appTracking.enabled', bool(false)],
  ['appTracking.titles', bool(false)],
  ['appTracking.urls', bool(false)],
  ['appTracking.pulseSeconds', int(5, 300)],
  ['screenshots.enabled', bool(false)],
  ['screenshots.perHour', int(0, 60)],
  ['screenshots.blur', bool(true)],
  ['screenshots.excludedApps', { kind: 'app-list', maxItems: 500, maxLength: 256 }],
  ['screenshots.randomInterval', bool()],
  ['screenshots.notify', bool()],
  ['idle.enabled', bool(false)],
  ['idle.thresholdSeconds', int(60, 3600)],
  ['idle.discardIdle', bool()],
  ['attendance.enabled', bool(false)],
  ['attendance.autoClockIn', bool()],
  ['attendance.autoBreakOnIdle', bool()],
  ['retention.days', int(1, 3650)],
  ['storage.budgetMb', int(64, 1_048_576)],
  ['employeeCanPause', bool()],
  ['tracking.requireProject', bool()],
  ['manualTime.enabled', bool()],
  ['manualTime.approval', { kind: 'enum', values: ['none', 'manager', 'hr'] }],
]);

/** Every dotted leaf path of CapturePolicy, in declaration order. */
export const POLICY_LEAF_PATHS: readonly string[] = Object.freeze([...FIELDS.keys()]);

const GROUP_PATHS: ReadonlySet<string> = new Set(
  POLICY_LEAF_PATHS.flatMap((p) => {
    const parts = p.split('.');
    return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'));
  }),
);

export function fieldSpec(path: string): FieldSpec | undefined {
  return FIELDS.get(path);
}

export function isGroupPath(path: string): boolean {
  return GROUP_PATHS.has(path);
}

/** A path that may be locked: a leaf or a group of leaves. */
export function isPolicyPath(path: string): boolean {
  return FIELDS.has(path) || GROUP_PATHS.has(path);
}

/** Whether locking `lockPath` locks `leafPath` (itself or an ancestor group). */
export function pathCovers(lockPath: string, leafPath: string): boolean {
  return leafPath === lockPath || leafPath.startsWith(`${lockPath}.`);
}

/**
 * Whether setting `value` can only reduce capture, so a lower level may do it
 * even under a lock ("each level can switch any capture off").
 */
export function isPrivacySafe(spec: FieldSpec, value: unknown): boolean {
  if (spec.kind === 'boolean') return spec.privacySafe !== undefined && value === spec.privacySafe;
  // Adding exclusions is switching screenshots off for some apps; removing a
  // higher level's exclusion is impossible anyway because lists are unioned.
  return spec.kind === 'app-list';
}

type Tree = Record<string, unknown>;

/** Reads a dotted path from a nested plain object; undefined when absent. */
export function getPath(tree: Tree, path: string): unknown {
  let node: unknown = tree;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Tree)[key];
  }
  return node;
}

/** Writes a dotted path into a nested plain object, creating groups as needed. */
export function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop();
  if (last === undefined) return;
  let node = tree;
  for (const key of keys) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Tree;
  }
  node[last] = value;
}

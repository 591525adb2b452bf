/**
 * Folds policy layers over DEFAULT_POLICY into one CapturePolicy.
 *
 * Rules, applied field by field in level order organisation → team →
 * employee → device (array order does not matter):
 * - a lower level overrides a higher one, unless a higher level locked that
 *   field or a group containing it; then the override is ignored and reported;
 * - switching capture off (and other moves that only reduce capture, see
 *   isPrivacySafe) is accepted even under a lock: each level can switch any
 *   capture off;
 * - screenshots.excludedApps is unioned, not replaced: a lower level can add
 *   exclusions but never remove a higher level's, so an organisation can rely
 *   on its exclusions (e.g. a password manager) whatever a team sets.
 *
 * `source` names, for every leaf, the layer whose value stands ('default' when
 * no layer set it). For the unioned list it is the lowest layer that added to it.
 * Every locked override is reported in `ignored`, even one that repeats the
 * locked value: the setting had no effect either way.
 */
import { DEFAULT_POLICY } from './policy-types.js';
import type {
  CapturePolicy,
  IgnoredOverride,
  LayerLevel,
  PolicyLayer,
  PolicySource,
  ResolvedPolicy,
} from './policy-types.js';
import { fieldSpec, getPath, isPrivacySafe, pathCovers, POLICY_LEAF_PATHS, setPath } from './policy-schema.js';
import { validatePolicyLayers } from './validate-layers.js';

type Tree = Record<string, unknown>;

export function resolvePolicy(layers: readonly PolicyLayer[]): ResolvedPolicy {
  const checked = validatePolicyLayers(layers);
  if (!checked.ok) return checked;

  const policy: Tree = {};
  const source: Record<string, PolicySource> = {};
  for (const path of POLICY_LEAF_PATHS) {
    setPath(policy, path, copy(getPath(DEFAULT_POLICY as unknown as Tree, path)));
    source[path] = { level: 'default' };
  }

  const ignored: IgnoredOverride[] = [];
  // Lock path → the level that locked it. Layers come highest first, so the
  // first entry covering a field is the highest lock holder.
  const locks = new Map<string, LayerLevel>();

  for (const layer of checked.layers) {
    const settings = layer.settings as Tree;
    for (const path of POLICY_LEAF_PATHS) {
      const value = getPath(settings, path);
      const spec = fieldSpec(path);
      if (value === undefined || spec === undefined) continue;
      const lockedBy = lockHolder(locks, path);
      if (lockedBy !== undefined && !isPrivacySafe(spec, value)) {
        ignored.push({ path, level: layer.level, reason: 'locked', lockedBy });
        continue;
      }
      setPath(policy, path, spec.kind === 'app-list' ? union(getPath(policy, path), value) : copy(value));
      source[path] = { level: layer.level, id: layer.id };
    }
    // Locks bind only the levels below, so they take effect after this layer's own settings.
    for (const lockPath of layer.locked) {
      if (!locks.has(lockPath)) locks.set(lockPath, layer.level);
    }
  }

  // Every leaf was set from DEFAULT_POLICY and then only replaced by validated
  // values of the same type, so the tree has CapturePolicy's exact shape.
  return { ok: true, policy: policy as unknown as CapturePolicy, source, ignored };
}

function lockHolder(locks: ReadonlyMap<string, LayerLevel>, leafPath: string): LayerLevel | undefined {
  for (const [lockPath, level] of locks) {
    if (pathCovers(lockPath, leafPath)) return level;
  }
  return undefined;
}

/** Higher levels' entries first, then new ones in the order given. */
function union(current: unknown, added: unknown): string[] {
  const out = Array.isArray(current) ? current.filter((x): x is string => typeof x === 'string') : [];
  if (Array.isArray(added)) {
    for (const app of added) if (typeof app === 'string' && !out.includes(app)) out.push(app);
  }
  return out;
}

// Lists are the only non-primitive leaves; copy them so the result never
// shares an array with DEFAULT_POLICY or a caller's layer.
function copy(value: unknown): unknown {
  return Array.isArray(value) ? [...(value as unknown[])] : value;
}

/**
 * From what a person types (`--set screenshots.perHour=6 --lock screenshots`)
 * to a PolicyLayer, merged over the layer already in force for that level and
 * id. Values: true/false, whole numbers, and for app lists a comma-separated
 * list or a JSON array. Paths are checked against the policy schema here so a
 * typo is named before anything is signed.
 */
import {
  POLICY_LEAF_PATHS,
  validatePolicyLayers,
  type LayerLevel,
  type PolicyLayer,
  type PolicyPatch,
} from '@sealtime/shared';
import { AdminError } from './admin-error.js';

export const LAYER_LEVELS: readonly LayerLevel[] = ['organisation', 'team', 'employee', 'device'];

const isGroup = (p: string) => POLICY_LEAF_PATHS.some((leaf) => leaf.startsWith(`${p}.`));

function parseValue(path: string, raw: string): unknown {
  const t = raw.trim();
  if (path.endsWith('excludedApps')) {
    if (t.startsWith('[')) {
      try {
        return JSON.parse(t) as unknown;
      } catch {
        throw new AdminError('bad-input', `${path}: '${raw}' is not a JSON list`);
      }
    }
    return t === ''
      ? []
      : t
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  }
  if (t === 'true' || t === 'on' || t === 'yes') return true;
  if (t === 'false' || t === 'off' || t === 'no') return false;
  if (/^-?\d+$/.test(t)) return Number(t);
  throw new AdminError('bad-input', `${path}: '${raw}' is neither true/false nor a whole number`);
}

function setIn(tree: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

export interface LayerInput {
  level: string;
  id: string;
  set?: readonly string[];
  lock?: readonly string[];
  unlock?: readonly string[];
  /** The layer in force for this level and id (merged over), unless replacing. */
  current?: PolicyLayer | null;
}

export function buildPolicyLayer(input: LayerInput): PolicyLayer {
  if (!LAYER_LEVELS.includes(input.level as LayerLevel))
    throw new AdminError('bad-input', `--level must be one of ${LAYER_LEVELS.join(', ')}`);
  const level = input.level as LayerLevel;
  const settings = structuredClone(input.current?.settings ?? {}) as Record<string, unknown>;
  for (const item of input.set ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new AdminError('bad-input', `--set takes path=value, not '${item}'`);
    const path = item.slice(0, eq).trim();
    if (!POLICY_LEAF_PATHS.includes(path))
      throw new AdminError('bad-input', `unknown policy setting '${path}' (known: ${POLICY_LEAF_PATHS.join(', ')})`);
    setIn(settings, path, parseValue(path, item.slice(eq + 1)));
  }
  const locked = new Set(input.current?.locked ?? []);
  for (const p of input.lock ?? []) {
    if (!POLICY_LEAF_PATHS.includes(p) && !isGroup(p))
      throw new AdminError('bad-input', `cannot lock '${p}': not a policy setting or group`);
    locked.add(p);
  }
  for (const p of input.unlock ?? []) locked.delete(p);
  const layer: PolicyLayer = {
    level,
    id: input.id,
    settings: settings as PolicyPatch,
    ...(locked.size > 0 ? { locked: [...locked] } : {}),
  };
  const checked = validatePolicyLayers([layer]);
  if (!checked.ok) throw new AdminError('bad-input', `the policy layer is invalid: ${checked.error.message}`);
  return layer;
}

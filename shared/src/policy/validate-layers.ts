/**
 * Checks a list of policy layers before resolution: known levels, at most one
 * layer per level, valid settings and lock paths. Layers usually arrive over
 * the wire, so this is total like validatePolicyPatch. On success the layers
 * come back as fresh copies, sorted organisation → device.
 */
import { isPolicyPath } from './policy-schema.js';
import { isPlainObject, validatePolicyPatch } from './validate-policy.js';
import { LAYER_ORDER } from './policy-types.js';
import type { LayerLevel, PolicyError, PolicyLayer } from './policy-types.js';

/** A checked layer: settings validated, locks always present. */
export interface CheckedLayer extends PolicyLayer {
  locked: string[];
}

export type LayersValidation = { ok: true; layers: CheckedLayer[] } | { ok: false; error: PolicyError };

export function validatePolicyLayers(input: unknown): LayersValidation {
  try {
    return checkLayers(input);
  } catch {
    return fail({ code: 'invalid-value', message: 'policy layers could not be read' });
  }
}

function checkLayers(input: unknown): LayersValidation {
  if (!Array.isArray(input)) return fail({ code: 'invalid-value', message: 'policy layers must be a list' });
  const byLevel = new Map<LayerLevel, CheckedLayer>();
  for (let i = 0; i < input.length; i++) {
    const raw: unknown = input[i];
    if (!isPlainObject(raw)) return fail({ code: 'invalid-value', message: `layer ${i} must be an object` });
    const level = raw['level'];
    if (!isLayerLevel(level)) {
      return fail({
        code: 'invalid-value',
        message: `layer ${i} has no valid level (organisation, team, employee or device)`,
      });
    }
    // Two layers of one level leave no rule for which wins; refuse rather than guess.
    if (byLevel.has(level)) {
      return fail({ code: 'duplicate-level', message: `more than one ${level} layer` });
    }
    const id = raw['id'];
    if (typeof id !== 'string' || id === '') {
      return fail({ code: 'invalid-value', message: `${level} layer must have a non-empty string id` });
    }
    const settings = validatePolicyPatch(raw['settings']);
    if (!settings.ok) {
      return fail({ ...settings.error, message: `${level} layer '${id}': ${settings.error.message}` });
    }
    const locked = checkLocks(raw['locked'], level, id);
    if (!Array.isArray(locked)) return fail(locked);
    byLevel.set(level, { level, id, settings: settings.patch, locked });
  }
  const layers = LAYER_ORDER.flatMap((level) => byLevel.get(level) ?? []);
  return { ok: true, layers };
}

function checkLocks(raw: unknown, level: LayerLevel, id: string): string[] | PolicyError {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    return { code: 'invalid-value', message: `${level} layer '${id}': locked must be a list of paths` };
  const paths: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const path: unknown = raw[i];
    if (typeof path !== 'string') {
      return { code: 'invalid-value', message: `${level} layer '${id}': locked[${i}] must be a dotted path` };
    }
    if (!isPolicyPath(path)) {
      return { code: 'unknown-field', path, message: `${level} layer '${id}' locks unknown policy path '${path}'` };
    }
    if (!paths.includes(path)) paths.push(path);
  }
  return paths;
}

function isLayerLevel(value: unknown): value is LayerLevel {
  return typeof value === 'string' && (LAYER_ORDER as readonly string[]).includes(value);
}

function fail(error: PolicyError): LayersValidation {
  return { ok: false, error };
}

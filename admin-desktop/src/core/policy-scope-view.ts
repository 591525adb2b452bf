/**
 * The policy editor's view models, pure: from the layers in force along one
 * scope's chain (organisation → team → employee → device) to each setting's
 * effective value and the level that set it; an edit of the scope's own layer
 * checked with the CLI's own parser (policy-layer-input.ts, so app and
 * `sealtime-admin policy set` refuse the same values with the same words);
 * and what publishing the edited layer would change.
 */
import {
  policyFieldSpec,
  POLICY_LEAF_PATHS,
  resolvePolicy,
  type CapturePolicy,
  type PolicyLayer,
} from '@sealtime/shared';
import type {
  PolicyChange,
  PolicyEdit,
  PolicyScope,
  PolicyScopeView,
  PolicySettingSpec,
  PolicySettingView,
  PolicyValue,
} from '../api/admin-api.js';
import { AdminError } from '../admin/admin-error.js';
import { buildPolicyLayer } from '../admin/policy-layer-input.js';

/** One level of a scope's chain: the layer in force there, or none. */
export interface ChainLink {
  scope: PolicyScope;
  layer: PolicyLayer | null;
  issuedAt: number | null;
}

type Tree = Record<string, unknown>;

function getIn(tree: unknown, path: string): unknown {
  let node = tree;
  for (const k of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, k)) return undefined;
    node = (node as Tree)[k];
  }
  return node;
}

function deleteIn(tree: Tree, path: string): void {
  const keys = path.split('.');
  const parents: Tree[] = [tree];
  let node: unknown = tree;
  for (const k of keys.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, k)) return;
    node = (node as Tree)[k];
    parents.push(node as Tree);
  }
  delete (node as Tree)[keys[keys.length - 1]!];
  // drop groups left empty, so an all-cleared layer reads as {}
  for (let i = parents.length - 1; i > 0; i--)
    if (Object.keys(parents[i]!).length === 0) delete parents[i - 1]![keys[i - 1]!];
}

function specOf(path: string): PolicySettingSpec {
  const s = policyFieldSpec(path);
  if (!s) throw new AdminError('bad-input', `unknown policy setting '${path}'`);
  if (s.kind === 'integer') return { kind: 'integer', min: s.min, max: s.max };
  if (s.kind === 'app-list') return { kind: 'app-list', maxItems: s.maxItems, maxLength: s.maxLength };
  if (s.kind === 'enum') return { kind: 'enum', values: [...s.values] };
  return { kind: 'boolean' };
}

const covers = (lock: string, leaf: string) => leaf === lock || leaf.startsWith(`${lock}.`);

function resolved(links: readonly ChainLink[]): {
  policy: CapturePolicy;
  source: Record<string, { level: string; id?: string }>;
  ignored: Array<{ path: string; level: string }>;
} {
  const r = resolvePolicy(links.flatMap((l) => (l.layer ? [l.layer] : [])));
  if (!r.ok) throw new AdminError('tampered', `the layers in force do not resolve: ${r.error.message}`);
  return r;
}

export function buildScopeView(chain: readonly ChainLink[], reaches: readonly string[]): PolicyScopeView {
  const own = chain[chain.length - 1]!;
  const r = resolved(chain);
  const settings = POLICY_LEAF_PATHS.map((path): PolicySettingView => {
    const above = chain.slice(0, -1).find((l) => l.layer?.locked?.some((p) => covers(p, path)));
    const ownValue = own.layer ? (getIn(own.layer.settings, path) as PolicyValue | undefined) : undefined;
    const src = r.source[path]!;
    return {
      path,
      spec: specOf(path),
      effective: getIn(r.policy, path) as PolicyValue,
      source:
        src.level === 'default'
          ? { level: 'default' }
          : { level: src.level as PolicyScope['level'], ...(src.id ? { id: src.id } : {}) },
      ...(ownValue !== undefined ? { own: ownValue } : {}),
      lockedHere: own.layer?.locked?.some((p) => covers(p, path)) ?? false,
      ...(above ? { lockedAbove: above.scope } : {}),
      ignored: r.ignored.some((i) => i.path === path && i.level === own.scope.level),
    };
  });
  return {
    scope: own.scope,
    chain: chain.map((l) => ({ ...l.scope, issuedAt: l.issuedAt })),
    settings,
    reaches: [...reaches],
  };
}

/** How a typed value is written for the CLI's parser: the same text `policy set --set path=value` takes. */
function asText(path: string, v: PolicyValue): string {
  if (typeof v === 'number' && !Number.isInteger(v))
    throw new AdminError('bad-input', `${path}: ${v} is not a whole number`);
  return Array.isArray(v) ? JSON.stringify(v) : String(v);
}

const messageOf = (err: unknown): string => (err instanceof AdminError ? err.message : 'this value cannot be used');

/**
 * The scope's own layer after the edit, or the refusals, each naming its
 * field. Every value is first checked alone, so each wrong field gets its
 * own message even when several are wrong.
 */
export function applyEdit(
  current: PolicyLayer | null,
  edit: PolicyEdit,
): { layer: PolicyLayer | null; errors: Array<{ path: string; message: string }> } {
  const errors: Array<{ path: string; message: string }> = [];
  const { level, id } = edit.scope;
  const set: string[] = [];
  for (const [path, value] of Object.entries(edit.set ?? {})) {
    try {
      const entry = `${path}=${asText(path, value)}`;
      buildPolicyLayer({ level, id, set: [entry] });
      set.push(entry);
    } catch (err) {
      errors.push({ path, message: messageOf(err) });
    }
  }
  for (const path of [...(edit.clear ?? []), ...(edit.lock ?? []), ...(edit.unlock ?? [])]) {
    if (!POLICY_LEAF_PATHS.includes(path) && !POLICY_LEAF_PATHS.some((p) => p.startsWith(`${path}.`)))
      errors.push({ path, message: `'${path}' is not a policy setting or group` });
  }
  for (const path of edit.unlock ?? []) {
    // a leaf locked through its group cannot be unlocked alone: say which group to unlock
    const group = current?.locked?.find((l) => l !== path && covers(l, path) && !(current.locked ?? []).includes(path));
    if (group)
      errors.push({
        path,
        message: `${path} is locked with its whole group '${group}' at this level: unlock '${group}' (sealtime-admin policy set --unlock ${group}) or leave it locked`,
      });
  }
  if (errors.length > 0) return { layer: null, errors };
  const base: PolicyLayer = structuredClone(current ?? { level, id, settings: {} });
  for (const path of edit.clear ?? []) deleteIn(base.settings as Tree, path);
  try {
    const layer = buildPolicyLayer({
      level,
      id,
      set,
      ...(edit.lock ? { lock: edit.lock } : {}),
      ...(edit.unlock ? { unlock: edit.unlock } : {}),
      current: base,
    });
    return { layer, errors };
  } catch (err) {
    return { layer: null, errors: [{ path: '', message: messageOf(err) }] };
  }
}

/** Every setting whose own value, lock or effective value differs once `next` replaces the scope's own layer. */
export function diffEdit(chain: readonly ChainLink[], next: PolicyLayer): PolicyChange[] {
  const before = buildScopeView(chain, []);
  const after = buildScopeView([...chain.slice(0, -1), { ...chain[chain.length - 1]!, layer: next }], []);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const out: PolicyChange[] = [];
  for (const [i, b] of before.settings.entries()) {
    const a = after.settings[i]!;
    if (same(b.own, a.own) && b.lockedHere === a.lockedHere && same(b.effective, a.effective)) continue;
    out.push({
      path: b.path,
      ...(b.own !== undefined ? { ownBefore: b.own } : {}),
      ...(a.own !== undefined ? { ownAfter: a.own } : {}),
      lockedBefore: b.lockedHere,
      lockedAfter: a.lockedHere,
      effectiveBefore: b.effective,
      effectiveAfter: a.effective,
    });
  }
  return out;
}

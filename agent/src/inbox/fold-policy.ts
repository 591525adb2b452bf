/**
 * The policy part of folding the inbox (fold-inbox.ts): one signed layer
 * each, checked with the organisation key; a layer is kept when it targets
 * this device (organisation, its team, this employee, this device), and the
 * newest per level are folded with resolvePolicy. A layer stops applying only
 * by a newer signed one or a signed withdrawal; a kept layer whose inbox copy
 * vanished stays in force and is reported. Layers that verify alone but do not
 * resolve together leave the policy in force as it was.
 */
import {
  DEFAULT_POLICY,
  isWithdrawal,
  POLICY_LEAF_PATHS,
  policyDocId,
  resolvePolicy,
  verifyPolicyDocument,
  type CapturePolicy,
  type IgnoredOverride,
  type InboxDoc,
  type KeyResult,
  type PolicyLayer,
  type PolicySource,
} from '@sealtime/shared';
import type { FoldReport } from './fold-report.js';
import { offer, readWithdrawal, type Signed } from './signed-candidates.js';

export interface AppliedLayer {
  level: PolicyLayer['level'];
  id: string;
  issuedAt: number;
  docId: string;
}

export interface EffectivePolicy {
  policy: CapturePolicy;
  source: Record<string, PolicySource>;
  ignored: IgnoredOverride[];
  layers: AppliedLayer[];
}

export function defaultEffectivePolicy(): EffectivePolicy {
  const source: Record<string, PolicySource> = {};
  for (const p of POLICY_LEAF_PATHS) source[p] = { level: 'default' };
  return { policy: structuredClone(DEFAULT_POLICY) as CapturePolicy, source, ignored: [], layers: [] };
}

export interface PolicyFold {
  policy: EffectivePolicy;
  /** Newest issuedAt accepted per layer id. */
  highWater: Record<string, number>;
  /** Last verified document (or withdrawal) per layer id. */
  kept: Record<string, InboxDoc>;
}

/** Who this device is, as the layers' targets name it. */
export interface PolicyTarget {
  deviceId: string;
  employeeId: string;
  teamId: string | null;
}

export function foldPolicy(
  docs: readonly InboxDoc[],
  orgSignPublicKey: Uint8Array,
  me: PolicyTarget,
  highWater: Readonly<Record<string, number>>,
  prevKept: Readonly<Record<string, InboxDoc>>,
  previous: EffectivePolicy | undefined,
  report: FoldReport,
): PolicyFold {
  const present = new Set(docs.map((d) => d.id));
  const orgKey = [orgSignPublicKey];
  const readPolicy = (d: InboxDoc): KeyResult<Omit<Signed<PolicyLayer>, 'doc'>> => {
    if (isWithdrawal(d.doc)) return readWithdrawal(d.doc, 'policy:', orgKey);
    const v = verifyPolicyDocument(d.doc, orgKey);
    return v.ok
      ? { ok: true, value: { key: policyDocId(v.value.layer), issuedAt: v.value.issuedAt, value: v.value.layer } }
      : v;
  };
  // null: applies; 'other-team': harmless, skipped; else why it is refused
  const target = (layer: PolicyLayer | null): string | null => {
    if (!layer) return null;
    if (
      (layer.level === 'employee' && layer.id !== me.employeeId) ||
      (layer.level === 'device' && layer.id !== me.deviceId)
    )
      return `policy layer ${layer.level}:${layer.id} is not for this ${layer.level}`;
    return layer.level === 'team' && layer.id !== me.teamId ? 'other-team' : null;
  };
  const layerCands = new Map<string, Signed<PolicyLayer>>();
  for (const d of docs.filter((x) => x.type === 'policy')) {
    const v = readPolicy(d);
    if (!v.ok) {
      report.reject(d, v.error.code, `policy document refused: ${v.error.message}`);
      continue;
    }
    if (v.value.key !== d.id) {
      // a genuine document moved under another id must not stand in for (or hide the loss of) the one there
      report.reject(d, 'wrong-id', `the document at ${d.id} is signed for ${v.value.key}`);
      continue;
    }
    const aim = target(v.value.value);
    if (aim === 'other-team') continue; // another team's layer: not ours, harmless
    if (aim) {
      report.reject(d, 'wrong-target', aim);
      continue;
    }
    if (v.value.issuedAt < (highWater[v.value.key] ?? -1)) {
      report.reject(
        d,
        'stale',
        `policy document ${v.value.key} issued ${new Date(v.value.issuedAt).toISOString()} is older than one already applied (replayed?)`,
      );
      continue;
    }
    offer(layerCands, { ...v.value, doc: d });
  }
  for (const [key, d] of Object.entries(prevKept)) {
    if (d.type !== 'policy' || layerCands.has(key)) continue;
    const v = readPolicy(d);
    if (!v.ok || target(v.value.value) !== null) continue; // e.g. the team layer of a team this employee has left
    offer(layerCands, { ...v.value, doc: d });
    if (v.value.value && !present.has(d.id)) report.vanished(d, `policy layer ${key}`);
  }
  const byLevel = new Map<string, { layer: PolicyLayer; issuedAt: number; docId: string }>();
  for (const c of layerCands.values()) {
    if (!c.value) continue;
    const cur = byLevel.get(c.value.level);
    if (!cur || c.issuedAt > cur.issuedAt)
      byLevel.set(c.value.level, { layer: c.value, issuedAt: c.issuedAt, docId: c.doc.id });
  }
  const chosen = [...byLevel.values()];
  const highWaterOut: Record<string, number> = {};
  const kept: Record<string, InboxDoc> = {};
  let policy: EffectivePolicy;
  const resolved = resolvePolicy(chosen.map((c) => c.layer));
  if (resolved.ok) {
    for (const c of layerCands.values()) {
      highWaterOut[c.key] = Math.max(highWater[c.key] ?? -1, c.issuedAt);
      kept[c.key] = c.doc;
    }
    policy = {
      policy: resolved.policy,
      source: resolved.source,
      ignored: resolved.ignored,
      layers: chosen.map((c) => ({ level: c.layer.level, id: c.layer.id, issuedAt: c.issuedAt, docId: c.docId })),
    };
  } else {
    // each layer verified alone; together they do not resolve: keep what was in force
    for (const c of chosen)
      report.refuse({
        id: c.docId,
        type: 'policy',
        code: resolved.error.code,
        reason: `policy layers do not resolve: ${resolved.error.message}`,
        version: `${c.docId}@${c.issuedAt}`,
      });
    for (const [key, d] of Object.entries(prevKept)) if (d.type === 'policy') kept[key] = d;
    policy = previous ?? defaultEffectivePolicy();
  }
  return { policy, highWater: highWaterOut, kept };
}

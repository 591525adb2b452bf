/**
 * Turns the inbox's documents into what the device may trust, with no I/O:
 *
 *   recipients  verified against the org key fingerprint pinned at enrollment
 *               and this employee; it yields the org signing key that every
 *               other document is checked with
 *   policy      one signed layer each; kept when it targets this device
 *               (organisation, its team, this employee, this device), folded
 *               with resolvePolicy
 *   decisions   signed by an hr or organisation key the recipients name
 *
 * A document that fails is never used: it is returned in `rejected` (the
 * watcher raises an integrity alert for it). `highWater` holds the newest
 * issuedAt accepted so far per document, so a server replaying an older
 * signed document (an older policy, a revoked key) is refused too.
 */
import {
  DEFAULT_POLICY,
  resolvePolicy,
  verifyDecisionDocument,
  verifyPolicyDocument,
  verifyRecipientsDocument,
  type CapturePolicy,
  type CorrectionDecisionPayload,
  type IgnoredOverride,
  type InboxDoc,
  type PolicyLayer,
  type PolicySource,
  type VerifiedRecipients,
} from '@sealtime/shared';
import { POLICY_LEAF_PATHS } from '@sealtime/shared';

export interface InboxTrust {
  deviceId: string;
  employeeId: string;
  orgKeyFingerprint: string;
}

export interface RejectedDoc {
  /** Inbox id of the document. */
  id: string;
  type: string;
  code: string;
  reason: string;
  /** Identifies this version of the document (alerts are raised once per version). */
  version: string;
}

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

export interface FoldedInbox {
  recipients: VerifiedRecipients | null;
  /** Why there are no keys yet, when recipients is null. */
  waitingReason: string | null;
  policy: EffectivePolicy;
  decisions: CorrectionDecisionPayload[];
  rejected: RejectedDoc[];
  /** Updated high-water marks (persist them). */
  highWater: Record<string, number>;
}

export function defaultEffectivePolicy(): EffectivePolicy {
  const source: Record<string, PolicySource> = {};
  for (const p of POLICY_LEAF_PATHS) source[p] = { level: 'default' };
  return { policy: structuredClone(DEFAULT_POLICY) as CapturePolicy, source, ignored: [], layers: [] };
}

/** A short, stable tag of one version of a document (its signature, else its issue time). */
export function docVersion(d: InboxDoc): string {
  const sig = (d.doc as { signature?: { sig?: unknown } } | undefined)?.signature?.sig;
  return `${d.id}@${typeof sig === 'string' ? sig.slice(0, 24) : String(d.issuedAt)}`;
}

export interface FoldPrevious {
  /** The recipients last accepted: kept when the inbox copy is replaced by one that fails. */
  recipients?: VerifiedRecipients | null;
  policy?: EffectivePolicy;
}

export function foldInbox(docs: readonly InboxDoc[], trust: InboxTrust, highWater: Readonly<Record<string, number>>, prev: FoldPrevious = {}): FoldedInbox {
  const previous = prev.policy;
  const rejected: RejectedDoc[] = [];
  const hw: Record<string, number> = { ...highWater };
  const reject = (d: InboxDoc, code: string, reason: string) => rejected.push({ id: d.id, type: d.type, code, reason, version: docVersion(d) });

  // ── recipients: exactly the doc with the well-known id ──
  let recipients: VerifiedRecipients | null = null;
  let waitingReason: string | null = 'no recipients document has arrived from the organisation yet (the device is waiting for its keys; nothing is recorded until they arrive)';
  for (const d of docs.filter((x) => x.type === 'recipients')) {
    const v = verifyRecipientsDocument(d.doc, { orgKeyFingerprint: trust.orgKeyFingerprint, employeeId: trust.employeeId });
    if (!v.ok) {
      reject(d, v.error.code, `recipients document refused: ${v.error.message}`);
      waitingReason = 'the recipients document did not verify against the organisation key named by the enrollment code; it was refused';
      continue;
    }
    const key = 'recipients';
    if (v.value.issuedAt < (hw[key] ?? -1)) {
      reject(d, 'stale', `recipients document issued ${new Date(v.value.issuedAt).toISOString()} is older than one already accepted (replayed?)`);
      continue;
    }
    if (!recipients || v.value.issuedAt >= recipients.issuedAt) recipients = v.value;
  }
  // a refused or vanished document does not take away keys already trusted
  if (!recipients && prev.recipients) recipients = prev.recipients;
  if (recipients) {
    hw.recipients = Math.max(hw.recipients ?? -1, recipients.issuedAt);
    waitingReason = null;
  }
  if (!recipients) {
    // nothing else can be checked without the org key; policy documents wait
    return { recipients, waitingReason, policy: previous ?? defaultEffectivePolicy(), decisions: [], rejected, highWater: hw };
  }

  // ── policy layers ──
  const orgKey = [recipients.orgSignPublicKey];
  const byLevel = new Map<string, { layer: PolicyLayer; issuedAt: number; docId: string }>();
  for (const d of docs.filter((x) => x.type === 'policy')) {
    const v = verifyPolicyDocument(d.doc, orgKey);
    if (!v.ok) {
      reject(d, v.error.code, `policy document refused: ${v.error.message}`);
      continue;
    }
    const { layer, issuedAt } = v.value;
    if ((layer.level === 'employee' && layer.id !== trust.employeeId) || (layer.level === 'device' && layer.id !== trust.deviceId)) {
      reject(d, 'wrong-target', `policy layer ${layer.level}:${layer.id} is not for this ${layer.level}`);
      continue;
    }
    if (layer.level === 'team' && layer.id !== recipients.teamId) continue; // another team's layer: not ours, harmless
    const key = `policy:${layer.level}:${layer.id}`;
    if (issuedAt < (hw[key] ?? -1)) {
      reject(d, 'stale', `policy layer ${layer.level}:${layer.id} issued ${new Date(issuedAt).toISOString()} is older than one already applied (replayed?)`);
      continue;
    }
    const cur = byLevel.get(layer.level);
    if (!cur || issuedAt > cur.issuedAt) byLevel.set(layer.level, { layer, issuedAt, docId: d.id });
  }
  const chosen = [...byLevel.values()];
  let policy: EffectivePolicy;
  const resolved = resolvePolicy(chosen.map((c) => c.layer));
  if (resolved.ok) {
    for (const c of chosen) hw[`policy:${c.layer.level}:${c.layer.id}`] = Math.max(hw[`policy:${c.layer.level}:${c.layer.id}`] ?? -1, c.issuedAt);
    policy = {
      policy: resolved.policy,
      source: resolved.source,
      ignored: resolved.ignored,
      layers: chosen.map((c) => ({ level: c.layer.level, id: c.layer.id, issuedAt: c.issuedAt, docId: c.docId })),
    };
  } else {
    // each layer verified alone; together they do not resolve: keep what was in force
    for (const c of chosen) rejected.push({ id: c.docId, type: 'policy', code: resolved.error.code, reason: `policy layers do not resolve: ${resolved.error.message}`, version: `${c.docId}@${c.issuedAt}` });
    policy = previous ?? defaultEffectivePolicy();
  }

  // ── correction decisions ──
  const deciders = [recipients.orgSignPublicKey, ...recipients.keys.hr.map((k) => k.signPublicKey), ...recipients.keys.organisation.map((k) => k.signPublicKey)];
  const decisions: CorrectionDecisionPayload[] = [];
  for (const d of docs.filter((x) => x.type === 'correction-decision')) {
    const v = verifyDecisionDocument(d.doc, trust.employeeId, deciders);
    if (!v.ok) {
      reject(d, v.error.code, `correction decision refused: ${v.error.message}`);
      continue;
    }
    decisions.push(v.value);
  }
  decisions.sort((a, b) => a.decidedAt - b.decidedAt);
  return { recipients, waitingReason, policy, decisions, rejected, highWater: hw };
}

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
 *   projects    signed by the organisation or this team's key (fold-projects.ts)
 *   manual time decisions (ids correction-decision:manual-time:…, subject
 *               'manual-time'): signed by the key of the approver the policy
 *               names (the team key for 'manager', the hr key for 'hr') or
 *               the organisation's; any other signer is refused
 *
 * A document that fails is never used: it is returned in `rejected` (the
 * watcher raises an integrity alert for it). `highWater` holds the newest
 * issuedAt accepted so far per document, so a server replaying an older
 * signed document (an older policy, a revoked key) is refused too.
 *
 * A signed document stops applying only by a newer signed one: a newer
 * version, or a signed withdrawal (withdrawal-document.ts) under the same
 * id. `kept` holds the last verified version of every policy layer and
 * decision; when the inbox copy vanishes (a `_deleted` anyone who may write
 * the inbox can post) or is replaced by one that fails, the kept version
 * stays in force, and a vanished one is reported as 'unsigned-removal'.
 * Key rings are not signed and not used by the device: one vanishing is
 * only reported.
 */
import {
  DEFAULT_POLICY,
  decisionDocId,
  isWithdrawal,
  MANUAL_DECISION_PREFIX,
  policyDocId,
  resolvePolicy,
  verifyDecisionDocument,
  verifyPolicyDocument,
  verifyRecipientsDocument,
  verifyWithdrawalDocument,
  keyFail,
  type KeyResult,
  type CapturePolicy,
  type CorrectionDecisionPayload,
  type DecisionSubject,
  type ProductivityRuleSet,
  type ProjectVersion,
  type IgnoredOverride,
  type InboxDoc,
  type PolicyLayer,
  type PolicySource,
  type VerifiedRecipients,
} from '@sealtime/shared';
import { POLICY_LEAF_PATHS } from '@sealtime/shared';
import { foldProjects } from './fold-projects.js';
import { foldRuleSets } from './fold-productivity.js';

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
  /** Verified projects that concern this employee, archived ones included. */
  projects: ProjectVersion[];
  /** Decisions on manual time entries (`requestId` is the entry id). */
  manualDecisions: CorrectionDecisionPayload[];
  /** verified productivity rule sets that apply here, organisation first (fold-productivity.ts) */
  productivity: ProductivityRuleSet[];
  rejected: RejectedDoc[];
  /** Updated high-water marks (persist them). */
  highWater: Record<string, number>;
  /** The last verified policy layers, decisions and withdrawals by the id they sign for (persist them). */
  kept: Record<string, InboxDoc>;
  /** Ids of the key rings seen in the inbox so far (persist them). */
  keyrings: string[];
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
  /** What the last fold returned as `kept`. */
  kept?: Readonly<Record<string, InboxDoc>>;
  /** What the last fold returned as `keyrings`. */
  keyrings?: readonly string[];
}

/** One verified signed document: `value` null when it is a withdrawal. */
interface Signed<T> {
  key: string;
  issuedAt: number;
  value: T | null;
  doc: InboxDoc;
}

/** Keeps the newest per key; at the same time a withdrawal wins (both are the signer's word). */
function offer<T>(into: Map<string, Signed<T>>, c: Signed<T>): void {
  const cur = into.get(c.key);
  if (!cur || c.issuedAt > cur.issuedAt || (c.issuedAt === cur.issuedAt && c.value === null)) into.set(c.key, c);
}

function readWithdrawal(
  doc: unknown,
  prefix: string,
  trusted: readonly Uint8Array[],
): KeyResult<{ key: string; issuedAt: number; value: null }> {
  const w = verifyWithdrawalDocument(doc, trusted);
  if (!w.ok) return w;
  if (!w.value.withdraws.startsWith(prefix))
    return keyFail(
      'malformed-document',
      `a withdrawal of ${w.value.withdraws} cannot stand in a ${prefix.slice(0, -1)} document`,
    );
  return { ok: true, value: { key: w.value.withdraws, issuedAt: w.value.issuedAt, value: null } };
}

export function foldInbox(
  docs: readonly InboxDoc[],
  trust: InboxTrust,
  highWater: Readonly<Record<string, number>>,
  prev: FoldPrevious = {},
): FoldedInbox {
  const previous = prev.policy;
  const prevKept = prev.kept ?? {};
  const rejected: RejectedDoc[] = [];
  const hw: Record<string, number> = { ...highWater };
  const reject = (d: InboxDoc, code: string, reason: string) =>
    rejected.push({ id: d.id, type: d.type, code, reason, version: docVersion(d) });
  const present = new Set(docs.map((d) => d.id));
  const vanished = (d: InboxDoc, what: string) =>
    rejected.push({
      id: d.id,
      type: d.type,
      code: 'unsigned-removal',
      reason: `${what} vanished from the inbox without a signed withdrawal; the last verified version stays in force`,
      version: `removed:${docVersion(d)}`,
    });

  // ── key rings: not signed and not used here, but one vanishing is reported ──
  const keyrings = [
    ...new Set([...(prev.keyrings ?? []), ...docs.filter((d) => d.type === 'keyring').map((d) => d.id)]),
  ];
  for (const id of prev.keyrings ?? []) {
    if (!present.has(id))
      rejected.push({
        id,
        type: 'keyring',
        code: 'unsigned-removal',
        reason: `key ring ${id} vanished from the inbox`,
        version: `removed:${id}`,
      });
  }

  // ── recipients: exactly the doc with the well-known id ──
  let recipients: VerifiedRecipients | null = null;
  let waitingReason: string | null =
    'no recipients document has arrived from the organisation yet (the device is waiting for its keys; nothing is recorded until they arrive)';
  const recipientDocs = docs.filter((x) => x.type === 'recipients');
  for (const d of recipientDocs) {
    const v = verifyRecipientsDocument(d.doc, {
      orgKeyFingerprint: trust.orgKeyFingerprint,
      employeeId: trust.employeeId,
    });
    if (!v.ok) {
      reject(d, v.error.code, `recipients document refused: ${v.error.message}`);
      waitingReason =
        'the recipients document did not verify against the organisation key named by the enrollment code; it was refused';
      continue;
    }
    const key = 'recipients';
    if (v.value.issuedAt < (hw[key] ?? -1)) {
      reject(
        d,
        'stale',
        `recipients document issued ${new Date(v.value.issuedAt).toISOString()} is older than one already accepted (replayed?)`,
      );
      continue;
    }
    if (!recipients || v.value.issuedAt >= recipients.issuedAt) recipients = v.value;
  }
  // a refused or vanished document does not take away keys already trusted
  if (!recipients && prev.recipients) {
    recipients = prev.recipients;
    if (recipientDocs.length === 0) {
      rejected.push({
        id: 'recipients',
        type: 'recipients',
        code: 'unsigned-removal',
        reason: 'the recipients document vanished from the inbox; the keys last verified stay in force',
        version: `removed:recipients@${recipients.issuedAt}`,
      });
    }
  }
  if (recipients) {
    hw.recipients = Math.max(hw.recipients ?? -1, recipients.issuedAt);
    waitingReason = null;
  }
  if (!recipients) {
    // nothing else can be checked without the org key; policy documents wait
    return {
      recipients,
      waitingReason,
      policy: previous ?? defaultEffectivePolicy(),
      decisions: [],
      projects: [],
      manualDecisions: [],
      productivity: [],
      rejected,
      highWater: hw,
      kept: { ...prevKept },
      keyrings,
    };
  }

  // ── policy layers ──
  const orgKey = [recipients.orgSignPublicKey];
  const teamId = recipients.teamId;
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
      (layer.level === 'employee' && layer.id !== trust.employeeId) ||
      (layer.level === 'device' && layer.id !== trust.deviceId)
    )
      return `policy layer ${layer.level}:${layer.id} is not for this ${layer.level}`;
    return layer.level === 'team' && layer.id !== teamId ? 'other-team' : null;
  };
  const layerCands = new Map<string, Signed<PolicyLayer>>();
  for (const d of docs.filter((x) => x.type === 'policy')) {
    const v = readPolicy(d);
    if (!v.ok) {
      reject(d, v.error.code, `policy document refused: ${v.error.message}`);
      continue;
    }
    if (v.value.key !== d.id) {
      // a genuine document moved under another id must not stand in for (or hide the loss of) the one there
      reject(d, 'wrong-id', `the document at ${d.id} is signed for ${v.value.key}`);
      continue;
    }
    const aim = target(v.value.value);
    if (aim === 'other-team') continue; // another team's layer: not ours, harmless
    if (aim) {
      reject(d, 'wrong-target', aim);
      continue;
    }
    if (v.value.issuedAt < (hw[v.value.key] ?? -1)) {
      reject(
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
    if (v.value.value && !present.has(d.id)) vanished(d, `policy layer ${key}`);
  }
  const byLevel = new Map<string, { layer: PolicyLayer; issuedAt: number; docId: string }>();
  for (const c of layerCands.values()) {
    if (!c.value) continue;
    const cur = byLevel.get(c.value.level);
    if (!cur || c.issuedAt > cur.issuedAt)
      byLevel.set(c.value.level, { layer: c.value, issuedAt: c.issuedAt, docId: c.doc.id });
  }
  const chosen = [...byLevel.values()];
  const kept: Record<string, InboxDoc> = {};
  let policy: EffectivePolicy;
  const resolved = resolvePolicy(chosen.map((c) => c.layer));
  if (resolved.ok) {
    for (const c of layerCands.values()) {
      hw[c.key] = Math.max(hw[c.key] ?? -1, c.issuedAt);
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
      rejected.push({
        id: c.docId,
        type: 'policy',
        code: resolved.error.code,
        reason: `policy layers do not resolve: ${resolved.error.message}`,
        version: `${c.docId}@${c.issuedAt}`,
      });
    for (const [key, d] of Object.entries(prevKept)) if (d.type === 'policy') kept[key] = d;
    policy = previous ?? defaultEffectivePolicy();
  }

  // ── decisions: corrections, and manual time (own id family, own signers) ──
  const isManual = (id: string) => id.startsWith(MANUAL_DECISION_PREFIX);
  const foldDecisions = (
    subject: DecisionSubject,
    deciders: readonly Uint8Array[],
    what: string,
  ): CorrectionDecisionPayload[] => {
    const mine = (d: InboxDoc) => d.type === 'correction-decision' && isManual(d.id) === (subject === 'manual-time');
    const readDecision = (d: InboxDoc): KeyResult<Omit<Signed<CorrectionDecisionPayload>, 'doc'>> => {
      if (isWithdrawal(d.doc)) return readWithdrawal(d.doc, 'correction-decision:', deciders);
      const v = verifyDecisionDocument(d.doc, trust.employeeId, deciders, subject);
      return v.ok
        ? {
            ok: true,
            value: { key: decisionDocId(v.value.requestId, subject), issuedAt: v.value.decidedAt, value: v.value },
          }
        : v;
    };
    const cands = new Map<string, Signed<CorrectionDecisionPayload>>();
    for (const d of docs.filter(mine)) {
      const v = readDecision(d);
      if (!v.ok) {
        reject(d, v.error.code, `${what} refused: ${v.error.message}`);
        continue;
      }
      if (v.value.key !== d.id) {
        reject(d, 'wrong-id', `the document at ${d.id} is signed for ${v.value.key}`);
        continue;
      }
      if (v.value.issuedAt < (hw[v.value.key] ?? -1)) {
        reject(
          d,
          'stale',
          `${what} ${v.value.key} of ${new Date(v.value.issuedAt).toISOString()} is older than one already accepted (replayed?)`,
        );
        continue;
      }
      offer(cands, { ...v.value, doc: d });
    }
    for (const [key, d] of Object.entries(prevKept)) {
      if (!mine(d) || cands.has(key)) continue;
      const v = readDecision(d);
      if (!v.ok) continue; // signed by a key the current recipients (or policy) no longer trust
      offer(cands, { ...v.value, doc: d });
      if (v.value.value && !present.has(d.id)) vanished(d, `${what} ${key}`);
    }
    const out: CorrectionDecisionPayload[] = [];
    for (const c of cands.values()) {
      hw[c.key] = Math.max(hw[c.key] ?? -1, c.issuedAt);
      kept[c.key] = c.doc;
      if (c.value) out.push(c.value);
    }
    return out.sort((a, b) => a.decidedAt - b.decidedAt);
  };
  const signKeys = (role: 'hr' | 'organisation' | 'team') => recipients.keys[role].map((k) => k.signPublicKey);
  const decisions = foldDecisions(
    'correction',
    [recipients.orgSignPublicKey, ...signKeys('hr'), ...signKeys('organisation')],
    'correction decision',
  );
  // the approver the policy in force names; the organisation may always decide
  // a policy kept by an older agent has no manualTime group: the default approver
  const approval = policy.policy.manualTime?.approval ?? DEFAULT_POLICY.manualTime.approval;
  const manualDecisions = foldDecisions(
    'manual-time',
    [
      recipients.orgSignPublicKey,
      ...signKeys('organisation'),
      ...(approval === 'manager' ? signKeys('team') : approval === 'hr' ? signKeys('hr') : []),
    ],
    'manual time decision',
  );

  const pf = foldProjects(docs, trust.employeeId, recipients, hw, prevKept, reject, vanished);
  Object.assign(hw, pf.highWater);
  Object.assign(kept, pf.kept);

  // ── productivity rule sets ──
  const rules = foldRuleSets(docs, recipients.orgSignPublicKey, teamId, hw, prevKept, { reject, vanished });
  Object.assign(hw, rules.highWater);
  Object.assign(kept, rules.kept);
  return {
    recipients,
    waitingReason,
    policy,
    decisions,
    projects: pf.projects,
    manualDecisions,
    productivity: rules.sets,
    rejected,
    highWater: hw,
    kept,
    keyrings,
  };
}

/**
 * Turns the inbox's documents into what the device may trust, with no I/O:
 *
 *   recipients  verified against the org key fingerprint pinned at enrollment
 *               and this employee; it yields the org signing key that every
 *               other document is checked with
 *   policy      one signed layer each; kept when it targets this device
 *               (organisation, its team, this employee, this device), folded
 *               with resolvePolicy (fold-policy.ts)
 *   decisions   signed by an hr or organisation key the recipients name
 *               (fold-decisions.ts)
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
  verifyRecipientsDocument,
  type CorrectionDecisionPayload,
  type DecisionSubject,
  type InboxDoc,
  type ProductivityRuleSet,
  type ProjectVersion,
  type VerifiedRecipients,
} from '@sealtime/shared';
import { foldDecisions } from './fold-decisions.js';
import { defaultEffectivePolicy, foldPolicy, type EffectivePolicy } from './fold-policy.js';
import { foldProjects } from './fold-projects.js';
import { foldRuleSets } from './fold-productivity.js';
import type { FoldReport, RejectedDoc } from './fold-report.js';

export { defaultEffectivePolicy, type AppliedLayer, type EffectivePolicy } from './fold-policy.js';
export type { RejectedDoc } from './fold-report.js';

export interface InboxTrust {
  deviceId: string;
  employeeId: string;
  orgKeyFingerprint: string;
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
  const teamId = recipients.teamId;
  const report: FoldReport = { reject, vanished, refuse: (r) => rejected.push(r) };
  const pol = foldPolicy(
    docs,
    recipients.orgSignPublicKey,
    { deviceId: trust.deviceId, employeeId: trust.employeeId, teamId },
    hw,
    prevKept,
    previous,
    report,
  );
  const policy = pol.policy;
  Object.assign(hw, pol.highWater);
  const kept: Record<string, InboxDoc> = { ...pol.kept };

  // ── decisions: corrections, and manual time (own id family, own signers) ──
  const decide = (subject: DecisionSubject, deciders: readonly Uint8Array[], what: string) => {
    const f = foldDecisions(docs, trust.employeeId, subject, deciders, what, hw, prevKept, report);
    Object.assign(hw, f.highWater);
    Object.assign(kept, f.kept);
    return f.decisions;
  };
  const signKeys = (role: 'hr' | 'organisation' | 'team') => recipients.keys[role].map((k) => k.signPublicKey);
  const decisions = decide(
    'correction',
    [recipients.orgSignPublicKey, ...signKeys('hr'), ...signKeys('organisation')],
    'correction decision',
  );
  // the approver the policy in force names; the organisation may always decide
  // a policy kept by an older agent has no manualTime group: the default approver
  const approval = policy.policy.manualTime?.approval ?? DEFAULT_POLICY.manualTime.approval;
  const manualDecisions = decide(
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

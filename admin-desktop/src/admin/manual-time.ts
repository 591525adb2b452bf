/**
 * Deciding manual time entries: who may, and the signed decision as the
 * inbox item the employee's device receives. Pure (no I/O): the app signs at
 * once and the outbox delivers later.
 *
 *   the entry names   decided by                  signed with
 *   'manager'         the manager of its team     that team's ring
 *   'hr'              HR                          the HR ring
 *   either            an admin                    the organisation ring
 *   'none'            nobody: approved at once
 *
 * The device checks the same rule by the key that signed (fold-inbox.ts),
 * and the server lets a manager write only into their teams' inboxes.
 */
import { createDecisionDocument, decisionDocId, type ManualTimeApproval, type UnlockedKeyring } from '@sealtime/shared';
import { AdminError } from './admin-error.js';
import type { InboxItem } from './inbox-publisher.js';
import { activeKeys } from './key-custody.js';

export interface Approver {
  /** The reviewer's role: 'manager', 'hr', 'admin', 'super-admin'. */
  role: string;
  teams: readonly string[];
  rings: readonly UnlockedKeyring[];
}

/** The ring that signs this reviewer's decision on an entry, or why they may not decide it. */
export function approverRing(
  who: Approver,
  entry: { approval: ManualTimeApproval; teamId: string | null },
): { ok: true; ring: UnlockedKeyring } | { ok: false; why: string } {
  const ringOf = (role: string, owner?: string) =>
    who.rings.find((r) => r.doc.role === role && (owner === undefined || r.doc.ownerId === owner));
  if (entry.approval === 'none') return { ok: false, why: 'this entry needs no approval (approved when made)' };
  if (who.role === 'admin' || who.role === 'super-admin') {
    const ring = ringOf('organisation');
    return ring ? { ok: true, ring } : { ok: false, why: 'the organisation key ring is not unlocked' };
  }
  if (entry.approval === 'manager') {
    if (who.role !== 'manager') return { ok: false, why: "the policy has the team's manager approve manual time" };
    if (!entry.teamId || !who.teams.includes(entry.teamId))
      return { ok: false, why: "only the manager of the employee's team approves it" };
    const ring = ringOf('team', entry.teamId);
    return ring ? { ok: true, ring } : { ok: false, why: `the key ring of team ${entry.teamId} is not unlocked` };
  }
  if (who.role !== 'hr') return { ok: false, why: 'the policy has HR approve manual time' };
  const ring = ringOf('hr');
  return ring ? { ok: true, ring } : { ok: false, why: 'the HR key ring is not unlocked' };
}

export interface ManualDecisionInput {
  entryId: string;
  employeeId: string;
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: number;
  comment?: string;
}

export function signManualDecision(d: ManualDecisionInput, ring: UnlockedKeyring): InboxItem {
  if (d.decision === 'rejected' && !d.comment?.trim())
    throw new AdminError('bad-input', 'a rejection says why: give a reason');
  const signed = createDecisionDocument(
    d.employeeId,
    {
      v: 1,
      requestId: d.entryId,
      decision: d.decision,
      decidedBy: d.decidedBy,
      decidedAt: d.decidedAt,
      ...(d.comment?.trim() ? { comment: d.comment.trim() } : {}),
    },
    activeKeys(ring),
    'manual-time',
  );
  if (!signed.ok) throw new AdminError('bad-input', `cannot sign the decision: ${signed.error.message}`);
  return {
    id: decisionDocId(d.entryId, 'manual-time'),
    type: 'correction-decision',
    issuedAt: d.decidedAt,
    doc: signed.value,
  };
}

/**
 * `corrections list` and `corrections decide`. Requests are read from
 * st-hr-attendance (HR and admins may read it) and opened with the HR key
 * (HR) or the organisation key (admins); a request is pending until a
 * decision document with its id is in the employee's inbox. A decision is
 * signed by the HR key — one the recipients document names, so the device
 * shows it as genuine — and written to that inbox.
 */
import {
  createDecisionDocument,
  dbNames,
  decisionDocId,
  recordClassOf,
  type CorrectionRequestPayload,
  type UnlockedKeyring,
} from '@sealtime/shared';
import { AdminError } from './admin-error.js';
import { employeeInbox } from './directory-docs.js';
import { publishToInbox, type InboxItem } from './inbox-publisher.js';
import { activeKeys } from './key-custody.js';
import type { Deps } from './people-setup.js';
import { deviceKeys, openRecords, readRecords, unlockScopeRing, type ReviewScope } from './record-reader.js';
import type { Me } from './ports.js';

export const HR_DB = dbNames.hrAttendance;

export interface CorrectionRow extends CorrectionRequestPayload {
  employeeId: string;
  deviceId: string;
  requestedAt: number;
  verified: boolean;
  status: 'pending' | 'approved' | 'rejected';
}

function listScope(me: Me): ReviewScope {
  if (me.role === 'hr') return { role: 'hr', db: HR_DB, keyRole: 'hr', ownerId: null, teamId: null };
  if (me.role === 'admin' || me.role === 'super-admin')
    return { role: me.role, db: HR_DB, keyRole: 'organisation', ownerId: null, teamId: null };
  throw new AdminError('forbidden', 'only HR and admins handle correction requests');
}

export interface ListInput {
  passphrase: string;
  keyringFile?: string;
  employeeId?: string;
  /** Include decided requests too. */
  all?: boolean;
}

export async function listCorrections(deps: Deps, input: ListInput): Promise<CorrectionRow[]> {
  const me = await deps.client.me();
  const scope = listScope(me);
  const ring = await unlockScopeRing(deps, scope, input.passphrase, input.keyringFile);
  // stored records show a class (v2) or a kind (v1): keep the correction class; opening tells request from decision
  const docs = (await readRecords(deps.client, HR_DB, input.employeeId)).filter(
    (d) => recordClassOf(d) === 'correction',
  );
  const employees = [...new Set(docs.map((d) => d.employeeId))];
  const out: CorrectionRow[] = [];
  for (const employeeId of employees) {
    const keys = await deviceKeys(deps.client, employeeId);
    const opened = openRecords(
      docs.filter((d) => d.employeeId === employeeId),
      ring,
      keys,
    );
    for (const r of opened.records) {
      if (r.kind !== 'correction-request') continue;
      const p = r.payload as CorrectionRequestPayload;
      const decided = await deps.client.getDoc<{ doc?: { decision?: { decision?: string } } }>(
        employeeInbox(employeeId),
        decisionDocId(p.requestId),
      );
      const d = decided?.doc?.decision?.decision;
      const status = d === 'approved' || d === 'rejected' ? d : 'pending';
      if (status !== 'pending' && !input.all) continue;
      out.push({ ...p, employeeId, deviceId: r.deviceId, requestedAt: r.createdAt, verified: r.verified, status });
    }
  }
  return out.sort((a, b) => a.requestedAt - b.requestedAt);
}

export interface DecideInput {
  requestId: string;
  decision: 'approve' | 'reject';
  comment?: string;
  /** Unlocks the HR key ring (and the list key for finding the request). */
  passphrase: string;
  keyringFile?: string;
}

export async function decideCorrection(
  deps: Deps,
  input: DecideInput,
): Promise<{ requestId: string; employeeId: string; decision: 'approved' | 'rejected'; docId: string }> {
  if (input.decision !== 'approve' && input.decision !== 'reject')
    throw new AdminError('bad-input', `decide takes approve or reject, not '${String(input.decision)}'`);
  const me = await deps.client.me();
  const pending = await listCorrections(deps, {
    passphrase: input.passphrase,
    ...(input.keyringFile ? { keyringFile: input.keyringFile } : {}),
    all: true,
  });
  const req = pending.find((r) => r.requestId === input.requestId);
  if (!req) throw new AdminError('not-found', `no correction request ${input.requestId} in ${HR_DB}`);
  if (req.status !== 'pending') throw new AdminError('exists', `request ${input.requestId} was already ${req.status}`);
  const hrRing = await unlockScopeRing(
    deps,
    { role: 'hr', db: HR_DB, keyRole: 'hr', ownerId: null, teamId: null },
    input.passphrase,
    me.role === 'hr' ? input.keyringFile : undefined,
  );
  const item = signCorrectionDecision(
    {
      requestId: req.requestId,
      employeeId: req.employeeId,
      decision: input.decision === 'approve' ? 'approved' : 'rejected',
      decidedBy: me.userId ?? 'unknown',
      decidedAt: (deps.now ?? Date.now)(),
      ...(input.comment ? { comment: input.comment } : {}),
    },
    hrRing,
  );
  await publishToInbox(deps.client, req.employeeId, [item]);
  return { requestId: req.requestId, employeeId: req.employeeId, decision: item.decision, docId: item.id };
}

export interface DecisionInput {
  requestId: string;
  employeeId: string;
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: number;
  comment?: string;
}

/**
 * The decision signed with the HR ring's active key, as the inbox item the
 * employee's device receives. No I/O: the app signs at once and may deliver
 * later (core/outbox.ts).
 */
export function signCorrectionDecision(
  d: DecisionInput,
  hrRing: UnlockedKeyring,
): InboxItem & { decision: 'approved' | 'rejected' } {
  const payload = {
    v: 1 as const,
    requestId: d.requestId,
    decision: d.decision,
    decidedBy: d.decidedBy,
    decidedAt: d.decidedAt,
    ...(d.comment ? { comment: d.comment } : {}),
  };
  const signed = createDecisionDocument(d.employeeId, payload, activeKeys(hrRing));
  if (!signed.ok) throw new AdminError('bad-input', `cannot sign the decision: ${signed.error.message}`);
  return {
    id: decisionDocId(d.requestId),
    type: 'correction-decision',
    issuedAt: d.decidedAt,
    doc: signed.value,
    decision: d.decision,
  };
}

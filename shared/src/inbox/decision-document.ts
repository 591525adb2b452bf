/**
 * A decision on an attendance correction, as HR (or the organisation) sends
 * it back to the employee's device: signed by a key the recipients document
 * lists for the hr or organisation role, so the device can show it as real.
 *
 * The same document decides a manual time entry (`subject: 'manual-time'`,
 * `requestId` = the entry's id), signed by whoever the policy names (the
 * team's key for a manager, the HR key). The subject is signed, and absent
 * means a correction, so documents made before it verify as they did; a
 * decision on one subject never stands for the other.
 */
import type { CorrectionDecisionPayload } from '../records/payload-types.js';
import { validatePayload } from '../records/record-kinds.js';
import { keyFail, type KeyResult } from '../keys/key-errors.js';
import { signDocument, verifyDocument, type DocumentSignature } from '../keys/signed-document.js';

export const DECISION_FORMAT = 'sealtime-correction-decision' as const;

export type DecisionSubject = 'correction' | 'manual-time';

/** Inbox ids of manual time decisions start with this (inside the correction-decision family the server knows). */
export const MANUAL_DECISION_PREFIX = 'correction-decision:manual-time:';

export interface DecisionDocument {
  format: typeof DECISION_FORMAT;
  v: 1;
  subject?: 'manual-time';
  employeeId: string;
  decision: CorrectionDecisionPayload;
  signature: DocumentSignature;
}

export function decisionDocId(requestId: string, subject: DecisionSubject = 'correction'): string {
  return subject === 'manual-time' ? `${MANUAL_DECISION_PREFIX}${requestId}` : `correction-decision:${requestId}`;
}

export function createDecisionDocument(
  employeeId: string,
  decision: CorrectionDecisionPayload,
  signer: { signPublicKey: Uint8Array; signSecretKey: Uint8Array },
  subject: DecisionSubject = 'correction',
): KeyResult<DecisionDocument> {
  const checked = validatePayload('correction-decision', decision);
  if (!checked.ok) return keyFail('malformed-document', checked.message);
  const plain = JSON.parse(JSON.stringify(decision)) as CorrectionDecisionPayload;
  return signDocument(
    {
      format: DECISION_FORMAT,
      v: 1 as const,
      ...(subject === 'manual-time' ? { subject } : {}),
      employeeId,
      decision: plain,
    },
    signer.signPublicKey,
    signer.signSecretKey,
  );
}

export function verifyDecisionDocument(
  input: unknown,
  employeeId: string,
  trustedSignKeys: readonly Uint8Array[],
  subject: DecisionSubject = 'correction',
): KeyResult<CorrectionDecisionPayload> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return keyFail('malformed-document', 'a decision document is a JSON object');
  const d = input as Record<string, unknown>;
  if (d.format !== DECISION_FORMAT || d.v !== 1)
    return keyFail('malformed-document', 'not a version 1 decision document');
  const docSubject = d.subject === undefined ? 'correction' : d.subject;
  if (docSubject !== subject)
    return keyFail('malformed-document', `a decision on a ${String(docSubject)}, not on a ${subject}`);
  const sig = verifyDocument(d, trustedSignKeys);
  if (!sig.ok) return sig;
  if (d.employeeId !== employeeId)
    return keyFail('malformed-document', `the decision is for ${String(d.employeeId)}, not ${employeeId}`);
  const checked = validatePayload('correction-decision', d.decision);
  if (!checked.ok) return keyFail('malformed-document', checked.message);
  return { ok: true, value: checked.value };
}

/**
 * A decision on an attendance correction, as HR (or the organisation) sends
 * it back to the employee's device: signed by a key the recipients document
 * lists for the hr or organisation role, so the device can show it as real.
 */
import type { CorrectionDecisionPayload } from '../records/payload-types.js';
import { validatePayload } from '../records/record-kinds.js';
import { keyFail, type KeyResult } from '../keys/key-errors.js';
import { signDocument, verifyDocument, type DocumentSignature } from '../keys/signed-document.js';

export const DECISION_FORMAT = 'sealtime-correction-decision' as const;

export interface DecisionDocument {
  format: typeof DECISION_FORMAT;
  v: 1;
  employeeId: string;
  decision: CorrectionDecisionPayload;
  signature: DocumentSignature;
}

export function decisionDocId(requestId: string): string {
  return `correction-decision:${requestId}`;
}

export function createDecisionDocument(
  employeeId: string,
  decision: CorrectionDecisionPayload,
  signer: { signPublicKey: Uint8Array; signSecretKey: Uint8Array },
): KeyResult<DecisionDocument> {
  const checked = validatePayload('correction-decision', decision);
  if (!checked.ok) return keyFail('malformed-document', checked.message);
  const plain = JSON.parse(JSON.stringify(decision)) as CorrectionDecisionPayload;
  return signDocument(
    { format: DECISION_FORMAT, v: 1 as const, employeeId, decision: plain },
    signer.signPublicKey,
    signer.signSecretKey,
  );
}

export function verifyDecisionDocument(
  input: unknown,
  employeeId: string,
  trustedSignKeys: readonly Uint8Array[],
): KeyResult<CorrectionDecisionPayload> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return keyFail('malformed-document', 'a decision document is a JSON object');
  const d = input as Record<string, unknown>;
  if (d.format !== DECISION_FORMAT || d.v !== 1)
    return keyFail('malformed-document', 'not a version 1 decision document');
  const sig = verifyDocument(d, trustedSignKeys);
  if (!sig.ok) return sig;
  if (d.employeeId !== employeeId)
    return keyFail('malformed-document', `the decision is for ${String(d.employeeId)}, not ${employeeId}`);
  const checked = validatePayload('correction-decision', d.decision);
  if (!checked.ok) return keyFail('malformed-document', checked.message);
  return { ok: true, value: checked.value };
}

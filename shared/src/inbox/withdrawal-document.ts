/**
 * A signed tombstone: the only way a signed inbox document (a policy layer,
 * a correction decision) may stop applying. It takes the place of the
 * document it withdraws (same inbox id, same type) and names that id inside
 * the signature, so a server cannot move a genuine withdrawal onto another
 * document. Devices refuse one not newer than what they already accepted
 * for that id, and treat a document that merely vanishes (a CouchDB
 * `_deleted`, which anyone who may write the inbox can post) as tampering:
 * the last verified version stays in force.
 */
import { keyFail, type KeyResult } from '../keys/key-errors.js';
import { signDocument, verifyDocument, type DocumentSignature } from '../keys/signed-document.js';

export const WITHDRAWAL_FORMAT = 'sealtime-withdrawal' as const;
const WITHDRAWABLE =
  /^(policy:(organisation|team|employee|device)|correction-decision):[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export interface WithdrawalDocument {
  format: typeof WITHDRAWAL_FORMAT;
  v: 1;
  /** The inbox id of the document withdrawn, e.g. `policy:team:t1`. */
  withdraws: string;
  issuedAt: number;
  signature: DocumentSignature;
}

/** True when an inbox document's content claims to be a withdrawal (whether or not it verifies). */
export function isWithdrawal(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === WITHDRAWAL_FORMAT;
}

export function createWithdrawalDocument(
  withdraws: string,
  issuedAt: number,
  signer: { signPublicKey: Uint8Array; signSecretKey: Uint8Array },
): KeyResult<WithdrawalDocument> {
  if (!WITHDRAWABLE.test(withdraws))
    return keyFail('malformed-document', `${withdraws} is not the id of a policy layer or a correction decision`);
  if (!Number.isSafeInteger(issuedAt) || issuedAt < 0)
    return keyFail('malformed-document', 'issuedAt must be a time in ms');
  return signDocument(
    { format: WITHDRAWAL_FORMAT, v: 1 as const, withdraws, issuedAt },
    signer.signPublicKey,
    signer.signSecretKey,
  );
}

export function verifyWithdrawalDocument(
  input: unknown,
  trustedSignKeys: readonly Uint8Array[],
): KeyResult<{ withdraws: string; issuedAt: number }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return keyFail('malformed-document', 'a withdrawal is a JSON object');
  const d = input as Record<string, unknown>;
  if (d.format !== WITHDRAWAL_FORMAT || d.v !== 1) return keyFail('malformed-document', 'not a version 1 withdrawal');
  const sig = verifyDocument(d, trustedSignKeys);
  if (!sig.ok) return sig;
  if (typeof d.withdraws !== 'string' || !WITHDRAWABLE.test(d.withdraws))
    return keyFail('malformed-document', 'withdraws must name a policy layer or a correction decision');
  if (!Number.isSafeInteger(d.issuedAt) || (d.issuedAt as number) < 0)
    return keyFail('malformed-document', 'issuedAt must be a time in ms');
  return { ok: true, value: { withdraws: d.withdraws, issuedAt: d.issuedAt as number } };
}

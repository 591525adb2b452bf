/**
 * What the policy and decision folds share: a verified signed document as a
 * candidate under the id it signs for, the rule that picks among candidates,
 * and reading a signed withdrawal in place of a document.
 */
import { keyFail, verifyWithdrawalDocument, type InboxDoc, type KeyResult } from '@sealtime/shared';

/** One verified signed document: `value` null when it is a withdrawal. */
export interface Signed<T> {
  key: string;
  issuedAt: number;
  value: T | null;
  doc: InboxDoc;
}

/** Keeps the newest per key; at the same time a withdrawal wins (both are the signer's word). */
export function offer<T>(into: Map<string, Signed<T>>, c: Signed<T>): void {
  const cur = into.get(c.key);
  if (!cur || c.issuedAt > cur.issuedAt || (c.issuedAt === cur.issuedAt && c.value === null)) into.set(c.key, c);
}

export function readWithdrawal(
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

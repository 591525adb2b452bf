/**
 * The decisions part of folding the inbox (fold-inbox.ts): correction
 * decisions, and decisions on manual time entries (ids
 * correction-decision:manual-time:…, subject 'manual-time'), each family
 * checked with its own signers. A decision stops applying only by a newer
 * signed one or a signed withdrawal; a kept decision whose inbox copy
 * vanished stays in force and is reported.
 */
import {
  decisionDocId,
  isWithdrawal,
  MANUAL_DECISION_PREFIX,
  verifyDecisionDocument,
  type CorrectionDecisionPayload,
  type DecisionSubject,
  type InboxDoc,
  type KeyResult,
} from '@sealtime/shared';
import type { FoldReport } from './fold-report.js';
import { offer, readWithdrawal, type Signed } from './signed-candidates.js';

export interface DecisionFold {
  /** The decisions in force, oldest first. */
  decisions: CorrectionDecisionPayload[];
  /** Newest decidedAt accepted per decision id. */
  highWater: Record<string, number>;
  /** Last verified document (or withdrawal) per decision id. */
  kept: Record<string, InboxDoc>;
}

const isManual = (id: string) => id.startsWith(MANUAL_DECISION_PREFIX);

/** The decisions of one subject for this employee, signed by one of `deciders`; `what` names them in reports. */
export function foldDecisions(
  docs: readonly InboxDoc[],
  employeeId: string,
  subject: DecisionSubject,
  deciders: readonly Uint8Array[],
  what: string,
  highWater: Readonly<Record<string, number>>,
  prevKept: Readonly<Record<string, InboxDoc>>,
  report: FoldReport,
): DecisionFold {
  const present = new Set(docs.map((d) => d.id));
  const mine = (d: InboxDoc) => d.type === 'correction-decision' && isManual(d.id) === (subject === 'manual-time');
  const readDecision = (d: InboxDoc): KeyResult<Omit<Signed<CorrectionDecisionPayload>, 'doc'>> => {
    if (isWithdrawal(d.doc)) return readWithdrawal(d.doc, 'correction-decision:', deciders);
    const v = verifyDecisionDocument(d.doc, employeeId, deciders, subject);
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
      report.reject(d, v.error.code, `${what} refused: ${v.error.message}`);
      continue;
    }
    if (v.value.key !== d.id) {
      report.reject(d, 'wrong-id', `the document at ${d.id} is signed for ${v.value.key}`);
      continue;
    }
    if (v.value.issuedAt < (highWater[v.value.key] ?? -1)) {
      report.reject(
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
    if (v.value.value && !present.has(d.id)) report.vanished(d, `${what} ${key}`);
  }
  const out: DecisionFold = { decisions: [], highWater: {}, kept: {} };
  for (const c of cands.values()) {
    out.highWater[c.key] = Math.max(highWater[c.key] ?? -1, c.issuedAt);
    out.kept[c.key] = c.doc;
    if (c.value) out.decisions.push(c.value);
  }
  out.decisions.sort((a, b) => a.decidedAt - b.decidedAt);
  return out;
}

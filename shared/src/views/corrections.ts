/**
 * Correction requests with their decisions, and the clock events as the
 * approved ones make them. A request is decided by its latest intact
 * decision; pending and rejected requests change nothing.
 *
 *   add    → a new event at `at`, source 'correction'
 *   remove → the event recorded as `target` ("<deviceId>:<seq>") is dropped
 *   move   → that event is moved to `at`, source 'correction'
 */
import type { CorrectionRequestPayload } from '../records/payload-types.js';
import type { AttendanceEventView } from './attendance-events.js';
import { intactOfKind, type OpenedRecord } from './opened-record.js';

export type CorrectionStatus = 'pending' | 'approved' | 'rejected';

export type CorrectionView = Omit<CorrectionRequestPayload, 'v'> & {
  recordId: string;
  employeeId: string;
  requestedAt: number;
  status: CorrectionStatus;
  decidedBy?: string;
  decidedAt?: number;
  comment?: string;
};

/** Pending first, then by date and request time. */
export function correctionsOf(records: readonly OpenedRecord[]): CorrectionView[] {
  const decisions = new Map<string, OpenedRecord & { kind: 'correction-decision' }>();
  for (const d of intactOfKind(records, 'correction-decision')) {
    const seen = decisions.get(d.payload.requestId);
    if (!seen || d.payload.decidedAt > seen.payload.decidedAt)
      decisions.set(d.payload.requestId, d as OpenedRecord & { kind: 'correction-decision' });
  }
  const seenIds = new Set<string>();
  const out: CorrectionView[] = [];
  for (const r of intactOfKind(records, 'correction-request')) {
    // the same request can reach us twice (records and corrections lists)
    if (seenIds.has(r.id)) continue;
    seenIds.add(r.id);
    const { v: _v, ...request } = r.payload;
    const decision = decisions.get(request.requestId)?.payload;
    out.push({
      ...request,
      recordId: r.id,
      employeeId: r.employeeId,
      requestedAt: r.createdAt,
      status: decision ? decision.decision : 'pending',
      ...(decision ? { decidedBy: decision.decidedBy, decidedAt: decision.decidedAt } : {}),
      ...(decision?.comment ? { comment: decision.comment } : {}),
    });
  }
  const rank = (c: CorrectionView) => (c.status === 'pending' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || a.date.localeCompare(b.date) || a.requestedAt - b.requestedAt);
}

export type CorrectedEvent = AttendanceEventView & { correctedBy?: string };

/** `events` with the approved corrections of their person applied, sorted. */
export function applyCorrections(
  events: readonly AttendanceEventView[],
  corrections: readonly CorrectionView[],
): CorrectedEvent[] {
  let out: CorrectedEvent[] = [...events];
  for (const c of corrections) {
    if (c.status !== 'approved') continue;
    if (c.change === 'add' && c.at !== undefined) {
      out.push({
        at: c.at,
        type: c.eventType,
        source: 'correction',
        recordId: c.recordId,
        deviceId: '',
        correctedBy: c.requestId,
      });
    } else if (c.change === 'remove' && c.target) {
      out = out.filter((e) => e.recordId !== c.target);
    } else if (c.change === 'move' && c.target && c.at !== undefined) {
      const at = c.at;
      out = out.map((e) =>
        e.recordId === c.target ? { ...e, at, source: 'correction' as const, correctedBy: c.requestId } : e,
      );
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

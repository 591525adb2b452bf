/**
 * Everything a reviewer should distrust or know about a span of time, as one
 * list: records that failed verification (never counted as data), the
 * integrity-alert records devices and the core raise (chain gaps, tampering,
 * clock jumps, input automation), and suspensions from idle periods.
 */
import type { TimeInterval } from '../attendance/types.js';
import { intactOfKind, type OpenedRecord } from './opened-record.js';

export type AlertSeverity = 'critical' | 'warning' | 'info';

export type IntegrityAlertView = {
  at: number;
  deviceId: string;
  /** an IntegrityAlertPayload issue, 'failed-verification' or 'suspended' */
  issue: string;
  severity: AlertSeverity;
  text: string;
  recordId?: string;
  fromSeq?: number;
  toSeq?: number;
  /** end of the span the alert covers (suspensions) */
  until?: number;
};

// Issues are open-ended (agents may add detectors); unknown ones still show.
const ISSUES: Record<string, [AlertSeverity, string]> = {
  missing: ['critical', 'Records missing from the device chain'],
  reordered: ['warning', 'Records out of order in the device chain'],
  altered: ['critical', 'A record was altered (tampered)'],
  forged: ['critical', 'A forged record was found'],
  fork: ['critical', 'The device chain forked into two histories'],
  'broken-link': ['critical', 'A broken link in the device chain'],
  malformed: ['warning', 'A malformed record'],
  'clock-jump': ['warning', 'The device clock jumped'],
  'dropped-capture': ['warning', 'Captures were dropped on the device'],
  jiggler: ['warning', 'Mouse jiggler suspected'],
  'auto-clicker': ['warning', 'Auto-clicker suspected'],
};

export function describeIssue(issue: string): [AlertSeverity, string] {
  return ISSUES[issue] ?? ['warning', `Integrity issue: ${issue}`];
}

const seqRange = (from?: number, to?: number): string =>
  from === undefined ? '' : to === undefined || to === from ? ` (seq ${from})` : ` (seq ${from}–${to})`;

const within = (t: number, bounds: TimeInterval) => t >= bounds.start && t < bounds.end;

/** Alerts whose time falls in `bounds`, oldest first. */
export function integrityAlertsIn(records: readonly OpenedRecord[], bounds: TimeInterval): IntegrityAlertView[] {
  const out: IntegrityAlertView[] = [];
  for (const r of records) {
    if (r.integrity === 'ok' || !within(r.createdAt, bounds)) continue;
    out.push({
      at: r.createdAt,
      deviceId: r.deviceId,
      issue: 'failed-verification',
      severity: 'critical',
      text: `Record ${r.id} (${r.kind}) failed verification (${r.integrity}); it is not counted`,
      recordId: r.id,
    });
  }
  for (const r of intactOfKind(records, 'integrity-alert')) {
    const p = r.payload;
    if (!within(p.at, bounds)) continue;
    const [severity, text] = describeIssue(p.issue);
    out.push({
      at: p.at,
      deviceId: p.deviceId,
      issue: p.issue,
      severity,
      text: `${text}${seqRange(p.fromSeq, p.toSeq)}${p.detail ? `: ${p.detail}` : ''}`,
      recordId: r.id,
      ...(p.fromSeq !== undefined ? { fromSeq: p.fromSeq } : {}),
      ...(p.toSeq !== undefined ? { toSeq: p.toSeq } : {}),
    });
  }
  for (const r of intactOfKind(records, 'idle-period')) {
    const p = r.payload;
    if (p.cause !== 'suspended' || !within(p.start, bounds)) continue;
    const minutes = Math.round((p.end - p.start) / 60_000);
    out.push({
      at: p.start,
      until: p.end,
      deviceId: r.deviceId,
      issue: 'suspended',
      severity: 'info',
      text: `Device suspended for ${minutes} min`,
      recordId: r.id,
    });
  }
  return out.sort((a, b) => a.at - b.at || a.deviceId.localeCompare(b.deviceId));
}

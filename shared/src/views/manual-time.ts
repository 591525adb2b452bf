/**
 * Manual time as reviewers and reports see it: each entry with its status
 * (from the signed decisions, or approved at once when the policy needs no
 * approval), flagged when it overlaps tracked activity or another manual
 * entry, and totals split by person, project and local day. Manual time is
 * never folded into tracked time: callers show it as its own figures.
 *
 * An entry across local midnight counts on both days:
 *
 *   23:00 ─────────┼──────── 01:30      → 1 h on day 1, 1.5 h on day 2
 *               midnight
 */
import { addDays } from '../attendance/local-date.js';
import { localDateOf } from '../attendance/time-zone.js';
import { overlapMs, overlappingManual, trackedOverlapSeconds } from '../manual-time/manual-entry.js';
import type { ManualTimeApproval } from '../policy/policy-types.js';
import type { ProjectRef } from '../projects/project-ref.js';
import { intactOfKind, type OpenedRecord } from './opened-record.js';
import { dayBounds } from './slot-grid.js';

export type ManualStatus = 'pending' | 'approved' | 'rejected';

/** A verified decision on one entry (a signed inbox document, or one this app signed and queued). */
export interface ManualDecision {
  entryId: string;
  employeeId: string;
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: number;
  comment?: string;
  /** Signed here, still waiting in the outbox. */
  queued?: boolean;
}

/** What a manual entry needs to be counted. */
export interface ManualEntry {
  employeeId: string;
  entryId: string;
  start: number;
  end: number;
  project?: ProjectRef;
  /** Who approves it, as the entry states (the device's policy when made); else `approvalOf` decides. */
  approval?: ManualTimeApproval;
}

export interface ManualEntryView extends ManualEntry {
  recordId: string;
  deviceId: string;
  note: string;
  requestedAt: number;
  status: ManualStatus;
  decidedBy?: string;
  decidedAt?: number;
  comment?: string;
  queued?: boolean;
  /** Active seconds of the person's tracked slots inside the entry (any device): flagged when > 0. */
  trackedOverlapSeconds: number;
  /** Another manual entry of the same person it overlaps (only possible from two devices). */
  overlapsEntry?: string;
}

export type ApprovalOf = (employeeId: string) => ManualTimeApproval;

const DEFAULT_APPROVAL: ApprovalOf = () => 'manager';

/** The latest decision per employee and entry. */
function latestDecisions(decisions: readonly ManualDecision[]): Map<string, ManualDecision> {
  const out = new Map<string, ManualDecision>();
  for (const d of decisions) {
    const key = `${d.employeeId}\u0000${d.entryId}`;
    const seen = out.get(key);
    if (!seen || d.decidedAt > seen.decidedAt) out.set(key, d);
  }
  return out;
}

/** An entry's status: its decision's, else approved when nobody needs to approve, else pending. */
export function manualStatusOf(
  decision: Pick<ManualDecision, 'decision'> | undefined,
  approval: ManualTimeApproval,
): ManualStatus {
  if (decision) return decision.decision;
  return approval === 'none' ? 'approved' : 'pending';
}

/** Every intact manual entry of `records` with its status and flags; pending first, then by start. */
export function manualEntriesOf(
  records: readonly OpenedRecord[],
  decisions: readonly ManualDecision[],
  approvalOf: ApprovalOf = DEFAULT_APPROVAL,
): ManualEntryView[] {
  const latest = latestDecisions(decisions);
  const entries = intactOfKind(records, 'manual-time');
  const slots = intactOfKind(records, 'activity-slot');
  const seen = new Set<string>();
  const out: ManualEntryView[] = [];
  for (const r of entries) {
    if (seen.has(r.id)) continue; // the same record can arrive from two databases
    seen.add(r.id);
    const p = r.payload;
    const decision = latest.get(`${r.employeeId}\u0000${p.entryId}`);
    const mine = slots.filter((s) => s.employeeId === r.employeeId).map((s) => s.payload);
    const others = entries.filter((o) => o.employeeId === r.employeeId && o.id !== r.id).map((o) => o.payload);
    const clash = overlappingManual(p, others);
    out.push({
      recordId: r.id,
      deviceId: r.deviceId,
      employeeId: r.employeeId,
      entryId: p.entryId,
      start: p.start,
      end: p.end,
      note: p.note,
      ...(p.project ? { project: p.project } : {}),
      approval: p.approval,
      requestedAt: r.createdAt,
      status: manualStatusOf(decision, p.approval ?? approvalOf(r.employeeId)),
      ...(decision
        ? {
            decidedBy: decision.decidedBy,
            decidedAt: decision.decidedAt,
            ...(decision.comment ? { comment: decision.comment } : {}),
            ...(decision.queued ? { queued: true } : {}),
          }
        : {}),
      trackedOverlapSeconds: trackedOverlapSeconds(p, mine),
      ...(clash ? { overlapsEntry: clash.entryId } : {}),
    });
  }
  const rank = (e: ManualEntryView) => (e.status === 'pending' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || a.start - b.start);
}

/** Milliseconds of manual time by status. */
export interface ManualTotals {
  approved: number;
  pending: number;
  rejected: number;
}

export interface ManualTotalsRow extends ManualTotals {
  personId: string;
  /** null: the entry names no project. */
  projectId: string | null;
  /** Local date in the person's time zone. */
  date: string;
}

export interface ManualRange {
  /** Local dates, inclusive. */
  from: string;
  to: string;
  timeZoneOf: (employeeId: string) => string;
  approvalOf?: ApprovalOf;
}

export const NO_MANUAL: ManualTotals = Object.freeze({ approved: 0, pending: 0, rejected: 0 });

/**
 * Manual time per person, project and local day inside the range, split by
 * status. Rows only where there is some; sorted by person, date, project.
 */
export function manualTimeTotals(
  entries: readonly ManualEntry[],
  decisions: readonly ManualDecision[],
  range: ManualRange,
): ManualTotalsRow[] {
  const latest = latestDecisions(decisions);
  const approvalOf = range.approvalOf ?? DEFAULT_APPROVAL;
  const rows = new Map<string, ManualTotalsRow>();
  const seen = new Set<string>();
  for (const e of entries) {
    const id = `${e.employeeId}\u0000${e.entryId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const status = manualStatusOf(latest.get(id), e.approval ?? approvalOf(e.employeeId));
    const tz = range.timeZoneOf(e.employeeId);
    // every local day the entry touches (at most two or three: an entry is ≤ 24 h)
    for (let date = localDateOf(e.start, tz); date <= localDateOf(e.end - 1, tz); date = addDays(date, 1)) {
      if (date < range.from || date > range.to) continue;
      const ms = overlapMs(e, dayBounds(date, tz));
      if (ms <= 0) continue;
      const projectId = e.project?.projectId ?? null;
      const key = `${e.employeeId}\u0000${date}\u0000${projectId ?? ''}`;
      const row = rows.get(key) ?? { personId: e.employeeId, projectId, date, approved: 0, pending: 0, rejected: 0 };
      row[status] += ms;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.personId.localeCompare(b.personId) ||
      a.date.localeCompare(b.date) ||
      (a.projectId ?? '').localeCompare(b.projectId ?? ''),
  );
}

/** The sum of `rows` that pass `keep`. */
export function sumManual(
  rows: readonly ManualTotalsRow[],
  keep: (r: ManualTotalsRow) => boolean = () => true,
): ManualTotals {
  const out = { approved: 0, pending: 0, rejected: 0 };
  for (const r of rows) {
    if (!keep(r)) continue;
    out.approved += r.approved;
    out.pending += r.pending;
    out.rejected += r.rejected;
  }
  return out;
}

/** Manual time beside a timesheet report: the total and each row's share (row key as the report's). */
export interface ReportManual {
  totals: ManualTotals;
  byRow: Record<string, ManualTotals>;
}

/**
 * `rows` folded the way a report groups: by person id, team id ('' for no
 * team) or date. Only the people given count (the report's scope).
 */
export function manualForReport(
  rows: readonly ManualTotalsRow[],
  groupBy: 'person' | 'team' | 'day',
  people: ReadonlyArray<{ id: string; teamId?: string }>,
): ReportManual {
  const teamOf = new Map(people.map((p) => [p.id, p.teamId ?? '']));
  const mine = rows.filter((r) => teamOf.has(r.personId));
  const byRow: Record<string, ManualTotals> = {};
  for (const r of mine) {
    const key = groupBy === 'person' ? r.personId : groupBy === 'team' ? teamOf.get(r.personId)! : r.date;
    const t = (byRow[key] ??= { approved: 0, pending: 0, rejected: 0 });
    t.approved += r.approved;
    t.pending += r.pending;
    t.rejected += r.rejected;
  }
  return { totals: sumManual(mine), byRow };
}

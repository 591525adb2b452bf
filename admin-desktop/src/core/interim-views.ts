/**
 * Interim view builders (pure) for the API's placeholder view types, until
 * the view models of shared/src/views replace them. Input: opened records of
 * the day(s) asked; output: what view-types.ts declares.
 */
import { aggregateActivity, computeDay, localDateOf, type ActivitySlotPayload, type AttendanceEvent, type OpenedRecord } from '@sealtime/shared';
import type { AttendanceSheetView, DashboardView, GalleryView, PersonDayView, ReportView } from '../api/view-types.js';
import type { Person } from '../api/admin-api.js';

const of = <K extends OpenedRecord['kind']>(records: readonly OpenedRecord[], kind: K) => records.filter((r): r is Extract<OpenedRecord, { kind: K }> => r.kind === kind);

function workedMs(records: readonly OpenedRecord[], date: string, timeZone: string, now: number): number {
  const events: AttendanceEvent[] = of(records, 'attendance').map((r) => ({ at: r.payload.at, type: r.payload.type, source: r.payload.source }));
  return events.length === 0 ? 0 : computeDay(events, { timeZone, days: {}, graceMinutes: 0 }, date, now).workedMs;
}

export function interimDashboard(date: string, people: readonly Person[], dayOf: (employeeId: string) => { records: readonly OpenedRecord[]; problems: number }, timeZone: string, now: number): DashboardView {
  return {
    date,
    people: people.map((p) => {
      const { records, problems } = dayOf(p.employeeId);
      const slots: ActivitySlotPayload[] = of(records, 'activity-slot').map((r) => r.payload);
      return {
        employeeId: p.employeeId,
        displayName: p.displayName,
        teamId: p.teamId,
        workedMs: workedMs(records, date, timeZone, now),
        activityPercent: slots.length > 0 ? aggregateActivity(slots).percent : null,
        screenshots: of(records, 'screenshot').length,
        problems,
      };
    }),
  };
}

export function interimPersonDay(employeeId: string, date: string, records: readonly OpenedRecord[], problems: number): PersonDayView {
  const spans: PersonDayView['spans'] = [];
  for (const r of records) {
    if (r.kind === 'activity-slot') spans.push({ start: r.payload.start, end: r.payload.start + r.payload.slotSeconds * 1000, label: `${Math.round((100 * r.payload.activeSeconds) / Math.max(1, r.payload.slotSeconds))}% active`, kind: 'activity' });
    else if (r.kind === 'app-event') spans.push({ start: r.payload.start, end: r.payload.start + r.payload.durationMs, label: r.payload.app, kind: 'app' });
    else if (r.kind === 'attendance') spans.push({ start: r.payload.at, end: r.payload.at, label: r.payload.type, kind: 'attendance' });
    else if (r.kind === 'idle-period') spans.push({ start: r.payload.start, end: r.payload.end, label: `idle (${r.payload.cause})`, kind: 'idle' });
  }
  return { employeeId, date, spans: spans.sort((a, b) => a.start - b.start), problems };
}

export function interimGallery(employeeId: string, date: string, records: readonly OpenedRecord[]): GalleryView {
  return {
    employeeId,
    date,
    shots: of(records, 'screenshot')
      .map((r) => ({ recordId: r.id, takenAt: r.payload.takenAt, width: r.payload.width, height: r.payload.height, app: r.payload.app ?? null, blurred: r.payload.blurred }))
      .sort((a, b) => a.takenAt - b.takenAt),
  };
}

export function interimAttendance(from: string, to: string, employees: readonly string[], daysOf: (employeeId: string) => Map<string, readonly OpenedRecord[]>, timeZone: string, now: number): AttendanceSheetView {
  const rows: AttendanceSheetView['rows'] = [];
  for (const e of employees) for (const [date, recs] of daysOf(e)) if (date >= from && date <= to) rows.push({ employeeId: e, date, workedMs: workedMs(recs, date, timeZone, now) });
  return { from, to, rows: rows.sort((a, b) => a.employeeId.localeCompare(b.employeeId) || a.date.localeCompare(b.date)) };
}

export function interimReport(from: string, to: string, employees: readonly string[], daysOf: (employeeId: string) => Map<string, readonly OpenedRecord[]>, timeZone: string, now: number): ReportView {
  return {
    from,
    to,
    rows: employees.map((e) => {
      let worked = 0;
      let active = 0;
      for (const [date, recs] of daysOf(e)) {
        if (date < from || date > to) continue;
        worked += workedMs(recs, date, timeZone, now);
        for (const s of of(recs, 'activity-slot')) active += s.payload.activeSeconds * 1000;
      }
      return { employeeId: e, workedMs: worked, activeMs: active };
    }),
  };
}

export const dayKey = (at: number, timeZone: string): string => localDateOf(at, timeZone);

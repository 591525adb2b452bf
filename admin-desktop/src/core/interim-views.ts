/**
 * Interim view builders (pure) for the API's placeholder view types (gallery,
 * attendance sheet, report), until shared/src/views has theirs. Input: opened records of
 * the day(s) asked; output: what view-types.ts declares.
 */
import { computeDay, type AttendanceEvent, type OpenedRecord } from '@sealtime/shared';
import type { AttendanceSheetView, GalleryView, ReportView } from '../api/view-types.js';

const of = <K extends OpenedRecord['kind']>(records: readonly OpenedRecord[], kind: K) => records.filter((r): r is Extract<OpenedRecord, { kind: K }> => r.kind === kind);

function workedMs(records: readonly OpenedRecord[], date: string, timeZone: string, now: number): number {
  const events: AttendanceEvent[] = of(records, 'attendance').map((r) => ({ at: r.payload.at, type: r.payload.type, source: r.payload.source }));
  return events.length === 0 ? 0 : computeDay(events, { timeZone, days: {}, graceMinutes: 0 }, date, now).workedMs;
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

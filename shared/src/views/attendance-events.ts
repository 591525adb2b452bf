/** Clock events out of intact attendance records, keeping which record said so. */
import type { AttendanceEvent } from '../attendance/types.js';
import { intactOfKind, type OpenedRecord } from './opened-record.js';

export type AttendanceEventView = AttendanceEvent & { recordId: string; deviceId: string; note?: string };

export function attendanceEventsOf(records: readonly OpenedRecord[]): AttendanceEventView[] {
  return intactOfKind(records, 'attendance')
    .map((r) => ({
      at: r.payload.at,
      type: r.payload.type,
      source: r.payload.source,
      recordId: r.id,
      deviceId: r.deviceId,
      ...(r.payload.note ? { note: r.payload.note } : {}),
    }))
    .sort((a, b) => a.at - b.at);
}

/**
 * The view model types the subscriptions carry. They are defined (with the
 * pure functions that build them) in `@sealtime/shared` views; this file is
 * the one place the API names them, so a change there is one edit here.
 *
 * Gallery, attendance sheet and report are PLACEHOLDERS until their view
 * models land in shared/src/views: minimal shapes the core fills itself.
 */
import type { Dashboard, PersonDay } from '@sealtime/shared';

export type DashboardView = Dashboard;
export type PersonDayView = PersonDay;
export interface GalleryView {
  employeeId: string;
  date: string;
  shots: Array<{ recordId: string; takenAt: number; width: number; height: number; app: string | null; blurred: boolean }>;
}
export interface AttendanceSheetView {
  from: string;
  to: string;
  rows: Array<{ employeeId: string; date: string; workedMs: number }>;
}
export interface ReportView {
  from: string;
  to: string;
  rows: Array<{ employeeId: string; workedMs: number; activeMs: number }>;
}

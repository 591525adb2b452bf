/**
 * The view model types the subscriptions carry. They are defined (with the
 * pure functions that build them) in `@sealtime/shared` views; this file is
 * the one place the API names them, so a change there is one edit here.
 *
 * PLACEHOLDERS until the view models land in shared/src/views: minimal shapes
 * the core can fill from opened records.
 */
export interface DashboardView {
  date: string;
  people: Array<{ employeeId: string; displayName: string; teamId: string | null; workedMs: number; activityPercent: number | null; screenshots: number; problems: number }>;
}
export interface PersonDayView {
  employeeId: string;
  date: string;
  spans: Array<{ start: number; end: number; label: string; kind: string }>;
  problems: number;
}
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

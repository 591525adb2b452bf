/**
 * The view model types the subscriptions carry, defined (with the pure
 * functions that build them) in `@sealtime/shared` views; this file is the
 * one place the API names them, so a change there is one edit here.
 */
import type {
  AttendanceSheet,
  Dashboard,
  Gallery,
  ManualEntryView,
  PersonDay,
  Report,
  ReportManual,
} from '@sealtime/shared';

export type DashboardView = Dashboard;
/** The day, with the person's manual entries touching it beside it (never inside tracked time). */
export type PersonDayView = PersonDay & { manual?: ManualEntryView[] };
export type GalleryView = Gallery;
/** The sheet, with each person's manual time of the range beside it (never inside worked time). */
export type AttendanceSheetView = AttendanceSheet & { manual?: ReportManual };
/** The timesheet report, with manual time beside it (never inside worked or tracked time). */
export type ReportView = Report & { manual?: ReportManual };

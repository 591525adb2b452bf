/** The review screens: people, dashboard, person-day, gallery, attendance, reports, images. */
import type { AttendanceSheetView, DashboardView, GalleryView, PersonDayView, ReportView } from '../view-types.js';
import { isDate, isId, isObj, isStr, none, rangeInOrder, type Contract } from './contract-kit.js';

export interface Person {
  employeeId: string;
  displayName: string;
  teamId: string | null;
}

export type AttendanceScope = { employeeId: string } | { teamId: string };

export interface ReviewRequests {
  people: { params: Record<string, never>; result: Person[] };
  /** A one-time URL (served by the ui server / app protocol) for a decrypted image. */
  screenshotUrl: { params: { recordId: string; size: 'thumb' | 'full' }; result: { url: string } };
}

export interface ReviewSubscriptions {
  /** date: YYYY-MM-DD (the reviewer's local time zone). */
  dashboard: { params: { date: string }; value: DashboardView };
  personDay: { params: { employeeId: string; date: string }; value: PersonDayView };
  gallery: { params: { employeeId: string; date: string }; value: GalleryView };
  /** scope: one person or one team; absent: everyone the role reviews. */
  attendance: { params: { scope?: AttendanceScope; from: string; to: string }; value: AttendanceSheetView };
  report: {
    params: { scope?: AttendanceScope; from: string; to: string; groupBy?: 'person' | 'team' | 'day' };
    value: ReportView;
  };
}

const isScope = (x: unknown): boolean =>
  isObj(x) && Object.keys(x).length === 1 && (isId(x.employeeId) || isId(x.teamId));
const isPerson = (p: unknown): boolean =>
  isObj(p) &&
  isId(p.employeeId) &&
  typeof p.displayName === 'string' &&
  (p.teamId === null || typeof p.teamId === 'string');

export const REVIEW_CONTRACT: Contract<ReviewRequests, ReviewSubscriptions> = {
  requests: {
    people: { spec: none, result: (x) => Array.isArray(x) && x.every(isPerson) },
    screenshotUrl: {
      spec: { recordId: (v) => isStr(v, 200), size: (v) => v === 'thumb' || v === 'full' },
      result: (x) => isObj(x) && typeof x.url === 'string' && x.url.length < 4096,
    },
  },
  subscriptions: {
    dashboard: { spec: { date: isDate }, value: isObj },
    personDay: { spec: { employeeId: isId, date: isDate }, value: isObj },
    gallery: { spec: { employeeId: isId, date: isDate }, value: isObj },
    attendance: {
      spec: { scope: isScope, from: isDate, to: isDate },
      optional: ['scope'],
      value: isObj,
      cross: rangeInOrder,
    },
    report: {
      spec: { scope: isScope, from: isDate, to: isDate, groupBy: (v) => v === 'person' || v === 'team' || v === 'day' },
      optional: ['scope', 'groupBy'],
      value: isObj,
      cross: rangeInOrder,
    },
  },
};

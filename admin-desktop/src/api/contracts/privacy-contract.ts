/**
 * Privacy requests (screen 8) and screenshot deletion (screen 3): what one
 * person's data amounts to, an export of it, erasure, and deleting
 * screenshots one at a time or by date range.
 */
import { isBool, isDate, isId, isNum, isObj, isStr, rangeInOrder, type Contract } from './contract-kit.js';

/** What erasing a person would destroy, counted from the reviewer's replica. */
export interface PrivacySummary {
  employeeId: string;
  records: number;
  /** Opened records per kind (attendance, activity-slot, app-event, screenshot…). */
  byKind: Record<string, number>;
  screenshots: number;
  /** Local days with at least one record, and the first and last of them (null when none). */
  days: number;
  from: string | null;
  to: string | null;
  devices: number;
  /** Records this role holds but cannot open (sealed to other keys): erased too. */
  cannotOpen: number;
}

export interface PrivacyExport {
  fileName: string;
  /** The export as JSON text (format 'sealtime-person-export' v1). */
  json: string;
  records: number;
}

export interface EraseResult {
  employeeId: string;
  devicesRevoked: number;
  accountsDisabled: string[];
  /** Server documents purged (key rings, directory entries, consolidated records). */
  serverDocsPurged: number;
  databasesDeleted: string[];
  /** Rows removed from this app's replica and sealed image cache. */
  replicaRemoved: number;
  imagesRemoved: number;
}

export interface DeleteScreenshotsResult {
  deleted: string[];
  /** Documents purged on the server, per database. */
  serverRemoved: Record<string, number>;
}

export interface PrivacyRequests {
  privacySummary: { params: { employeeId: string }; result: PrivacySummary };
  /** includeThumbnails: keep each screenshot's sealed-in thumbnail (data: URL); full images are never included. */
  privacyExport: { params: { employeeId: string; includeThumbnails?: boolean }; result: PrivacyExport };
  /** confirm must repeat employeeId: what is lost is shown first (privacySummary). */
  privacyErase: { params: { employeeId: string; confirm: string }; result: EraseResult };
  /** One screenshot (recordId), or every screenshot of the person from..to (local days, inclusive). */
  deleteScreenshots: {
    params: { employeeId: string; recordId?: string; from?: string; to?: string };
    result: DeleteScreenshotsResult;
  };
}

export type PrivacySubscriptions = Record<never, never>;

const isCountMap = (x: unknown): boolean => isObj(x) && Object.values(x).every(isNum);
const isSummary = (x: unknown): boolean =>
  isObj(x) &&
  isId(x.employeeId) &&
  isNum(x.records) &&
  isCountMap(x.byKind) &&
  isNum(x.screenshots) &&
  isNum(x.days) &&
  (x.from === null || isDate(x.from)) &&
  (x.to === null || isDate(x.to)) &&
  isNum(x.devices) &&
  isNum(x.cannotOpen);

export const PRIVACY_CONTRACT: Contract<PrivacyRequests, PrivacySubscriptions> = {
  requests: {
    privacySummary: { spec: { employeeId: isId }, result: isSummary },
    privacyExport: {
      spec: { employeeId: isId, includeThumbnails: isBool },
      optional: ['includeThumbnails'],
      result: (x) => isObj(x) && isStr(x.fileName, 200) && typeof x.json === 'string' && isNum(x.records),
    },
    privacyErase: {
      spec: { employeeId: isId, confirm: (v) => isStr(v, 100) },
      result: (x) =>
        isObj(x) &&
        isId(x.employeeId) &&
        isNum(x.devicesRevoked) &&
        Array.isArray(x.accountsDisabled) &&
        isNum(x.serverDocsPurged) &&
        isNum(x.replicaRemoved) &&
        isNum(x.imagesRemoved),
    },
    deleteScreenshots: {
      spec: { employeeId: isId, recordId: (v) => isStr(v, 200), from: isDate, to: isDate },
      optional: ['recordId', 'from', 'to'],
      result: (x) =>
        isObj(x) &&
        Array.isArray(x.deleted) &&
        x.deleted.every((d) => typeof d === 'string') &&
        isCountMap(x.serverRemoved),
    },
  },
  subscriptions: {},
};

/** One screenshot, or a complete date range (from ≤ to), never both. */
export function deleteScreenshotsProblem(p: Record<string, unknown>): string | null {
  const one = p.recordId !== undefined;
  const range = p.from !== undefined || p.to !== undefined;
  if (one === range) return 'name one screenshot (recordId) or a date range (from and to), not both';
  if (range && (p.from === undefined || p.to === undefined)) return 'a date range needs both from and to';
  return rangeInOrder(p);
}

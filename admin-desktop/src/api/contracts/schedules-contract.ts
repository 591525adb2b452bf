/**
 * Work schedules and public holidays (organisation → team → employee, each
 * with its effective-from history): admins edit them (the organisation key
 * signs), HR and managers read them; every document is verified on read and
 * one that fails is listed as refused, never used.
 * No Node, no Electron: the renderer imports this.
 */
import type { ScheduleLevel, ScheduleScope, ScheduleVersion, WorkSchedule } from '@sealtime/shared';
import { isArrayOf, isDate, isId, isNum, isObj, type Contract } from './contract-kit.js';

export type { ScheduleLevel, ScheduleScope, ScheduleVersion, WorkSchedule, WorkShift } from '@sealtime/shared';

export interface ScheduleLayerView extends ScheduleScope {
  issuedAt: number;
  versions: ScheduleVersion[];
  /** signed here and waiting in the outbox for the server */
  waiting: boolean;
}

export interface EffectiveScheduleRow {
  employeeId: string;
  name: string;
  teamId: string | null;
  /** the schedule in force on the book's date; null: none applies */
  schedule: WorkSchedule | null;
  /** the level that set it */
  source: ScheduleScope | null;
}

export interface ScheduleBook {
  orgId: string;
  /** the date the effective schedules are shown for */
  date: string;
  /** only admins hold the organisation key that signs schedules */
  canEdit: boolean;
  teams: string[];
  layers: ScheduleLayerView[];
  holidays: { dates: string[]; issuedAt: number | null; waiting: boolean };
  effective: EffectiveScheduleRow[];
  /** documents that did not verify under the organisation key: refused, never used */
  refused: Array<{ id: string; reason: string }>;
  /** 'cache': the server did not answer; the last verified copy kept in the replica is shown */
  readFrom: 'server' | 'cache';
}

export interface SchedulePublishResult {
  /** 'queued': signed and kept in the outbox until the server answers */
  status: 'sent' | 'queued';
  docId: string;
  issuedAt: number;
}

export interface SchedulesRequests {
  publishSchedule: { params: { scope: ScheduleScope; version: ScheduleVersion }; result: SchedulePublishResult };
  publishHolidays: { params: { dates: string[] }; result: SchedulePublishResult };
}

export interface SchedulesSubscriptions {
  scheduleBook: { params: { date: string }; value: ScheduleBook };
}

const LEVELS: readonly ScheduleLevel[] = ['organisation', 'team', 'employee'];
const isScope = (x: unknown): boolean =>
  isObj(x) && Object.keys(x).length === 2 && (LEVELS as readonly unknown[]).includes(x.level) && isId(x.id);
// the core checks every field and names the one that is wrong; here only the frame
const isVersion = (x: unknown): boolean => isObj(x) && isDate(x.effectiveFrom) && JSON.stringify(x).length <= 8_000;
const isPublished = (x: unknown): boolean =>
  isObj(x) && (x.status === 'sent' || x.status === 'queued') && typeof x.docId === 'string' && isNum(x.issuedAt);

export const SCHEDULES_CONTRACT: Contract<SchedulesRequests, SchedulesSubscriptions> = {
  requests: {
    publishSchedule: { spec: { scope: isScope, version: isVersion }, result: isPublished },
    publishHolidays: { spec: { dates: (x) => isArrayOf(x, isDate, 2000) }, result: isPublished },
  },
  subscriptions: {
    scheduleBook: {
      spec: { date: isDate },
      value: (x) =>
        isObj(x) &&
        typeof x.orgId === 'string' &&
        Array.isArray(x.layers) &&
        Array.isArray(x.effective) &&
        isObj(x.holidays) &&
        Array.isArray(x.refused),
    },
  },
};

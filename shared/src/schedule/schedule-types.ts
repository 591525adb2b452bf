/**
 * Work schedules and public holidays as the organisation publishes them:
 * plain data, signed by the organisation key (schedule-document.ts), resolved
 * per person and date (resolve-schedule.ts).
 */

/** Where a schedule is set: person overrides team overrides organisation, as with policies. */
export type ScheduleLevel = 'organisation' | 'team' | 'employee';
export const SCHEDULE_LEVELS: readonly ScheduleLevel[] = ['organisation', 'team', 'employee'];

export type ScheduleScope = { level: ScheduleLevel; id: string };

/** One stretch of scheduled work, local wall times; an end at or before the start ends on the next date. */
export type WorkShift = { start: string; end: string };

/** A schedule in force from a date on (history stays right when a schedule changes). */
export type WorkSchedule = {
  /** 'YYYY-MM-DD': the first local date it applies to */
  effectiveFrom: string;
  /** IANA zone the times are in: the person's working zone */
  timeZone: string;
  /** index 0 = Sunday … 6 = Saturday; a split day has two or more shifts, a day off none */
  week: WorkShift[][];
  /** break time per day already deducted from the expected hours */
  breakMinutes: number;
  /** an arrival up to this many minutes after a shift's start (a departure as much before its end) is not marked */
  graceMinutes: number;
};

/** From `effectiveFrom` on this level sets nothing: the level above applies again. */
export type InheritFrom = { effectiveFrom: string; inherit: true };

export type ScheduleVersion = WorkSchedule | InheritFrom;

export const isInherit = (v: ScheduleVersion): v is InheritFrom => 'inherit' in v && v.inherit === true;

/** The versions of one level and id, oldest first, with the time it was signed. */
export type ScheduleLayer = ScheduleScope & { issuedAt: number; versions: ScheduleVersion[] };

/** The organisation's public holidays: local dates that are not working days for anyone. */
export type HolidayList = { orgId: string; issuedAt: number; dates: string[] };

/**
 * The attendance sheet: one row per person and local date against the
 * schedule in force that date (signed organisation → team → person layers,
 * see shared/src/schedule), weekly (ISO) and monthly totals, and the
 * correction requests with their decisions. Approved corrections are applied
 * before anything is counted (see corrections.ts); the figures per date come
 * from attendance-scheduled-days.ts (a night shift counts on the date it
 * starts; DST days from instants).
 *
 * A person's dates are cut in one zone, named on screen with where it came
 * from: the schedule's zone, else the zone of the person's latest device-info
 * record, else the reviewer's.
 */
import { addDays, weekdayOf } from '../attendance/local-date.js';
import type { ScheduleLayer } from '../schedule/schedule-types.js';
import { attendanceEventsOf } from './attendance-events.js';
import { dayPlan } from './attendance-day-plan.js';
import { scheduledDays } from './attendance-scheduled-days.js';
import { isoWeekOf, monthOf, type PeriodKey } from './calendar-periods.js';
import { applyCorrections, correctionsOf, type CorrectionView } from './corrections.js';
import { groupByEmployee, intactOfKind, type OpenedRecord, type ViewPerson } from './opened-record.js';
import { wallTimeOf } from './wall-clock.js';

export type SheetFigures = {
  workedMs: number;
  breakMs: number;
  expectedMs: number;
  lateMs: number;
  earlyLeaveMs: number;
  overtimeMs: number;
  breakOverMs: number;
};

export type SheetDay = SheetFigures & {
  date: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  firstIn?: number;
  lastOut?: number;
  /** 'HH:mm' in the person's zone */
  firstInLabel?: string;
  lastOutLabel?: string;
  /** the scheduled shifts as the schedule states them, e.g. ['08:00–12:00', '13:00–17:00'] */
  shifts: string[];
  holiday: boolean;
  /** 'team:ops': the level that set the schedule this date; absent: none applies */
  scheduleSource?: string;
  absent: boolean;
  /** an approved correction about this date was applied */
  corrected: boolean;
  anomalies: { kind: string; detail: string }[];
};

export type SheetPeriod = SheetFigures &
  PeriodKey & { daysWorked: number; absentDays: number; lateDays: number; earlyDays: number; holidays: number };

/** Which zone a person's dates are cut in. */
export type ZoneSource = 'schedule' | 'device' | 'reviewer';

export type PersonSheet = {
  employeeId: string;
  name: string;
  teamId?: string;
  timeZone: string;
  zoneSource: ZoneSource;
  /** false: no schedule applies on any date, so nothing is late, early or absent and all work is overtime */
  hasSchedule: boolean;
  days: SheetDay[];
  weeks: SheetPeriod[];
  months: SheetPeriod[];
  totals: SheetPeriod;
};

export type AttendanceSheet = {
  from: string;
  to: string;
  people: PersonSheet[];
  corrections: (CorrectionView & { employeeName: string })[];
  pendingCorrections: number;
  /** schedule or holiday documents that did not verify: refused, never used */
  refusedSchedules: { id: string; reason: string }[];
};

export type AttendanceSheetInput = {
  /** `timeZone` of a person: the reviewer's, the last fallback */
  people: readonly ViewPerson[];
  /** verified schedule layers that apply to each person, organisation first */
  schedules: Readonly<Record<string, readonly ScheduleLayer[]>>;
  /** the organisation's public holidays */
  holidays?: readonly string[];
  /** the zone of each person's latest device-info record (see latestDeviceZone) */
  deviceZones?: Readonly<Record<string, string>>;
  refusedSchedules?: readonly { id: string; reason: string }[];
  /** each person's team from the signed directory, where `people` does not say it */
  teams?: Readonly<Record<string, string | null>>;
  from: string;
  to: string;
  records: readonly OpenedRecord[];
  /** correction requests and decisions, if they are not among `records` */
  corrections?: readonly OpenedRecord[];
  /** closes open sessions and decides which shifts have begun; default: all have */
  now?: number;
};

const FIGURES: (keyof SheetFigures)[] = [
  'workedMs',
  'breakMs',
  'expectedMs',
  'lateMs',
  'earlyLeaveMs',
  'overtimeMs',
  'breakOverMs',
];

/** The zone of the newest intact device-info record, if any. */
export function latestDeviceZone(records: readonly OpenedRecord[]): string | undefined {
  let best: { at: number; zone: string } | undefined;
  for (const r of intactOfKind(records, 'device-info'))
    if (!best || r.createdAt > best.at) best = { at: r.createdAt, zone: r.payload.timeZone };
  return best?.zone;
}

function periodOf(key: PeriodKey, days: readonly SheetDay[], from: string, to: string): SheetPeriod {
  const inside = days.filter((d) => d.date >= key.from && d.date <= key.to);
  const p: SheetPeriod = {
    key: key.key,
    // a week or month cut by the sheet's range shows the part inside it
    from: key.from < from ? from : key.from,
    to: key.to > to ? to : key.to,
    workedMs: 0,
    breakMs: 0,
    expectedMs: 0,
    lateMs: 0,
    earlyLeaveMs: 0,
    overtimeMs: 0,
    breakOverMs: 0,
    daysWorked: inside.filter((d) => d.workedMs > 0).length,
    absentDays: inside.filter((d) => d.absent).length,
    lateDays: inside.filter((d) => d.lateMs > 0).length,
    earlyDays: inside.filter((d) => d.earlyLeaveMs > 0).length,
    holidays: inside.filter((d) => d.holiday).length,
  };
  for (const d of inside) for (const f of FIGURES) p[f] += d[f];
  return p;
}

function periods(
  days: readonly SheetDay[],
  keyOf: (date: string) => PeriodKey,
  from: string,
  to: string,
): SheetPeriod[] {
  const keys = new Map<string, PeriodKey>();
  for (const d of days) {
    const k = keyOf(d.date);
    keys.set(k.key, k);
  }
  return [...keys.values()].map((k) => periodOf(k, days, from, to));
}

function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  // 'YYYY-MM-DD' strings compare like the dates they denote
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

function sheetFor(
  person: ViewPerson,
  input: AttendanceSheetInput,
  records: readonly OpenedRecord[],
  corrections: readonly CorrectionView[],
): PersonSheet {
  const chain = input.schedules[person.id] ?? [];
  const holidays = new Set(input.holidays ?? []);
  const deviceZone = input.deviceZones?.[person.id] ?? latestDeviceZone(records);
  const fallback = deviceZone ?? person.timeZone;
  const dates = datesOf(input.from, input.to);
  const plans = datesOf(addDays(input.from, -1), addDays(input.to, 1)).map((d) =>
    dayPlan(d, chain, holidays, fallback),
  );
  const scheduled = plans.filter((p) => p.source && dates.includes(p.date));
  // the zone of the last scheduled date in range: labels and unscheduled dates use it
  const tz = scheduled.length > 0 ? scheduled[scheduled.length - 1]!.timeZone : fallback;
  const zoneSource: ZoneSource = scheduled.length > 0 ? 'schedule' : deviceZone ? 'device' : 'reviewer';

  const teamId = person.teamId ?? input.teams?.[person.id] ?? undefined;
  const mine = corrections.filter((c) => c.employeeId === person.id);
  const events = applyCorrections(attendanceEventsOf(records), mine);
  const figures = scheduledDays(events, plans, new Set(dates), tz, input.now);
  const planOf = new Map(plans.map((p) => [p.date, p]));

  const days: SheetDay[] = figures.map((d) => {
    const plan = planOf.get(d.date)!;
    return {
      date: d.date,
      weekday: weekdayOf(d.date),
      ...(d.firstIn !== undefined ? { firstIn: d.firstIn, firstInLabel: wallTimeOf(d.firstIn, plan.timeZone) } : {}),
      ...(d.lastOut !== undefined ? { lastOut: d.lastOut, lastOutLabel: wallTimeOf(d.lastOut, plan.timeZone) } : {}),
      workedMs: d.workedMs,
      breakMs: d.breakMs,
      expectedMs: d.expectedMs,
      lateMs: d.lateMs,
      earlyLeaveMs: d.earlyLeaveMs,
      overtimeMs: d.overtimeMs,
      breakOverMs: d.breakOverMs,
      shifts: plan.shiftLabels,
      holiday: plan.holiday,
      ...(plan.source ? { scheduleSource: `${plan.source.level}:${plan.source.id}` } : {}),
      absent: d.absent,
      corrected: mine.some((c) => c.status === 'approved' && c.date === d.date),
      anomalies: d.anomalies.map((a) => ({ kind: a.kind, detail: a.detail })),
    };
  });

  return {
    employeeId: person.id,
    name: person.name,
    ...(teamId ? { teamId } : {}),
    timeZone: tz,
    zoneSource,
    hasSchedule: scheduled.length > 0,
    days,
    weeks: periods(days, isoWeekOf, input.from, input.to),
    months: periods(days, monthOf, input.from, input.to),
    totals: periodOf({ key: 'total', from: input.from, to: input.to }, days, input.from, input.to),
  };
}

export function buildAttendanceSheet(input: AttendanceSheetInput): AttendanceSheet {
  const corrections = correctionsOf([...input.records, ...(input.corrections ?? [])]);
  const names = new Map(input.people.map((p) => [p.id, p.name]));
  const byPerson = groupByEmployee(input.records);
  const people = input.people.map((p) => sheetFor(p, input, byPerson.get(p.id) ?? [], corrections));
  const listed = corrections
    .filter((c) => names.has(c.employeeId) && c.date >= input.from && c.date <= input.to)
    .map((c) => ({ ...c, employeeName: names.get(c.employeeId) ?? c.employeeId }));
  return {
    from: input.from,
    to: input.to,
    people,
    corrections: listed,
    pendingCorrections: listed.filter((c) => c.status === 'pending').length,
    refusedSchedules: [...(input.refusedSchedules ?? [])],
  };
}

/**
 * The attendance sheet: one row per person and local date in the person's
 * own schedule and time zone, weekly (ISO) and monthly totals, and the
 * correction requests with their decisions. Approved corrections are
 * applied before anything is counted (see corrections.ts); the figures per
 * date come from computeRange, so a shift over midnight is split at local
 * midnight while lateness and early leave stay with the date it started on.
 *
 * Absent: the date has a scheduled shift that has begun (before `now`) and
 * no worked time falls inside it.
 */
import type { Schedule } from '../attendance/types.js';
import { buildSessions } from '../attendance/sessions.js';
import { subtract, overlapMs } from '../attendance/intervals.js';
import { scheduledShift } from '../attendance/schedule.js';
import { computeRange } from '../attendance/worked-time.js';
import { weekdayOf } from '../attendance/local-date.js';
import { attendanceEventsOf } from './attendance-events.js';
import { isoWeekOf, monthOf, type PeriodKey } from './calendar-periods.js';
import { applyCorrections, correctionsOf, type CorrectionView } from './corrections.js';
import { groupByEmployee, type OpenedRecord, type ViewPerson } from './opened-record.js';
import { wallTimeOf } from './wall-clock.js';

export type SheetFigures = {
  workedMs: number;
  breakMs: number;
  lateMs: number;
  earlyLeaveMs: number;
  overtimeMs: number;
  scheduledMs: number;
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
  absent: boolean;
  /** an approved correction about this date was applied */
  corrected: boolean;
  anomalies: { kind: string; detail: string }[];
};

export type SheetPeriod = SheetFigures & PeriodKey & { daysWorked: number; absentDays: number };

export type PersonSheet = {
  employeeId: string;
  name: string;
  timeZone: string;
  /** false: no schedule given, so nothing is late, early or absent and all work is overtime */
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
};

export type AttendanceSheetInput = {
  people: readonly ViewPerson[];
  schedules: Readonly<Record<string, Schedule>>;
  from: string;
  to: string;
  records: readonly OpenedRecord[];
  /** correction requests and decisions, if they are not among `records` */
  corrections?: readonly OpenedRecord[];
  /** closes open sessions and decides which shifts have begun; default: all have */
  now?: number;
};

const FIGURES: (keyof SheetFigures)[] = ['workedMs', 'breakMs', 'lateMs', 'earlyLeaveMs', 'overtimeMs', 'scheduledMs'];

function periodOf(key: PeriodKey, days: readonly SheetDay[], from: string, to: string): SheetPeriod {
  const inside = days.filter((d) => d.date >= key.from && d.date <= key.to);
  const p: SheetPeriod = {
    key: key.key,
    // a week or month cut by the sheet's range shows the part inside it
    from: key.from < from ? from : key.from,
    to: key.to > to ? to : key.to,
    workedMs: 0,
    breakMs: 0,
    lateMs: 0,
    earlyLeaveMs: 0,
    overtimeMs: 0,
    scheduledMs: 0,
    daysWorked: inside.filter((d) => d.workedMs > 0).length,
    absentDays: inside.filter((d) => d.absent).length,
  };
  for (const d of inside) for (const f of FIGURES) p[f] += d[f];
  return p;
}

function periods(days: readonly SheetDay[], keyOf: (date: string) => PeriodKey, from: string, to: string): SheetPeriod[] {
  const keys = new Map<string, PeriodKey>();
  for (const d of days) {
    const k = keyOf(d.date);
    keys.set(k.key, k);
  }
  return [...keys.values()].map((k) => periodOf(k, days, from, to));
}

function sheetFor(person: ViewPerson, schedule: Schedule | undefined, input: AttendanceSheetInput, records: readonly OpenedRecord[], corrections: readonly CorrectionView[]): PersonSheet {
  const tz = schedule?.timeZone ?? person.timeZone;
  const effective: Schedule = schedule ?? { timeZone: tz, days: {}, graceMinutes: 0 };
  const recorded = attendanceEventsOf(records);
  const mine = corrections.filter((c) => c.employeeId === person.id);
  const events = applyCorrections(recorded, mine);
  const range = computeRange(events, effective, input.from, input.to, input.now);
  const built = buildSessions(events, input.now);
  const work = built.sessions.flatMap((s) => subtract(s, s.breaks));
  const now = input.now ?? Infinity;

  const days: SheetDay[] = range.days.map((d) => {
    const shift = scheduledShift(effective, d.date);
    const absent = shift !== undefined && shift.start < now && overlapMs(work, shift) === 0;
    const corrected = mine.some((c) => c.status === 'approved' && c.date === d.date);
    return {
      date: d.date,
      weekday: weekdayOf(d.date),
      ...(d.firstIn !== undefined ? { firstIn: d.firstIn, firstInLabel: wallTimeOf(d.firstIn, tz) } : {}),
      ...(d.lastOut !== undefined ? { lastOut: d.lastOut, lastOutLabel: wallTimeOf(d.lastOut, tz) } : {}),
      workedMs: d.workedMs,
      breakMs: d.breakMs,
      lateMs: d.lateMs,
      earlyLeaveMs: d.earlyLeaveMs,
      overtimeMs: d.overtimeMs,
      scheduledMs: d.scheduledMs,
      absent,
      corrected,
      anomalies: d.anomalies.map((a) => ({ kind: a.kind, detail: a.detail })),
    };
  });

  return {
    employeeId: person.id,
    name: person.name,
    timeZone: tz,
    hasSchedule: schedule !== undefined,
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
  const people = input.people.map((p) => sheetFor(p, input.schedules[p.id], input, byPerson.get(p.id) ?? [], corrections));
  const listed = corrections
    .filter((c) => names.has(c.employeeId) && c.date >= input.from && c.date <= input.to)
    .map((c) => ({ ...c, employeeName: names.get(c.employeeId) ?? c.employeeId }));
  return {
    from: input.from,
    to: input.to,
    people,
    corrections: listed,
    pendingCorrections: listed.filter((c) => c.status === 'pending').length,
  };
}

/**
 * Timesheet report over a date range: worked time (clock events, split at
 * each person's local midnight) and activity % (summed seconds, rounded
 * once), grouped by person, team or date, with chart series. Only intact
 * records count.
 */
import { computeRange } from '../attendance/worked-time.js';
import { addDays, parseLocalDate } from '../attendance/local-date.js';
import { attendanceEventsOf } from './attendance-events.js';
import { mergeActivity, totalActivity } from './merged-activity.js';
import { groupByEmployee, intactOfKind, type OpenedRecord, type ViewPerson } from './opened-record.js';
import { dayBounds, dayGrid } from './slot-grid.js';

export type ReportGroupBy = 'person' | 'team' | 'day';

export type ReportTeam = { id: string; name: string };

export type ReportRow = {
  key: string;
  label: string;
  workedMs: number;
  /** workedMs in hours, 2 decimals: what charts and the CSV show */
  hours: number;
  activeSeconds: number;
  trackedSeconds: number;
  activityPercent: number | null;
  /** people with worked or tracked time in the row */
  people: number;
  /** person-days with worked time */
  daysWorked: number;
};

export type ReportSeriesPoint = { key: string; label: string; hours: number; activityPercent: number | null };

export type Report = {
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  rows: ReportRow[];
  totals: ReportRow;
  /** the rows as chart points */
  series: ReportSeriesPoint[];
  /** hours and activity per date, whatever the grouping */
  byDay: ReportSeriesPoint[];
};

export type ReportInput = {
  people: readonly ViewPerson[];
  teams: readonly ReportTeam[];
  from: string;
  to: string;
  records: readonly OpenedRecord[];
  groupBy: ReportGroupBy;
  /** closes sessions still open; default: they are not counted */
  now?: number;
};

/** One person on one date: the unit every grouping adds up. */
export type ReportCell = {
  personId: string;
  teamId: string;
  date: string;
  workedMs: number;
  activeSeconds: number;
  trackedSeconds: number;
};

type Cell = ReportCell;

const NO_TEAM = '';

/**
 * One person's cells for each date of [from, to], from their records (the day
 * before `from` to the day after `to`): what a report adds up, so a caller
 * may keep them per person-day and aggregate later (reportOfCells).
 */
export function reportCells(
  person: ViewPerson,
  mine: readonly OpenedRecord[],
  from: string,
  to: string,
  now?: number,
): ReportCell[] {
  const range = computeRange(
    attendanceEventsOf(mine),
    { timeZone: person.timeZone, days: {}, graceMinutes: 0 },
    from,
    to,
    now,
  );
  const slots = intactOfKind(mine, 'activity-slot');
  return range.days.map((d) => {
    const bounds = dayBounds(d.date, person.timeZone);
    const touching = slots.filter(
      (s) => s.payload.start < bounds.end && s.payload.start + s.payload.slotSeconds * 1000 > bounds.start,
    );
    const a = totalActivity(mergeActivity(dayGrid(d.date, person.timeZone, 10, false), touching));
    return {
      personId: person.id,
      teamId: person.teamId ?? NO_TEAM,
      date: d.date,
      workedMs: d.workedMs,
      activeSeconds: a.activeSeconds,
      trackedSeconds: a.trackedSeconds,
    };
  });
}

const hoursOf = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;

function rowOf(key: string, label: string, cells: readonly Cell[]): ReportRow {
  const workedMs = cells.reduce((s, c) => s + c.workedMs, 0);
  const activeSeconds = cells.reduce((s, c) => s + c.activeSeconds, 0);
  const trackedSeconds = cells.reduce((s, c) => s + c.trackedSeconds, 0);
  return {
    key,
    label,
    workedMs,
    hours: hoursOf(workedMs),
    activeSeconds,
    trackedSeconds,
    activityPercent: trackedSeconds > 0 ? Math.round((activeSeconds / trackedSeconds) * 100) : null,
    people: new Set(cells.filter((c) => c.workedMs > 0 || c.trackedSeconds > 0).map((c) => c.personId)).size,
    daysWorked: cells.filter((c) => c.workedMs > 0).length,
  };
}

function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

const point = (r: ReportRow): ReportSeriesPoint => ({
  key: r.key,
  label: r.label,
  hours: r.hours,
  activityPercent: r.activityPercent,
});

export function buildReport(input: ReportInput): Report {
  const { people, from, to, records } = input;
  parseLocalDate(from);
  parseLocalDate(to);
  const byPerson = groupByEmployee(records);
  const cells = people.flatMap((p) => reportCells(p, byPerson.get(p.id) ?? [], from, to, input.now));
  return reportOfCells({ ...input, cells });
}

/** The report from cells already worked out (reportCells'), in the order of `people` then date. */
export function reportOfCells(input: Omit<ReportInput, 'records' | 'now'> & { cells: readonly ReportCell[] }): Report {
  const { people, teams, from, to, groupBy, cells } = input;
  const dates = datesOf(from, to);
  const byDay = dates.map((d) =>
    rowOf(
      d,
      d,
      cells.filter((c) => c.date === d),
    ),
  );

  let rows: ReportRow[];
  if (groupBy === 'person') {
    rows = people.map((p) =>
      rowOf(
        p.id,
        p.name,
        cells.filter((c) => c.personId === p.id),
      ),
    );
  } else if (groupBy === 'team') {
    const known = new Set(teams.map((t) => t.id));
    rows = teams.map((t) =>
      rowOf(
        t.id,
        t.name,
        cells.filter((c) => c.teamId === t.id),
      ),
    );
    const orphans = cells.filter((c) => !known.has(c.teamId));
    if (orphans.length > 0) rows.push(rowOf(NO_TEAM, 'No team', orphans));
  } else {
    rows = byDay;
  }
  return {
    from,
    to,
    groupBy,
    rows,
    totals: rowOf('total', 'Total', cells),
    series: rows.map(point),
    byDay: byDay.map(point),
  };
}

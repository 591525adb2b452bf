/**
 * One project's report over a date range: hours by person, by task and by
 * day, budget used. Tracked time comes from sealed activity slots
 * (project-time.ts); manual time (issue 17 slice B) is kept apart in its own
 * columns, approved and pending, never mixed into tracked: the caller passes
 * it as `manual` cells, and without them both columns are 0. Budget used
 * counts tracked plus approved manual time.
 */
import type { OpenedRecord, ViewPerson } from '../views/opened-record.js';
import { projectTime, type ProjectTimeCell } from './project-time.js';
import type { Project } from './project-types.js';

/** Manual time on this project, as the manual-time slice builds it from its approved/pending entries. */
export type ManualTimeCell = {
  personId: string;
  date: string;
  taskId: string | null;
  seconds: number;
  state: 'approved' | 'pending';
};

export type ProjectReportRow = {
  key: string;
  label: string;
  /** hours, 2 decimals */
  tracked: number;
  manualApproved: number;
  manualPending: number;
  /** tracked + manualApproved */
  total: number;
};

export type ProjectReport = {
  project: Pick<Project, 'id' | 'name' | 'colour' | 'archived'> & { client: string | null; budgetHours: number | null };
  from: string;
  to: string;
  byPerson: ProjectReportRow[];
  byTask: ProjectReportRow[];
  byDay: ProjectReportRow[];
  totals: ProjectReportRow;
  /** null: the project has no budget */
  budget: { hours: number; usedHours: number; usedPercent: number } | null;
};

export type ProjectReportInput = {
  project: Project;
  people: readonly ViewPerson[];
  /** opened records of those people, the day before `from` to the day after `to` */
  records: readonly OpenedRecord[];
  from: string;
  to: string;
  manual?: readonly ManualTimeCell[];
};

/** Seconds by column before rounding: rounding once per row keeps rows adding up to the totals within a cent. */
type Sums = { tracked: number; manualApproved: number; manualPending: number };
const NO_TASK = '';
const hours = (s: number) => Math.round((s / 3600) * 100) / 100;

function rowOf(key: string, label: string, s: Sums): ProjectReportRow {
  return {
    key,
    label,
    tracked: hours(s.tracked),
    manualApproved: hours(s.manualApproved),
    manualPending: hours(s.manualPending),
    total: hours(s.tracked + s.manualApproved),
  };
}

export function buildProjectReport(input: ProjectReportInput): ProjectReport {
  const { people, records, from, to } = input;
  return projectReportOfCells({ ...input, cells: people.flatMap((p) => projectTime(p, records, from, to)) });
}

/**
 * The report from project time cells already worked out per person and day
 * (projectTime's, e.g. kept per person-day by the admin core): the same
 * figures as buildProjectReport, without the records.
 */
export function projectReportOfCells(
  input: Omit<ProjectReportInput, 'records'> & { cells: readonly ProjectTimeCell[] },
): ProjectReport {
  const { project, people, from, to } = input;
  const byPerson = new Map<string, Sums>();
  const byTask = new Map<string, Sums>();
  const byDay = new Map<string, Sums>();
  const totals: Sums = { tracked: 0, manualApproved: 0, manualPending: 0 };
  const add = (personId: string, date: string, taskId: string | null, column: keyof Sums, seconds: number) => {
    for (const [map, key] of [
      [byPerson, personId],
      [byTask, taskId ?? NO_TASK],
      [byDay, date],
    ] as const) {
      const s = map.get(key) ?? { tracked: 0, manualApproved: 0, manualPending: 0 };
      s[column] += seconds;
      map.set(key, s);
    }
    totals[column] += seconds;
  };
  const reviewed = new Set(people.map((p) => p.id));
  for (const c of input.cells)
    if (c.projectId === project.id && c.date >= from && c.date <= to && reviewed.has(c.personId))
      add(c.personId, c.date, c.taskId, 'tracked', c.seconds);
  for (const m of input.manual ?? [])
    if (m.date >= from && m.date <= to && people.some((p) => p.id === m.personId))
      add(m.personId, m.date, m.taskId, m.state === 'approved' ? 'manualApproved' : 'manualPending', m.seconds);

  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const taskName = new Map(project.tasks.map((t) => [t.id, t.name]));
  const rows = (map: Map<string, Sums>, label: (k: string) => string) =>
    [...map].map(([k, s]) => rowOf(k, label(k), s));
  const budgetHours = project.budgetHours ?? null;
  const used = hours(totals.tracked + totals.manualApproved);
  return {
    project: {
      id: project.id,
      name: project.name,
      colour: project.colour,
      archived: project.archived,
      client: project.client ?? null,
      budgetHours,
    },
    from,
    to,
    byPerson: rows(byPerson, (k) => nameOf.get(k) ?? k).sort((a, b) => a.label.localeCompare(b.label)),
    // a task since removed from the project keeps its id as the label
    byTask: rows(byTask, (k) => (k === NO_TASK ? '(no task)' : (taskName.get(k) ?? k))).sort((a, b) =>
      a.key === NO_TASK ? 1 : b.key === NO_TASK ? -1 : a.label.localeCompare(b.label),
    ),
    byDay: rows(byDay, (k) => k).sort((a, b) => a.key.localeCompare(b.key)),
    totals: rowOf('total', 'Total', totals),
    budget:
      budgetHours === null
        ? null
        : { hours: budgetHours, usedHours: used, usedPercent: Math.round((used / budgetHours) * 100) },
  };
}

/** The report as CSV, one section per grouping (RFC 4180; text cells that a spreadsheet would run are defused). */
export function projectReportCsv(r: ProjectReport, csvCell: (v: string | number | null) => string): string {
  const lines: string[] = [];
  const head = (first: string) =>
    [first, 'Tracked (h)', 'Manual approved (h)', 'Manual pending (h)', 'Total (h)'].map(csvCell).join(',');
  const line = (x: ProjectReportRow) =>
    [x.label, x.tracked.toFixed(2), x.manualApproved.toFixed(2), x.manualPending.toFixed(2), x.total.toFixed(2)]
      .map(csvCell)
      .join(',');
  lines.push([csvCell('Project'), csvCell(r.project.name), csvCell(r.from), csvCell(r.to)].join(','));
  if (r.budget)
    lines.push(
      ['Budget (h)', r.budget.hours, 'Used (h)', r.budget.usedHours, 'Used %', r.budget.usedPercent]
        .map(csvCell)
        .join(','),
    );
  for (const [title, list] of [
    ['Person', r.byPerson],
    ['Task', r.byTask],
    ['Date', r.byDay],
  ] as const) {
    lines.push('', head(title), ...list.map(line), line(r.totals));
  }
  return lines.join('\r\n') + '\r\n';
}

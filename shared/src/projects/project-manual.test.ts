import { describe, expect, it } from 'vitest';
import { zonedTimeToEpoch } from '../attendance/time-zone.js';
import { projectManualCells, type ProjectManualEntry } from './project-manual.js';
import { buildProjectReport } from './project-report.js';
import type { Project } from './project-types.js';

const BER = 'Europe/Berlin';
const at = (date: string, time: string) => zonedTimeToEpoch(date, time, BER);
const H = 3600;

const entry = (
  start: [string, string],
  end: [string, string],
  status: ProjectManualEntry['status'],
  project: ProjectManualEntry['project'] = { projectId: 'p1' },
  employeeId = 'ada',
): ProjectManualEntry => ({ employeeId, start: at(...start), end: at(...end), status, project });

/** The entry as an agent seals one that names no project: no `project` key at all. */
const withoutProject = ({ project: _none, ...rest }: ProjectManualEntry): ProjectManualEntry => rest;

const range = { from: '2026-10-24', to: '2026-10-31', timeZoneOf: () => BER };
const sorted = (cells: ReturnType<typeof projectManualCells>) =>
  [...cells].sort((a, b) => a.date.localeCompare(b.date) || (a.taskId ?? '').localeCompare(b.taskId ?? ''));

describe('projectManualCells', () => {
  const cases: Array<{ name: string; entries: ProjectManualEntry[]; expected: ReturnType<typeof projectManualCells> }> =
    [
      {
        name: 'an approved entry counts its hours on its local day',
        entries: [entry(['2026-10-27', '14:00'], ['2026-10-27', '16:30'], 'approved')],
        expected: [{ personId: 'ada', date: '2026-10-27', taskId: null, seconds: 2.5 * H, state: 'approved' }],
      },
      {
        name: 'across local midnight: on both days',
        entries: [
          entry(['2026-10-27', '23:00'], ['2026-10-28', '01:30'], 'pending', { projectId: 'p1', taskId: 't1' }),
        ],
        expected: [
          { personId: 'ada', date: '2026-10-27', taskId: 't1', seconds: 1 * H, state: 'pending' },
          { personId: 'ada', date: '2026-10-28', taskId: 't1', seconds: 1.5 * H, state: 'pending' },
        ],
      },
      {
        name: 'the fall-back night (25 h day): the wall-clock hours 02:00–03:00 count twice',
        entries: [entry(['2026-10-25', '01:00'], ['2026-10-25', '04:00'], 'approved')],
        expected: [{ personId: 'ada', date: '2026-10-25', taskId: null, seconds: 4 * H, state: 'approved' }],
      },
      {
        name: 'rejected entries, other projects, no project and empty spans count nowhere',
        entries: [
          entry(['2026-10-27', '09:00'], ['2026-10-27', '10:00'], 'rejected'),
          entry(['2026-10-27', '10:00'], ['2026-10-27', '11:00'], 'approved', { projectId: 'p2' }),
          withoutProject(entry(['2026-10-27', '11:00'], ['2026-10-27', '12:00'], 'approved')),
          entry(['2026-10-27', '12:00'], ['2026-10-27', '12:00'], 'approved'),
        ],
        expected: [],
      },
      {
        name: 'outside the range: only the days inside count',
        entries: [entry(['2026-10-23', '22:00'], ['2026-10-24', '02:00'], 'approved')],
        expected: [{ personId: 'ada', date: '2026-10-24', taskId: null, seconds: 2 * H, state: 'approved' }],
      },
      {
        name: 'two entries of one day, task and state add up per cell',
        entries: [
          entry(['2026-10-27', '08:00'], ['2026-10-27', '09:00'], 'approved'),
          entry(['2026-10-27', '13:00'], ['2026-10-27', '13:30'], 'approved'),
          entry(['2026-10-27', '15:00'], ['2026-10-27', '16:00'], 'pending'),
        ],
        expected: [
          { personId: 'ada', date: '2026-10-27', taskId: null, seconds: 1.5 * H, state: 'approved' },
          { personId: 'ada', date: '2026-10-27', taskId: null, seconds: 1 * H, state: 'pending' },
        ],
      },
    ];
  it.each(cases)('$name', ({ entries, expected }) => {
    expect(sorted(projectManualCells(entries, 'p1', range))).toEqual(sorted(expected));
  });

  it('feeds the project report: manual approved and pending apart from tracked, budget counting approved only', () => {
    const project: Project = {
      id: 'p1',
      name: 'Site visits',
      client: null,
      colour: '#336699',
      teamIds: ['t'],
      budgetHours: 10,
      archived: false,
      tasks: [],
    } as unknown as Project;
    const report = buildProjectReport({
      project,
      people: [{ id: 'ada', name: 'Ada', timeZone: BER }],
      records: [],
      from: range.from,
      to: range.to,
      manual: projectManualCells(
        [
          entry(['2026-10-27', '09:00'], ['2026-10-27', '11:00'], 'approved'),
          entry(['2026-10-28', '09:00'], ['2026-10-28', '10:00'], 'pending'),
        ],
        'p1',
        range,
      ),
    });
    expect(report.totals).toMatchObject({ tracked: 0, manualApproved: 2, manualPending: 1, total: 2 });
    expect(report.budget).toMatchObject({ hours: 10, usedHours: 2 });
  });
});

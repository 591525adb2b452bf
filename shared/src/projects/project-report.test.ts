import { describe, expect, it } from 'vitest';
import { csvCell } from '../views/report-csv.js';
import { at, rec } from '../views/test-support/opened-records.js';
import type { ProjectRef } from './project-ref.js';
import { buildProjectReport, projectReportCsv } from './project-report.js';
import type { Project } from './project-types.js';

const people = [
  { id: 'ana', name: 'Ana', timeZone: 'Europe/Berlin' },
  { id: 'bo', name: 'Bo', timeZone: 'Europe/Berlin' },
];
const apollo: Project = {
  id: 'apollo',
  name: 'Apollo',
  colour: '#3366cc',
  teamIds: ['ops'],
  budgetHours: 10,
  archived: true, // archived: its history still reports
  tasks: [{ id: 'design', name: 'Design', assignees: ['ana'], status: 'done' }],
};
const slot = (employee: string, date: string, time: string, minutes: number, project?: ProjectRef) =>
  rec(
    'activity-slot',
    {
      start: at(date, time),
      slotSeconds: minutes * 60,
      activeSeconds: 1,
      keyPresses: 0,
      clicks: 0,
      mouseMoves: 0,
      scrolls: 0,
      ...(project ? { project } : {}),
    },
    { employee },
  );

describe('project report', () => {
  const records = [
    slot('ana', '2026-03-02', '09:00', 60, { projectId: 'apollo', taskId: 'design' }),
    slot('ana', '2026-03-02', '10:00', 30, { projectId: 'apollo' }),
    slot('ana', '2026-03-02', '11:00', 30, { projectId: 'borealis' }), // another project
    slot('ana', '2026-03-02', '12:00', 30), // nothing tracked
    slot('bo', '2026-03-03', '09:00', 120, { projectId: 'apollo', taskId: 'design' }),
  ];

  it('adds up tracked hours by person, task and day, with budget used', () => {
    const r = buildProjectReport({ project: apollo, people, records, from: '2026-03-01', to: '2026-03-31' });
    const row = (x: { label: string; tracked: number; total: number }) => `${x.label} ${x.tracked} ${x.total}`;
    expect(r.byPerson.map(row)).toEqual(['Ana 1.5 1.5', 'Bo 2 2']);
    expect(r.byTask.map(row)).toEqual(['Design 3 3', '(no task) 0.5 0.5']);
    expect(r.byDay.map(row)).toEqual(['2026-03-02 1.5 1.5', '2026-03-03 2 2']);
    expect(r.totals).toMatchObject({ tracked: 3.5, manualApproved: 0, manualPending: 0, total: 3.5 });
    expect(r.budget).toEqual({ hours: 10, usedHours: 3.5, usedPercent: 35 });
    expect(r.project.archived).toBe(true);
  });

  it('keeps manual time in its own columns: approved counts toward the budget, pending does not', () => {
    const r = buildProjectReport({
      project: apollo,
      people,
      records,
      from: '2026-03-01',
      to: '2026-03-31',
      manual: [
        { personId: 'ana', date: '2026-03-04', taskId: null, seconds: 3600, state: 'approved' },
        { personId: 'bo', date: '2026-03-04', taskId: 'design', seconds: 1800, state: 'pending' },
        { personId: 'bo', date: '2026-04-04', taskId: 'design', seconds: 1800, state: 'approved' }, // out of range
      ],
    });
    expect(r.totals).toMatchObject({ tracked: 3.5, manualApproved: 1, manualPending: 0.5, total: 4.5 });
    expect(r.budget?.usedHours).toBe(4.5);
  });

  it('exports CSV with every grouping and defused text cells', () => {
    const r = buildProjectReport({
      project: { ...apollo, name: '=Apollo' },
      people,
      records,
      from: '2026-03-01',
      to: '2026-03-31',
    });
    const csv = projectReportCsv(r, csvCell);
    expect(csv.split('\r\n').slice(0, 6)).toEqual([
      "Project,'=Apollo,2026-03-01,2026-03-31",
      'Budget (h),10,Used (h),3.5,Used %,35',
      '',
      'Person,Tracked (h),Manual approved (h),Manual pending (h),Total (h)',
      'Ana,1.50,0.00,0.00,1.50',
      'Bo,2.00,0.00,0.00,2.00',
    ]);
    expect(csv).toContain('Date,Tracked (h)');
  });
});

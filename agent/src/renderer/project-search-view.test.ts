// The search window's list: a project and its open tasks as choices, every
// typed word must match, arrows wrap.
import { describe, expect, it } from 'vitest';
import type { ProjectListEntry } from '../tracking/project-choice.js';
import { filterChoices, moveSelection, projectChoices, sameChoice } from './project-search-view.js';

const entries: ProjectListEntry[] = [
  {
    projectId: 'apollo',
    name: 'Apollo',
    client: 'Acme',
    colour: '#2f5f98',
    tasks: [
      { taskId: 'design', name: 'Design', assignedToMe: true },
      { taskId: 'build', name: 'Build', assignedToMe: false },
    ],
  },
  { projectId: 'borealis', name: 'Borealis', client: null, colour: '#b45309', tasks: [] },
];

describe('project search view', () => {
  const all = projectChoices(entries);

  it('lists each project, then its tasks, labelled as the tray says them', () => {
    expect(all.map((c) => c.label)).toEqual(['Apollo', 'Apollo — Design', 'Apollo — Build', 'Borealis']);
    expect(all[1]).toMatchObject({ projectId: 'apollo', taskId: 'design', assignedToMe: true, client: 'Acme' });
    expect(all[0]!.taskId).toBeUndefined();
  });

  it.each([
    ['', ['Apollo', 'Apollo — Design', 'Apollo — Build', 'Borealis']],
    ['bor', ['Borealis']],
    ['APO des', ['Apollo — Design']],
    ['acme', ['Apollo', 'Apollo — Design', 'Apollo — Build']],
    ['build', ['Apollo — Build']],
    ['zzz', []],
    ['  ', ['Apollo', 'Apollo — Design', 'Apollo — Build', 'Borealis']],
  ])('"%s" keeps %j', (q, labels) => {
    expect(filterChoices(all, q).map((c) => c.label)).toEqual(labels);
  });

  it.each([
    [-1, 3, 'ArrowDown', 0],
    [0, 3, 'ArrowDown', 1],
    [2, 3, 'ArrowDown', 0],
    [0, 3, 'ArrowUp', 2],
    [-1, 3, 'ArrowUp', 2],
    [2, 3, 'Home', 0],
    [0, 3, 'End', 2],
    [0, 0, 'ArrowDown', -1],
  ] as const)('from %i of %i, %s goes to %i', (from, count, key, to) => {
    expect(moveSelection(from, count, key)).toBe(to);
  });

  it('tells a project from its task', () => {
    expect(sameChoice({ projectId: 'apollo' }, { projectId: 'apollo', taskId: 'design' })).toBe(false);
    expect(sameChoice({ projectId: 'apollo', taskId: 'design' }, { projectId: 'apollo', taskId: 'design' })).toBe(true);
  });
});

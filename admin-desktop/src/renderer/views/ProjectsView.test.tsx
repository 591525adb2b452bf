import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ProjectBook } from '../../api/contracts/projects-contract.js';
import { ProjectsView } from './ProjectsView.js';
import { idFrom, projectOf, withTask, withTaskChange, emptyDraft } from './project-draft.js';

const book: ProjectBook = {
  canEdit: true,
  teams: ['blue', 'red'],
  people: [{ employeeId: 'ada', name: 'Ada', teamId: 'blue' }],
  refused: [{ id: 'project:x', reason: 'the document was changed after signing' }],
  projects: [
    {
      id: 'apollo',
      name: 'Apollo',
      client: 'NASA',
      colour: '#3366cc',
      teamIds: ['blue'],
      budgetHours: 10,
      archived: false,
      tasks: [{ id: 'design', name: 'Design', assignees: ['ada'], status: 'open' }],
      issuedAt: 1,
      waiting: true,
    },
    { id: 'old', name: 'Old', colour: '#000000', teamIds: [], archived: true, tasks: [], issuedAt: 1, waiting: false },
  ],
};
const noop = async () => '';

describe('ProjectsView', () => {
  it('lists projects with their state, the refused ones, and the editor for admins', () => {
    const html = renderToStaticMarkup(<ProjectsView book={book} onSave={noop} onReport={() => undefined} />);
    expect(html).toContain('Waiting to sync');
    expect(html).toContain('Archived');
    expect(html).toContain('>Restore</button>');
    expect(html).toContain('project:x was refused and is not used: the document was changed after signing');
    expect(html).toContain('aria-label="project"');
  });

  it('shows no editor to a role that cannot sign', () => {
    const html = renderToStaticMarkup(
      <ProjectsView book={{ ...book, canEdit: false }} onSave={noop} onReport={() => undefined} />,
    );
    expect(html).not.toContain('aria-label="project"');
    expect(html).not.toContain('>Archive</button>');
    expect(html).toContain('>Report</button>');
  });
});

describe('project drafts', () => {
  it('makes unique ids from names, and tasks that keep the rest of the project', () => {
    expect(idFrom('Apollo Launch!', ['apollo-launch'])).toBe('apollo-launch-2');
    expect(idFrom('***', [])).toBe('project');
    const p = projectOf({ ...emptyDraft(), name: ' Zeta ', budgetHours: '12.5', teamIds: ['red'] }, undefined, []);
    expect(p).toEqual({
      id: 'zeta',
      name: 'Zeta',
      colour: '#3366cc',
      teamIds: ['red'],
      budgetHours: 12.5,
      archived: false,
      tasks: [],
    });
    const t = withTask(p, 'Write spec', ['ada']);
    expect(t.tasks).toEqual([{ id: 'write-spec', name: 'Write spec', assignees: ['ada'], status: 'open' }]);
    expect(withTaskChange(t, 'write-spec', { status: 'done' }).tasks[0]?.status).toBe('done');
  });
});

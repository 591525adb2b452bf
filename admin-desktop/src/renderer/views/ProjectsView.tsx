/**
 * Projects and tasks: the list (active first, archived after), an editor
 * for a project (name, client, colour, teams, budget) and its tasks (add,
 * assign people, mark done), archive/restore, and a link to each report.
 * Every save signs a new version (admins); others read.
 */
import { useState, type FormEvent } from 'react';
import type { Project, ProjectBook, ProjectView } from '../../api/contracts/projects-contract.js';
import {
  draftOf,
  emptyDraft,
  plainProject,
  projectOf,
  withTask,
  withTaskChange,
  type ProjectDraft,
} from './project-draft.js';

export type ProjectsViewProps = {
  book: ProjectBook;
  /** Saves a version; resolves to what to tell the admin, rejects with the reason. */
  onSave: (project: Project) => Promise<string>;
  onReport: (projectId: string) => void;
};

function TaskEditor({
  project,
  book,
  save,
}: {
  project: ProjectView;
  book: ProjectBook;
  save: (p: Project) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [assignees, setAssignees] = useState<string[]>([]);
  const nameOf = (id: string) => book.people.find((p) => p.employeeId === id)?.name ?? id;
  const base = plainProject(project);
  return (
    <section className="project-tasks" aria-label="tasks">
      <h3>Tasks of {project.name}</h3>
      <table className="project-tasks-table">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Assigned to</th>
            <th scope="col">Status</th>
            {book.canEdit && <th scope="col">Change</th>}
          </tr>
        </thead>
        <tbody>
          {project.tasks.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No tasks yet.
              </td>
            </tr>
          )}
          {project.tasks.map((t) => (
            <tr key={t.id}>
              <th scope="row">{t.name}</th>
              <td>{t.assignees.map(nameOf).join(', ') || '—'}</td>
              <td>{t.status === 'done' ? 'Done' : 'Open'}</td>
              {book.canEdit && (
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void save(withTaskChange(base, t.id, { status: t.status === 'done' ? 'open' : 'done' }))
                    }
                  >
                    {t.status === 'done' ? 'Reopen' : 'Mark done'}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {book.canEdit && (
        <form
          aria-label="add task"
          className="form-row"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void save(withTask(base, name, assignees)).then(() => {
              setName('');
              setAssignees([]);
            });
          }}
        >
          <label>
            Task name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
          </label>
          <label>
            Assign to
            <select
              multiple
              value={assignees}
              onChange={(e) => setAssignees([...e.target.selectedOptions].map((o) => o.value))}
            >
              {book.people.map((p) => (
                <option key={p.employeeId} value={p.employeeId}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Add task</button>
        </form>
      )}
    </section>
  );
}

export function ProjectsView({ book, onSave, onReport }: ProjectsViewProps) {
  const [draft, setDraft] = useState<ProjectDraft>(emptyDraft);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const taken = book.projects.map((p) => p.id);
  const editing = draft.id ? book.projects.find((p) => p.id === draft.id) : undefined;
  const save = async (p: Project) => {
    setError(null);
    try {
      setNotice(await onSave(p));
    } catch (err) {
      setNotice(null);
      setError(err instanceof Error ? err.message : String(err));
      throw err;
    }
  };
  const set = (change: Partial<ProjectDraft>) => setDraft((d) => ({ ...d, ...change }));
  return (
    <section className="view projects" aria-labelledby="projects-title">
      <header className="view-header">
        <h1 id="projects-title">Projects</h1>
      </header>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {book.refused.length > 0 && (
        <ul className="refused" aria-label="refused projects">
          {book.refused.map((r) => (
            <li key={r.id} className="error-text">
              {r.id} was refused and is not used: {r.reason}
            </li>
          ))}
        </ul>
      )}
      <table className="projects-table">
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Client</th>
            <th scope="col">Teams</th>
            <th scope="col">Budget (h)</th>
            <th scope="col">Tasks open / done</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {book.projects.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No project has been created yet.
              </td>
            </tr>
          )}
          {book.projects.map((p) => (
            <tr key={p.id} className={p.archived ? 'archived' : undefined}>
              <th scope="row">
                <span className="project-swatch" style={{ background: p.colour }} aria-hidden="true" /> {p.name}
              </th>
              <td>{p.client ?? '—'}</td>
              <td>{p.teamIds.join(', ') || '—'}</td>
              <td>{p.budgetHours ?? '—'}</td>
              <td>
                {p.tasks.filter((t) => t.status === 'open').length} /{' '}
                {p.tasks.filter((t) => t.status === 'done').length}
              </td>
              <td>{p.archived ? 'Archived' : p.waiting ? 'Waiting to sync' : 'Active'}</td>
              <td className="actions">
                <button type="button" onClick={() => onReport(p.id)}>
                  Report
                </button>
                {book.canEdit && (
                  <>
                    <button type="button" onClick={() => setDraft(draftOf(p))}>
                      Edit
                    </button>
                    <button
                      type="button"
                      onClick={() => void save({ ...plainProject(p), archived: !p.archived }).catch(() => undefined)}
                    >
                      {p.archived ? 'Restore' : 'Archive'}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {book.canEdit && (
        <form
          aria-label="project"
          className="project-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            const p = projectOf(draft, editing, taken);
            void save(p)
              .then(() => setDraft(draftOf(p)))
              .catch(() => undefined);
          }}
        >
          <h2>{editing ? `Edit ${editing.name}` : 'New project'}</h2>
          <label>
            Name <input value={draft.name} onChange={(e) => set({ name: e.target.value })} required maxLength={120} />
          </label>
          <label>
            Client <input value={draft.client} onChange={(e) => set({ client: e.target.value })} maxLength={120} />
          </label>
          <label>
            Colour <input type="color" value={draft.colour} onChange={(e) => set({ colour: e.target.value })} />
          </label>
          <fieldset>
            <legend>Teams</legend>
            {book.teams.map((t) => (
              <label key={t} className="inline">
                <input
                  type="checkbox"
                  checked={draft.teamIds.includes(t)}
                  onChange={(e) =>
                    set({ teamIds: e.target.checked ? [...draft.teamIds, t] : draft.teamIds.filter((x) => x !== t) })
                  }
                />{' '}
                {t}
              </label>
            ))}
          </fieldset>
          <label>
            Budget (hours){' '}
            <input
              inputMode="decimal"
              value={draft.budgetHours}
              onChange={(e) => set({ budgetHours: e.target.value })}
              placeholder="none"
            />
          </label>
          <div className="form-row">
            <button type="submit">Save project</button>
            {editing && (
              <button type="button" onClick={() => setDraft(emptyDraft())}>
                New project
              </button>
            )}
          </div>
        </form>
      )}
      {editing && <TaskEditor project={editing} book={book} save={(p) => save(p)} />}
      {!editing && !book.canEdit && (
        <p className="muted">Projects are created by admins (the organisation key signs them).</p>
      )}
    </section>
  );
}

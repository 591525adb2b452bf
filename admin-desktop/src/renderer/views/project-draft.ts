/** Editing a project in the Projects screen: the draft a form holds, and the signed Project it becomes. */
import type { Project, ProjectTask } from '../../api/contracts/projects-contract.js';

export type ProjectDraft = {
  /** null: a new project (its id is made from the name on save) */
  id: string | null;
  name: string;
  client: string;
  colour: string;
  teamIds: string[];
  budgetHours: string;
};

export const emptyDraft = (): ProjectDraft => ({
  id: null,
  name: '',
  client: '',
  colour: '#3366cc',
  teamIds: [],
  budgetHours: '',
});

export const draftOf = (p: Project): ProjectDraft => ({
  id: p.id,
  name: p.name,
  client: p.client ?? '',
  colour: p.colour,
  teamIds: [...p.teamIds],
  budgetHours: p.budgetHours === undefined ? '' : String(p.budgetHours),
});

/** A short id from a name, unique among `taken` ("Apollo Launch" → "apollo-launch", then "apollo-launch-2"). */
export function idFrom(name: string, taken: readonly string[]): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'project';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

/** The project a draft saves as; tasks and archive state come from the stored version (or none). */
export function projectOf(draft: ProjectDraft, stored: Project | undefined, taken: readonly string[]): Project {
  const budget = draft.budgetHours.trim() === '' ? undefined : Number(draft.budgetHours);
  return {
    id: draft.id ?? idFrom(draft.name, taken),
    name: draft.name.trim(),
    ...(draft.client.trim() ? { client: draft.client.trim() } : {}),
    colour: draft.colour.toLowerCase(),
    teamIds: draft.teamIds,
    ...(budget !== undefined ? { budgetHours: budget } : {}),
    archived: stored?.archived ?? false,
    tasks: stored?.tasks ?? [],
  };
}

export function withTask(p: Project, name: string, assignees: string[]): Project {
  const task: ProjectTask = {
    id: idFrom(
      name,
      p.tasks.map((t) => t.id),
    ),
    name: name.trim(),
    assignees,
    status: 'open',
  };
  return { ...p, tasks: [...p.tasks, task] };
}

export const withTaskChange = (p: Project, taskId: string, change: Partial<ProjectTask>): Project => ({
  ...p,
  tasks: p.tasks.map((t) => (t.id === taskId ? { ...t, ...change } : t)),
});

/** What a project looks like on the wire: no view-only fields (issuedAt, waiting). */
export function plainProject(p: Project & { issuedAt?: number; waiting?: boolean }): Project {
  const { issuedAt: _i, waiting: _w, ...rest } = p;
  return rest;
}

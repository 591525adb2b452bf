/**
 * Which project (and task) the employee means when they type one, and the
 * list they pick from: pure, over the verified projects of their inbox.
 * A project is named by its id or its name (case does not matter; a unique
 * part of a name will do); a task likewise within its project.
 */
import type { Project, ProjectRef, ProjectTask, ProjectVersion } from '@sealtime/shared';

export type ChoiceError = {
  code: 'no-such-project' | 'ambiguous' | 'archived' | 'no-such-task' | 'task-done';
  message: string;
};
export type Choice =
  { ok: true; ref: ProjectRef; project: Project; task: ProjectTask | null } | { ok: false; error: ChoiceError };

const fold = (s: string) => s.trim().toLocaleLowerCase();

function pick<T extends { id: string; name: string }>(items: readonly T[], typed: string): T[] {
  const q = fold(typed);
  const exact = items.filter((x) => x.id === typed.trim() || fold(x.name) === q);
  if (exact.length > 0) return exact;
  return items.filter((x) => fold(x.name).includes(q) || fold(x.id).includes(q));
}

const fail = (code: ChoiceError['code'], message: string): Choice => ({ ok: false, error: { code, message } });

export function chooseProject(projects: readonly ProjectVersion[], projectArg: string, taskArg?: string): Choice {
  if (projectArg.trim() === '') return fail('no-such-project', 'name a project (sealtime-agent projects lists them)');
  const all = projects.map((p) => p.project);
  const found = pick(all, projectArg);
  const open = found.filter((p) => !p.archived);
  if (found.length === 0)
    return fail(
      'no-such-project',
      `no project matches "${projectArg}" (sealtime-agent projects lists the ones you can track)`,
    );
  if (open.length === 0)
    return fail('archived', `project ${found[0]!.name} is archived: time can no longer be tracked on it`);
  if (open.length > 1)
    return fail(
      'ambiguous',
      `"${projectArg}" matches ${open.map((p) => p.name).join(', ')}: type more of the name, or the id`,
    );
  const project = open[0]!;
  if (taskArg === undefined || taskArg.trim() === '')
    return { ok: true, ref: { projectId: project.id }, project, task: null };
  const tasks = pick(project.tasks, taskArg);
  if (tasks.length === 0) return fail('no-such-task', `project ${project.name} has no task matching "${taskArg}"`);
  const openTasks = tasks.filter((t) => t.status === 'open');
  if (openTasks.length === 0) return fail('task-done', `task ${tasks[0]!.name} of ${project.name} is done`);
  if (openTasks.length > 1)
    return fail(
      'ambiguous',
      `"${taskArg}" matches tasks ${openTasks.map((t) => t.name).join(', ')}: type more of the name, or the id`,
    );
  const task = openTasks[0]!;
  return { ok: true, ref: { projectId: project.id, taskId: task.id }, project, task };
}

export interface ProjectListEntry {
  projectId: string;
  name: string;
  client: string | null;
  colour: string;
  tasks: Array<{ taskId: string; name: string; assignedToMe: boolean }>;
}

/** The projects that can be tracked (not archived), open tasks only, filtered by a search over names, clients and ids. */
export function listProjects(
  projects: readonly ProjectVersion[],
  employeeId: string,
  search?: string,
): ProjectListEntry[] {
  const q = search === undefined ? '' : fold(search);
  const hit = (s: string | undefined) => s !== undefined && fold(s).includes(q);
  return projects
    .map((v) => v.project)
    .filter((p) => !p.archived)
    .filter((p) => q === '' || hit(p.name) || hit(p.client) || hit(p.id) || p.tasks.some((t) => hit(t.name)))
    .map((p) => ({
      projectId: p.id,
      name: p.name,
      client: p.client ?? null,
      colour: p.colour,
      tasks: p.tasks
        .filter((t) => t.status === 'open')
        .map((t) => ({ taskId: t.id, name: t.name, assignedToMe: t.assignees.includes(employeeId) })),
    }));
}

/** "Project — Task" for a reference, from the projects known (ids when not known, e.g. a project since withdrawn). */
export function refLabel(projects: readonly ProjectVersion[], ref: ProjectRef): string {
  const p = projects.find((v) => v.project.id === ref.projectId)?.project;
  const t = ref.taskId ? p?.tasks.find((x) => x.id === ref.taskId) : undefined;
  const name = p?.name ?? ref.projectId;
  return ref.taskId ? `${name} — ${t?.name ?? ref.taskId}` : name;
}

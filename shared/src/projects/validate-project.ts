/**
 * What makes a project well-formed, with one message per problem (the admin
 * app shows them; the agent refuses a document that has any).
 */
import { PROJECT_ID_MAX_LENGTH } from './project-ref.js';
import { TASK_STATUSES, type Project } from './project-types.js';

export type ProjectProblem = { path: string; message: string };

export const MAX_PROJECT_TASKS = 500;
export const MAX_PROJECT_TEAMS = 50;
export const MAX_TASK_ASSIGNEES = 200;
export const MAX_BUDGET_HOURS = 100_000;

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
// the ids the directory gives teams and employees (recipients-document.ts)
const PERSON_OR_TEAM = /^[a-z0-9][a-z0-9-]{0,62}$/;
const COLOUR = /^#[0-9a-f]{6}$/;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isId = (x: unknown): x is string => typeof x === 'string' && x.length <= PROJECT_ID_MAX_LENGTH && ID.test(x);
const isName = (x: unknown, max: number): x is string =>
  typeof x === 'string' && x.trim() !== '' && x.length <= max && x === x.trim();

function unknownFields(o: Record<string, unknown>, known: readonly string[], at: string): ProjectProblem[] {
  return Object.keys(o)
    .filter((k) => !known.includes(k))
    .map((k) => ({ path: `${at}${k}`, message: 'is not a project field' }));
}

export function validateProject(x: unknown): ProjectProblem[] {
  if (!isObject(x)) return [{ path: '', message: 'a project is an object' }];
  const out: ProjectProblem[] = unknownFields(
    x,
    ['id', 'name', 'client', 'colour', 'teamIds', 'budgetHours', 'archived', 'tasks'],
    '',
  );
  const add = (path: string, message: string) => out.push({ path, message });
  if (!isId(x.id)) add('id', 'is a short id of letters, digits, "-" and "_"');
  if (!isName(x.name, 120)) add('name', 'is 1 to 120 characters, without leading or trailing spaces');
  if (x.client !== undefined && !isName(x.client, 120)) add('client', 'is 1 to 120 characters when given');
  if (typeof x.colour !== 'string' || !COLOUR.test(x.colour)) add('colour', 'is a colour #rrggbb (lower case)');
  if (
    !Array.isArray(x.teamIds) ||
    x.teamIds.length > MAX_PROJECT_TEAMS ||
    !x.teamIds.every((t) => typeof t === 'string' && PERSON_OR_TEAM.test(t)) ||
    new Set(x.teamIds).size !== x.teamIds.length
  )
    add('teamIds', `is a list of at most ${MAX_PROJECT_TEAMS} distinct team ids`);
  if (
    x.budgetHours !== undefined &&
    (typeof x.budgetHours !== 'number' ||
      !Number.isFinite(x.budgetHours) ||
      x.budgetHours <= 0 ||
      x.budgetHours > MAX_BUDGET_HOURS)
  )
    add('budgetHours', `is a number of hours above 0 and at most ${MAX_BUDGET_HOURS}, or absent`);
  if (typeof x.archived !== 'boolean') add('archived', 'is true or false');
  if (!Array.isArray(x.tasks) || x.tasks.length > MAX_PROJECT_TASKS) {
    add('tasks', `is a list of at most ${MAX_PROJECT_TASKS} tasks`);
    return out;
  }
  const seen = new Set<string>();
  x.tasks.forEach((t: unknown, i) => {
    const at = `tasks[${i}].`;
    if (!isObject(t)) return add(`tasks[${i}]`, 'a task is an object');
    out.push(...unknownFields(t, ['id', 'name', 'assignees', 'status'], at));
    if (!isId(t.id)) add(`${at}id`, 'is a short id of letters, digits, "-" and "_"');
    else if (seen.has(t.id)) add(`${at}id`, `${t.id} is used by another task of this project`);
    else seen.add(t.id);
    if (!isName(t.name, 200)) add(`${at}name`, 'is 1 to 200 characters, without leading or trailing spaces');
    if (
      !Array.isArray(t.assignees) ||
      t.assignees.length > MAX_TASK_ASSIGNEES ||
      !t.assignees.every((a) => typeof a === 'string' && PERSON_OR_TEAM.test(a)) ||
      new Set(t.assignees).size !== t.assignees.length
    )
      add(`${at}assignees`, `is a list of at most ${MAX_TASK_ASSIGNEES} distinct employee ids`);
    if (!(TASK_STATUSES as readonly unknown[]).includes(t.status)) add(`${at}status`, 'is open or done');
  });
  return out;
}

export function isProject(x: unknown): x is Project {
  return validateProject(x).length === 0;
}

export const problemText = (problems: readonly ProjectProblem[]): string =>
  problems.map((p) => (p.path ? `${p.path} ${p.message}` : p.message)).join('; ');

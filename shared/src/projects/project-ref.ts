/**
 * What a stretch of time was for: a project and, optionally, one of its tasks.
 * Ids are opaque strings issued with the signed project documents; tracked
 * records (activity slots, app events, screenshots) and manual time entries
 * carry one inside their sealed payload, so the server never learns it.
 */
export interface ProjectRef {
  projectId: string;
  taskId?: string;
}

export const PROJECT_ID_MAX_LENGTH = 64;

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function isId(x: unknown): x is string {
  return typeof x === 'string' && x.length <= PROJECT_ID_MAX_LENGTH && ID.test(x);
}

/** Why `x` is not a ProjectRef, or undefined when it is one. */
export function projectRefProblem(x: unknown): string | undefined {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return 'a project reference is an object';
  const r = x as Record<string, unknown>;
  for (const k of Object.keys(r)) if (k !== 'projectId' && k !== 'taskId') return `unknown field ${k}`;
  if (!isId(r.projectId)) return 'projectId is a short id of letters, digits, "-" and "_"';
  if (r.taskId !== undefined && !isId(r.taskId)) return 'taskId is a short id of letters, digits, "-" and "_"';
  return undefined;
}

export function isProjectRef(x: unknown): x is ProjectRef {
  return projectRefProblem(x) === undefined;
}

export function sameProjectRef(a: ProjectRef | undefined, b: ProjectRef | undefined): boolean {
  return a?.projectId === b?.projectId && a?.taskId === b?.taskId;
}

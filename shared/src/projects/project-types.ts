/**
 * Projects and their tasks as the organisation publishes them: plain data,
 * signed (project-document.ts), delivered to the agents of the people they
 * concern, and named by the ProjectRef that tracked records carry.
 */

export type TaskStatus = 'open' | 'done';
export const TASK_STATUSES: readonly TaskStatus[] = ['open', 'done'];

export interface ProjectTask {
  id: string;
  name: string;
  /** Employee ids the task is assigned to; an assigned task reaches their agents even outside the project's teams. */
  assignees: string[];
  status: TaskStatus;
}

export interface Project {
  id: string;
  name: string;
  client?: string;
  /** '#rrggbb', how the timeline and report draw it. */
  colour: string;
  /** Teams whose people may track it (and whose managers may edit it). */
  teamIds: string[];
  budgetHours?: number;
  /** Kept for history and reports; agents stop offering it. */
  archived: boolean;
  tasks: ProjectTask[];
}

/** A project as signed: the project plus when it was issued (a newer one replaces it). */
export interface ProjectVersion {
  project: Project;
  issuedAt: number;
}

/** Whether a project is for this person: one of their teams, or a task assigned to them. */
export function projectConcerns(project: Project, employeeId: string, teamId: string | null): boolean {
  if (teamId !== null && project.teamIds.includes(teamId)) return true;
  return project.tasks.some((t) => t.assignees.includes(employeeId));
}

/** Where a project lives in the directory and in inboxes: one document per project, replaced on change. */
export const PROJECT_DOC_PREFIX = 'project:';
export const projectDocId = (projectId: string): string => `${PROJECT_DOC_PREFIX}${projectId}`;

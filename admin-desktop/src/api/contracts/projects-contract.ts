/**
 * Projects and tasks (issue 17): admins create, edit and archive projects
 * and their tasks (the organisation key signs each version, which then goes
 * to the directory and to the inboxes of the people it concerns); everyone
 * who reviews reads them and the project report. Every stored project is
 * verified on read; one that fails is listed as refused, never used.
 * No Node, no Electron: the renderer imports this.
 */
import type { Project, ProjectReport } from '@sealtime/shared';
import { isDate, isObj, isStr, rangeInOrder, type Contract } from './contract-kit.js';

export type { Project, ProjectReport, ProjectReportRow, ProjectTask } from '@sealtime/shared';

export interface ProjectView extends Project {
  issuedAt: number;
  /** signed here and waiting in the outbox for the server */
  waiting: boolean;
}

export interface ProjectBook {
  /** only admins hold the organisation key that signs projects */
  canEdit: boolean;
  projects: ProjectView[];
  teams: string[];
  people: Array<{ employeeId: string; name: string; teamId: string | null }>;
  refused: Array<{ id: string; reason: string }>;
}

export interface ProjectSaveResult {
  /** 'queued': signed and kept in the outbox until the server answers */
  status: 'sent' | 'queued';
  projectId: string;
  issuedAt: number;
  /** employees whose inbox it goes to */
  deliveredTo: string[];
}

export interface ProjectsRequests {
  saveProject: { params: { project: Project }; result: ProjectSaveResult };
}

export interface ProjectsSubscriptions {
  projectBook: { params: Record<string, never>; value: ProjectBook };
  projectReport: { params: { projectId: string; from: string; to: string }; value: ProjectReport };
}

const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
// the core checks every field and names the one that is wrong; here only the frame
const isProjectFrame = (x: unknown): boolean =>
  isObj(x) && typeof x.id === 'string' && PROJECT_ID.test(x.id) && JSON.stringify(x).length <= 200_000;

export const PROJECTS_CONTRACT: Contract<ProjectsRequests, ProjectsSubscriptions> = {
  requests: {
    saveProject: {
      spec: { project: isProjectFrame },
      result: (x) =>
        isObj(x) &&
        (x.status === 'sent' || x.status === 'queued') &&
        isStr(x.projectId) &&
        typeof x.issuedAt === 'number' &&
        Array.isArray(x.deliveredTo),
    },
  },
  subscriptions: {
    projectBook: {
      spec: {},
      value: (x) => isObj(x) && typeof x.canEdit === 'boolean' && Array.isArray(x.projects) && Array.isArray(x.refused),
    },
    projectReport: {
      spec: { projectId: (x) => typeof x === 'string' && PROJECT_ID.test(x), from: isDate, to: isDate },
      value: (x) => isObj(x) && isObj(x.project) && Array.isArray(x.byPerson) && isObj(x.totals),
      cross: rangeInOrder,
    },
  },
};

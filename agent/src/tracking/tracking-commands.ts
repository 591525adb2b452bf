/**
 * The tracking commands the control socket, the CLI and the tray drive
 * (`track`, `stop`, `projects`) and the tracking part of the agent's status,
 * over the tracker, the verified projects of the inbox and the policy.
 *
 * Capture while nothing is tracked: it goes on, sealed without a project
 * (shown as "no project"). Stopping capture would lose the activity
 * record the employer's policy asks for, and the time can still be seen
 * and explained; with `tracking.requireProject` on, the status and tray
 * ask the employee to pick one instead.
 */
import type { CapturePolicy, ProjectRef, ProjectVersion } from '@sealtime/shared';
import { chooseProject, listProjects, refLabel, type ChoiceError, type ProjectListEntry } from './project-choice.js';
import type { ProjectTracker } from './project-tracker.js';

export interface TrackedRef extends ProjectRef {
  label: string;
}

export interface TrackingStatus {
  current: TrackedRef | null;
  since: string | null;
  recent: TrackedRef[];
  requireProject: boolean;
  /** The policy asks for a project and none is tracked: the tray says "pick a project". */
  needsProject: boolean;
  /** What to tell the employee, or null. */
  note: string | null;
}

export type TrackResult = { ok: true; value: TrackingStatus } | { ok: false; error: ChoiceError };

export interface TrackingDeps {
  tracker: ProjectTracker;
  projects: () => readonly ProjectVersion[];
  employeeId: string;
  policy: () => CapturePolicy;
  /** Hands out the open slot and focus span at a switch (a running capture session), if any. */
  cut?: (at: number) => Promise<void>;
}

export function trackingStatus(d: Omit<TrackingDeps, 'cut'>): TrackingStatus {
  const s = d.tracker.state;
  const projects = d.projects();
  const withLabel = (r: ProjectRef): TrackedRef => ({ ...r, label: refLabel(projects, r) });
  const requireProject = d.policy().tracking.requireProject;
  const needsProject = requireProject && s.current === null;
  return {
    current: s.current ? withLabel(s.current) : null,
    since: s.since === null ? null : new Date(s.since).toISOString(),
    recent: s.recent
      .filter((r) => projects.some((p) => p.project.id === r.projectId && !p.project.archived))
      .map(withLabel),
    requireProject,
    needsProject,
    note: needsProject
      ? 'pick a project: your organisation asks that tracked time names one (until then it is recorded as "no project")'
      : null,
  };
}

export function trackingCommands(d: TrackingDeps) {
  return {
    /** Starts (or switches) tracking; `project` null stops it. */
    async track(project: string | null, task?: string): Promise<TrackResult> {
      if (project === null) {
        await d.tracker.switchTo(null, d.cut);
        return { ok: true, value: trackingStatus(d) };
      }
      const c = chooseProject(d.projects(), project, task);
      if (!c.ok) return c;
      await d.tracker.switchTo(c.ref, d.cut);
      return { ok: true, value: trackingStatus(d) };
    },
    projects(search?: string): { projects: ProjectListEntry[]; tracking: TrackingStatus } {
      return { projects: listProjects(d.projects(), d.employeeId, search), tracking: trackingStatus(d) };
    },
    status: () => trackingStatus(d),
  };
}

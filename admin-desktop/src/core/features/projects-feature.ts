/**
 * Projects and tasks (issue 17): an admin's save signs a new version of the
 * project with the organisation key and queues, in the outbox (kept in the
 * replica before this returns), the directory copy and one inbox copy per
 * person it concerns (its teams' people and its tasks' assignees, before and
 * after the change: someone taken off still gets the version that ends it
 * for them). Offline it all waits there and goes when the server answers.
 *
 * The project report reads the opened replica: tracked time is what sealed
 * activity slots say was tracked on the project (projects/project-time.ts).
 */
import {
  createProjectDocument,
  projectReportOfCells,
  projectTime,
  projectConcerns,
  projectDocId,
  problemText,
  validateProject,
  type OpenedRecord,
  type Project,
  type ProjectTimeCell,
} from '@sealtime/shared';
import type { ProjectBook, ProjectsRequests, ProjectsSubscriptions } from '../../api/contracts/projects-contract.js';
import { activeKeys } from '../../admin/key-custody.js';
import { DIRECTORY_DB } from '../../admin/directory-docs.js';
import { inboxWrite } from '../../admin/inbox-publisher.js';
import { apiError } from '../core-errors.js';
import { DayTotalsCache } from '../day-totals-cache.js';
import { loadProjectBook, noteProjectPending } from '../project-book.js';
import { loadScheduleBook } from '../schedule-book.js';
import type { CoreContext, Unlocked } from '../unlocked-session.js';
import type { Feature } from './feature.js';
import { addDays } from './review-feature.js';

/** Each person-day's project time, per session: a report over everyone × a month aggregates these. */
const cellsBySession = new WeakMap<Unlocked, DayTotalsCache<ProjectTimeCell[]>>();

async function projectCells(u: Unlocked, timeZone: string, from: string, to: string): Promise<ProjectTimeCell[]> {
  let cache = cellsBySession.get(u);
  if (!cache) cellsBySession.set(u, (cache = new DayTotalsCache()));
  const dates: string[] = [];
  for (let d = from; d <= to && dates.length < 366; d = addDays(d, 1)) dates.push(d);
  const out: ProjectTimeCell[] = [];
  for (const p of u.people) {
    // the stamp before the records are read: a change meanwhile leaves these days to be computed again
    const stamp = u.index.recordSetStamp(p.employeeId);
    const days = await cache.days(p.employeeId, stamp, dates, async (missing) => {
      const lo = addDays(missing[0]!, -1);
      const hi = addDays(missing[missing.length - 1]!, 1);
      const records: OpenedRecord[] = [];
      for (const [d, list] of (await u.index.employee(p.employeeId)).days)
        if (d >= lo && d <= hi) records.push(...list);
      const person = { id: p.employeeId, name: p.displayName, timeZone };
      const byDay = new Map<string, ProjectTimeCell[]>(missing.map((d) => [d, []]));
      for (const c of projectTime(person, records, missing[0]!, missing[missing.length - 1]!))
        byDay.get(c.date)?.push(c);
      return byDay;
    });
    for (const d of dates) out.push(...days.get(d)!);
  }
  return out;
}

function admin(ctx: CoreContext): Unlocked {
  const u = ctx.need();
  if (u.keys.scope.keyRole !== 'organisation')
    throw apiError(
      'forbidden',
      `only admins save projects: they are signed with the organisation key, which a ${u.keys.scope.role} account does not hold`,
    );
  return u;
}

/** The people a version concerns, by their team in the directory. */
function concerned(u: Unlocked, project: Project | undefined): string[] {
  if (!project) return [];
  return u.people.filter((p) => projectConcerns(project, p.employeeId, p.teamId)).map((p) => p.employeeId);
}

async function checkRefs(ctx: CoreContext, u: Unlocked, project: Project): Promise<void> {
  const teams = new Set([...(await loadScheduleBook(ctx, true)).teams, ...u.people.flatMap((p) => p.teamId ?? [])]);
  const unknownTeam = project.teamIds.find((t) => !teams.has(t));
  if (unknownTeam) throw apiError('not-found', `nothing was saved: team ${unknownTeam} is not in the directory`);
  for (const t of project.tasks) {
    const who = t.assignees.find((a) => !u.people.some((p) => p.employeeId === a));
    if (who)
      throw apiError(
        'not-found',
        `nothing was saved: task ${t.name} is assigned to ${who}, who is not among the people`,
      );
  }
}

export const projectsFeature: Feature<keyof ProjectsRequests, keyof ProjectsSubscriptions> = {
  requests: {
    saveProject: async ({ project }, ctx) => {
      const u = admin(ctx);
      const problems = validateProject(project);
      if (problems.length > 0) throw apiError('invalid-input', `nothing was saved: ${problemText(problems)}`);
      await checkRefs(ctx, u, project);
      const book = await loadProjectBook(ctx);
      const prev = book.projects.get(project.id);
      const issuedAt = Math.max(ctx.now(), (prev?.issuedAt ?? -1) + 1);
      const signed = createProjectDocument(project, issuedAt, activeKeys(u.keys.rings[0]!));
      if (!signed.ok) throw apiError('invalid-input', `nothing was saved: ${signed.error.message}`);
      const docId = projectDocId(project.id);
      const what = `project ${project.name}${project.archived ? ' (archived)' : ''}`;
      const actionIds: string[] = [`${docId}@${issuedAt}`];
      await u.outbox.enqueue({
        id: actionIds[0]!,
        type: 'project',
        what,
        db: DIRECTORY_DB,
        docs: [{ _id: docId, ...signed.value }],
        mode: 'replace',
        refs: [docId],
      });
      const to = [...new Set([...concerned(u, prev?.project), ...concerned(u, project)])].sort();
      for (const employeeId of to) {
        const w = inboxWrite(employeeId, [{ id: docId, type: 'project', issuedAt, doc: signed.value }]);
        const id = `${docId}@${issuedAt}:${employeeId}`;
        actionIds.push(id);
        await u.outbox.enqueue({
          id,
          type: 'project',
          what: `${what} to ${employeeId}`,
          ...w,
          mode: 'replace',
          refs: [docId],
        });
      }
      await noteProjectPending(ctx, docId, actionIds, signed.value);
      await u.outbox.flush();
      ctx.republish();
      let queued = false;
      for (const a of actionIds) if (await u.outbox.has(a)) queued = true;
      return { status: queued ? 'queued' : 'sent', projectId: project.id, issuedAt, deliveredTo: to };
    },
  },
  subscriptions: {
    projectBook: async (_p, ctx) => {
      const u = ctx.need();
      const book = await loadProjectBook(ctx);
      const teams = [...new Set([...(await loadScheduleBook(ctx)).teams, ...u.people.flatMap((p) => p.teamId ?? [])])];
      return {
        canEdit: u.keys.scope.keyRole === 'organisation',
        projects: [...book.projects.values()]
          .map((v) => ({ ...v.project, issuedAt: v.issuedAt, waiting: v.waiting }))
          .sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name)),
        teams: teams.sort(),
        people: u.people.map((p) => ({ employeeId: p.employeeId, name: p.displayName, teamId: p.teamId })),
        refused: book.refused,
      } satisfies ProjectBook;
    },
    projectReport: async ({ projectId, from, to }, ctx) => {
      const u = ctx.need();
      const book = await loadProjectBook(ctx);
      const v = book.projects.get(projectId);
      if (!v) throw apiError('not-found', `no project ${projectId} (or it did not verify)`);
      return projectReportOfCells({
        project: v.project,
        people: u.people.map((p) => ({ id: p.employeeId, name: p.displayName, timeZone: ctx.timeZone })),
        cells: await projectCells(u, ctx.timeZone, from, to),
        from,
        to,
        // manual time (issue 17 slice B) plugs in here: `manual: ManualTimeCell[]` of this project
      });
    },
  },
};

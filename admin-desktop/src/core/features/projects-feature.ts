/**
 * Projects and tasks (issue 17): a save signs a new version of the project
 * — an admin's with the organisation key, a manager's with the key of the
 * team it is for (roles are enforced by who holds which key: agents accept
 * a team key's project only for that team alone) — and queues, in the outbox (kept in the
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
  manualEntriesOf,
  projectManualCells,
  projectReportOfCells,
  projectTime,
  projectConcerns,
  projectDocId,
  problemText,
  validateProject,
  type OpenedRecord,
  type Project,
  type ProjectTimeCell,
  type UnlockedKeyring,
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
import { manualViewOf } from './manual-time-feature.js';
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

/**
 * The key that signs this save. A manager signs with their team's key, so a
 * manager's project names one team, theirs (each team's agents check it with
 * that team's key alone: a project across teams is the organisation's), its
 * tasks go to that team's people, and it may replace only a version of that
 * team's. Checked here before anything is signed; the server and the agents
 * check the same again.
 */
async function signerFor(u: Unlocked, project: Project, prev: Project | undefined): Promise<UnlockedKeyring> {
  if (u.keys.scope.keyRole === 'organisation') return u.keys.rings[0]!;
  const mine = u.keys.scope.teams;
  if (project.teamIds.length !== 1)
    throw apiError(
      'forbidden',
      `nothing was saved: a manager's project names exactly one of their teams (${mine.join(', ')}); a project across teams is an admin's`,
    );
  const teamId = project.teamIds[0]!;
  if (!mine.includes(teamId))
    throw apiError('forbidden', `nothing was saved: team ${teamId} is not one you manage (${mine.join(', ')})`);
  const other = prev?.teamIds.find((t) => !mine.includes(t));
  if (other !== undefined)
    throw apiError(
      'forbidden',
      `nothing was saved: project ${project.id} belongs to team ${other}, which you do not manage`,
    );
  for (const t of project.tasks) {
    let who: string | undefined;
    for (const a of t.assignees) if (who === undefined && (await teamOfPerson(u, a)) !== teamId) who = a;
    if (who)
      throw apiError(
        'forbidden',
        `nothing was saved: task ${t.name} is assigned to ${who}, who is not in team ${teamId}`,
      );
  }
  const ring = u.keys.rings.find((r) => r.doc.role === 'team' && r.doc.ownerId === teamId);
  if (!ring) throw apiError('forbidden', `nothing was saved: the key ring of team ${teamId} is not unlocked`);
  return ring;
}

/**
 * A person's team: the signed directory's (admins), else the team database
 * their records came through (a manager's replica: the server routes a
 * record to a team database only for that team's members).
 */
async function teamOfPerson(u: Unlocked, employeeId: string): Promise<string | null> {
  const known = u.people.find((p) => p.employeeId === employeeId);
  if (!known) return null;
  if (known.teamId) return known.teamId;
  const row = await u.store.db.replica
    .findOne({ selector: { employeeId, source: { $regex: '^st-team-.+-records$' } } })
    .exec();
  return (row ? /^st-team-(.+)-records$/.exec(row.source)?.[1] : undefined) ?? null;
}

/** The people a version concerns, by their team. */
async function concerned(u: Unlocked, project: Project | undefined): Promise<string[]> {
  if (!project) return [];
  const out: string[] = [];
  for (const p of u.people)
    if (projectConcerns(project, p.employeeId, await teamOfPerson(u, p.employeeId))) out.push(p.employeeId);
  return out;
}

async function checkRefs(ctx: CoreContext, u: Unlocked, project: Project): Promise<void> {
  const teams = new Set([...(await teamsOf(ctx, u, true)), ...u.people.flatMap((p) => p.teamId ?? [])]);
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

/** The teams the directory names (admins); a manager's are those they manage. */
async function teamsOf(ctx: CoreContext, u: Unlocked, fresh: boolean): Promise<string[]> {
  if (u.keys.scope.keyRole !== 'organisation') return [...u.keys.scope.teams];
  return (await loadScheduleBook(ctx, fresh)).teams;
}

export const projectsFeature: Feature<keyof ProjectsRequests, keyof ProjectsSubscriptions> = {
  requests: {
    saveProject: async ({ project }, ctx) => {
      const u = ctx.need();
      if (u.keys.scope.keyRole !== 'organisation' && u.keys.scope.role !== 'manager')
        throw apiError('forbidden', `a ${u.keys.scope.role} account does not save projects: admins and managers do`);
      const problems = validateProject(project);
      if (problems.length > 0) throw apiError('invalid-input', `nothing was saved: ${problemText(problems)}`);
      const book = await loadProjectBook(ctx);
      const prev = book.projects.get(project.id);
      const ring = await signerFor(u, project, prev?.project);
      await checkRefs(ctx, u, project);
      const issuedAt = Math.max(ctx.now(), (prev?.issuedAt ?? -1) + 1);
      const signed = createProjectDocument(project, issuedAt, activeKeys(ring));
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
      const to = [...new Set([...(await concerned(u, prev?.project)), ...(await concerned(u, project))])].sort();
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
      const manager = u.keys.scope.role === 'manager';
      // a manager picks among their own teams only: those are the projects their key may sign
      const teams = manager
        ? [...u.keys.scope.teams]
        : [...new Set([...(await teamsOf(ctx, u, false)), ...u.people.flatMap((p) => p.teamId ?? [])])];
      return {
        canEdit: u.keys.scope.keyRole === 'organisation' || manager,
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
      const people = u.people.map((p) => ({ id: p.employeeId, name: p.displayName, timeZone: ctx.timeZone }));
      // manual entries naming the project, approved and pending apart (the same entries and decisions as the Manual time screen)
      const { records, decisions } = await manualViewOf(
        ctx,
        people.map((p) => p.id),
      );
      return projectReportOfCells({
        project: v.project,
        people,
        cells: await projectCells(u, ctx.timeZone, from, to),
        from,
        to,
        manual: projectManualCells(manualEntriesOf(records, decisions), projectId, {
          from,
          to,
          timeZoneOf: () => ctx.timeZone,
        }),
      });
    },
  },
};

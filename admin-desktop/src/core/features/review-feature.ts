/** The review screens' data: people, views built from the opened replica, image URLs. */
import {
  buildAttendanceSheet,
  buildDashboard,
  buildGallery,
  buildPersonDay,
  reportOfCells,
  type OpenedRecord,
  type ScreenshotThumb,
  type ViewPerson,
} from '@sealtime/shared';
import type { Person, SubscriptionParams } from '../../api/admin-api.js';
import type { ReviewRequests, ReviewSubscriptions } from '../../api/contracts/review-contract.js';
import { apiError } from '../core-errors.js';
import { projectNames } from '../project-book.js';
import { reportCellsOf } from '../report-cells.js';
import { openReplicaDocs } from '../record-opening.js';
import type { CoreContext, Unlocked } from '../unlocked-session.js';
import type { Feature } from './feature.js';
import { attendanceScheduleInput } from './schedules-feature.js';
import { manualForReportOf, manualOfDay } from './manual-time-feature.js';

/**
 * The shown screenshots' images as links the core serves (image-service.ts)
 * instead of inline data: a day's thumbnails made every timeline message
 * ~0.8 MB. The full image's link comes along, so opening one needs no request.
 */
function linkImages(u: Unlocked, records: readonly OpenedRecord[], shots: readonly ScreenshotThumb[]): void {
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const s of shots) {
    const r = byId.get(s.recordId);
    if (r?.kind !== 'screenshot') continue;
    const req = { recordId: r.id, employeeId: r.employeeId, deviceId: r.deviceId, payload: r.payload };
    if (s.thumb !== undefined) s.thumb = u.images.link({ ...req, size: 'thumb' });
    s.fullUrl = u.images.link({ ...req, size: 'full' });
  }
}

/** YYYY-MM-DD plus n calendar days (date arithmetic at noon UTC: no DST edge). */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T12:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** People whose days the dashboard reads at once. */
const DASHBOARD_READS_AT_ONCE = 6;

/** What the dashboard reads of the day before (shared dashboard.ts: attendance events only cross midnight). */
const DASHBOARD_EVE_CLASSES = ['attendance'] as const;

/** A person's records of a day and the days either side: a session or a slot may cross midnight. */
function around(u: Unlocked, employeeId: string, date: string): Promise<OpenedRecord[]> {
  return u.index.days(employeeId, [addDays(date, -1), date, addDays(date, 1)]);
}

const viewPerson = (ctx: CoreContext, p: Person): ViewPerson => ({
  id: p.employeeId,
  name: p.displayName,
  timeZone: ctx.timeZone,
  ...(p.teamId ? { teamId: p.teamId } : {}),
});

function reviewed(u: Unlocked, employeeId: string): Person {
  const p = u.people.find((x) => x.employeeId === employeeId);
  if (!p) throw apiError('not-found', `${employeeId} is not among the people this role reviews`);
  return p;
}

/** Everyone in scope, and their records from the day before `from` to the day after `to`. */
function chosenOf(u: Unlocked, scope: SubscriptionParams<'report'>['scope']): Person[] {
  return !scope
    ? u.people
    : 'employeeId' in scope
      ? u.people.filter((p) => p.employeeId === scope.employeeId)
      : u.people.filter((p) => p.teamId === scope.teamId);
}

async function inRange(
  u: Unlocked,
  params: SubscriptionParams<'report'>,
): Promise<{ chosen: Person[]; records: OpenedRecord[] }> {
  const { scope, from, to } = params;
  const chosen = chosenOf(u, scope);
  const lo = addDays(from, -1);
  const hi = addDays(to, 1);
  const records: OpenedRecord[] = [];
  for (const p of chosen)
    for (const [d, list] of (await u.index.employee(p.employeeId)).days) if (d >= lo && d <= hi) records.push(...list);
  return { chosen, records };
}

export const reviewFeature: Feature<keyof ReviewRequests, keyof ReviewSubscriptions> = {
  requests: {
    people: async (_p, ctx) => ctx.need().people,
    screenshotUrl: async (p, ctx) => {
      const u = ctx.need();
      const row = await u.store.db.replica.findOne(p.recordId).exec();
      if (!row) throw apiError('not-found', `no screenshot record ${p.recordId} in the replica`);
      // just this record: not the person's month
      const rec = openReplicaDocs([row.toMutableJSON()], u.keys.opener, (e) => u.devices.get(e) ?? null).records[0];
      if (!rec || rec.kind !== 'screenshot')
        throw apiError('not-found', `${p.recordId} is not a screenshot this role can open`);
      return {
        // the one a view would name (image-service.ts): the renderer asks again for the next open
        url: u.images.link({
          recordId: rec.id,
          employeeId: rec.employeeId,
          deviceId: rec.deviceId,
          size: p.size,
          payload: rec.payload,
        }),
      };
    },
  },
  subscriptions: {
    dashboard: async ({ date }, ctx) => {
      const u = ctx.need();
      const people = u.people; // the list a refresh may replace meanwhile
      const recordsByPerson: Record<string, OpenedRecord[]> = {};
      // several people at once: one at a time, a cold build of 100 people waited on each replica read in turn
      let next = 0;
      // of the day before only attendance: the sessions and state at midnight; a cold start opens half as much
      const worker = async () => {
        for (let p = people[next++]; p; p = people[next++])
          recordsByPerson[p.employeeId] = await u.index.dayWithEve(p.employeeId, date, DASHBOARD_EVE_CLASSES);
      };
      await Promise.all(Array.from({ length: DASHBOARD_READS_AT_ONCE }, worker));
      return buildDashboard({ date, people: people.map((p) => viewPerson(ctx, p)), recordsByPerson, now: ctx.now() });
    },
    personDay: async ({ employeeId, date }, ctx) => {
      const u = ctx.need();
      const p = reviewed(u, employeeId);
      const records = await around(u, employeeId, date);
      const day = buildPersonDay({
        employee: viewPerson(ctx, p),
        date,
        timeZone: ctx.timeZone,
        records,
        now: ctx.now(),
        projects: await projectNames(ctx),
      });
      linkImages(u, records, day.screenshots); // the slots list the same shot objects
      return { ...day, manual: await manualOfDay(ctx, employeeId, day.start, day.end, records) };
    },
    gallery: async ({ employeeId, date }, ctx) => {
      const u = ctx.need();
      const p = reviewed(u, employeeId);
      const records = await around(u, employeeId, date);
      const gallery = buildGallery({ employee: viewPerson(ctx, p), date, timeZone: ctx.timeZone, records });
      linkImages(
        u,
        records,
        gallery.hours.flatMap((h) => h.shots),
      );
      return gallery;
    },
    attendance: async (params, ctx) => {
      const { chosen, records } = await inRange(ctx.need(), params);
      const people = chosen.map((p) => viewPerson(ctx, p));
      const manual = await manualForReportOf(ctx, people, params.from, params.to, 'person');
      // each person against their own signed schedule and zone (the reviewer's zone is the last fallback)
      const sheet = buildAttendanceSheet({
        people: chosen.map((p) => viewPerson(ctx, p)),
        ...(await attendanceScheduleInput(ctx, chosen)),
        from: params.from,
        to: params.to,
        records,
        now: ctx.now(),
      });
      return { ...sheet, manual };
    },
    report: async (params, ctx) => {
      const u = ctx.need();
      const chosen = chosenOf(u, params.scope);
      const teams = [...new Set(chosen.flatMap((p) => (p.teamId ? [p.teamId] : [])))].map((id) => ({ id, name: id }));
      const people = chosen.map((p) => viewPerson(ctx, p));
      const groupBy = params.groupBy ?? 'person';
      // per person-day cells, kept: one person's records open at a time, a repeat only adds up (report-cells.ts)
      const cells = await reportCellsOf(u, people, params.from, params.to, ctx.now());
      const report = reportOfCells({ people, teams, from: params.from, to: params.to, cells, groupBy });
      return { ...report, manual: await manualForReportOf(ctx, people, params.from, params.to, groupBy) };
    },
  },
};

/** The review screens' data: people, views built from the opened replica, image URLs. */
import {
  buildAttendanceSheet,
  buildDashboard,
  buildGallery,
  buildPersonDay,
  buildReport,
  type OpenedRecord,
  type ViewPerson,
} from '@sealtime/shared';
import type { Person, SubscriptionParams } from '../../api/admin-api.js';
import type { ReviewRequests, ReviewSubscriptions } from '../../api/contracts/review-contract.js';
import { apiError } from '../core-errors.js';
import { openReplicaDocs } from '../record-opening.js';
import type { CoreContext, Unlocked } from '../unlocked-session.js';
import type { Feature } from './feature.js';
import { attendanceScheduleInput } from './schedules-feature.js';

/** YYYY-MM-DD plus n calendar days (date arithmetic at noon UTC: no DST edge). */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T12:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** People whose days the dashboard reads at once. */
const DASHBOARD_READS_AT_ONCE = 6;

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
async function inRange(
  u: Unlocked,
  params: SubscriptionParams<'report'>,
): Promise<{ chosen: Person[]; records: OpenedRecord[] }> {
  const { scope, from, to } = params;
  const chosen = !scope
    ? u.people
    : 'employeeId' in scope
      ? u.people.filter((p) => p.employeeId === scope.employeeId)
      : u.people.filter((p) => p.teamId === scope.teamId);
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
        url: u.images.issue({
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
      const worker = async () => {
        for (let p = people[next++]; p; p = people[next++])
          recordsByPerson[p.employeeId] = await around(u, p.employeeId, date);
      };
      await Promise.all(Array.from({ length: DASHBOARD_READS_AT_ONCE }, worker));
      return buildDashboard({ date, people: people.map((p) => viewPerson(ctx, p)), recordsByPerson, now: ctx.now() });
    },
    personDay: async ({ employeeId, date }, ctx) => {
      const u = ctx.need();
      const p = reviewed(u, employeeId);
      return buildPersonDay({
        employee: viewPerson(ctx, p),
        date,
        timeZone: ctx.timeZone,
        records: await around(u, employeeId, date),
        now: ctx.now(),
      });
    },
    gallery: async ({ employeeId, date }, ctx) => {
      const u = ctx.need();
      const p = reviewed(u, employeeId);
      return buildGallery({
        employee: viewPerson(ctx, p),
        date,
        timeZone: ctx.timeZone,
        records: await around(u, employeeId, date),
      });
    },
    attendance: async (params, ctx) => {
      const { chosen, records } = await inRange(ctx.need(), params);
      // each person against their own signed schedule and zone (the reviewer's zone is the last fallback)
      return buildAttendanceSheet({
        people: chosen.map((p) => viewPerson(ctx, p)),
        ...(await attendanceScheduleInput(ctx, chosen)),
        from: params.from,
        to: params.to,
        records,
        now: ctx.now(),
      });
    },
    report: async (params, ctx) => {
      const { chosen, records } = await inRange(ctx.need(), params);
      const teams = [...new Set(chosen.flatMap((p) => (p.teamId ? [p.teamId] : [])))].map((id) => ({ id, name: id }));
      return buildReport({
        people: chosen.map((p) => viewPerson(ctx, p)),
        teams,
        from: params.from,
        to: params.to,
        records,
        groupBy: params.groupBy ?? 'person',
        now: ctx.now(),
      });
    },
  },
};

/**
 * Work schedules and holidays. Admins edit: a new version is signed at once
 * with the organisation key and queued in the outbox (kept in the replica
 * before this returns), then sent; offline it waits there, counts in every
 * view meanwhile, and goes when the server answers. HR and managers read
 * only: signing needs the organisation key, which only admins hold, and
 * handing it to HR would let HR sign policies and key rings too.
 */
import {
  createHolidaysDocument,
  createScheduleDocument,
  holidaysDocId,
  latestDeviceZone,
  scheduleChain,
  scheduleDocId,
  scheduleOn,
  validateHolidayDates,
  validateScheduleVersion,
  withVersion,
  type ScheduleLayer,
  type ScheduleScope,
} from '@sealtime/shared';
import type { Person } from '../../api/admin-api.js';
import type {
  EffectiveScheduleRow,
  ScheduleBook,
  SchedulePublishResult,
  SchedulesRequests,
  SchedulesSubscriptions,
} from '../../api/contracts/schedules-contract.js';
import { activeKeys } from '../../admin/key-custody.js';
import { DIRECTORY_DB } from '../../admin/directory-docs.js';
import { apiError } from '../core-errors.js';
import { loadScheduleBook, notePending, type ScheduleBookData } from '../schedule-book.js';
import type { CoreContext, Unlocked } from '../unlocked-session.js';
import type { Feature } from './feature.js';

function admin(ctx: CoreContext): Unlocked {
  const u = ctx.need();
  if (u.keys.scope.keyRole !== 'organisation')
    throw apiError(
      'forbidden',
      `only admins publish schedules: they are signed with the organisation key, which a ${u.keys.scope.role} account does not hold`,
    );
  return u;
}

/** Signs a document, queues it and tries to send it now; 'queued' when the server did not take it yet. */
async function publish(
  ctx: CoreContext,
  u: Unlocked,
  docId: string,
  issuedAt: number,
  doc: Record<string, unknown>,
  what: string,
): Promise<SchedulePublishResult> {
  const actionId = `${docId}@${issuedAt}`;
  await u.outbox.enqueue({
    id: actionId,
    type: 'schedule',
    what,
    db: DIRECTORY_DB,
    docs: [{ _id: docId, ...doc }],
    mode: 'replace',
    refs: [docId],
  });
  await notePending(ctx, docId, actionId, doc);
  await u.outbox.flush();
  ctx.republish();
  return { status: (await u.outbox.has(actionId)) ? 'queued' : 'sent', docId, issuedAt };
}

function checkScope(u: Unlocked, book: ScheduleBookData, scope: ScheduleScope): void {
  if (scope.level === 'organisation' && scope.id !== u.keys.orgId)
    throw apiError('not-found', `the organisation is ${u.keys.orgId}, not ${scope.id}`);
  if (scope.level === 'team' && !book.teams.includes(scope.id))
    throw apiError('not-found', `team ${scope.id} is not in the directory`);
  if (scope.level === 'employee' && !u.people.some((p) => p.employeeId === scope.id))
    throw apiError('not-found', `employee ${scope.id} is not among the people of this organisation`);
}

function effectiveRows(u: Unlocked, book: ScheduleBookData, date: string): EffectiveScheduleRow[] {
  return u.people.map((p) => {
    const teamId = book.teamOf.get(p.employeeId) ?? p.teamId ?? null;
    const r = scheduleOn(scheduleChain(book.layers, book.orgId, teamId, p.employeeId), date);
    return {
      employeeId: p.employeeId,
      name: p.displayName,
      teamId,
      schedule: r?.schedule ?? null,
      source: r?.source ?? null,
    };
  });
}

/**
 * What the attendance sheet needs beside the records: each person's schedule
 * layers, the holidays, refused documents, and the zone of their latest
 * device-info record. Schedules that cannot be read at all leave the sheet
 * without them, saying why, rather than leaving it empty.
 */
export async function attendanceScheduleInput(
  ctx: CoreContext,
  people: readonly Person[],
): Promise<{
  schedules: Record<string, ScheduleLayer[]>;
  holidays: string[];
  refusedSchedules: Array<{ id: string; reason: string }>;
  deviceZones: Record<string, string>;
  teams: Record<string, string | null>;
}> {
  const u = ctx.need();
  const deviceZones: Record<string, string> = {};
  for (const p of people) {
    const zone = latestDeviceZone([...(await u.index.employee(p.employeeId)).days.values()].flat());
    if (zone) deviceZones[p.employeeId] = zone;
  }
  let book: ScheduleBookData;
  try {
    book = await loadScheduleBook(ctx);
  } catch (err) {
    return {
      schedules: {},
      holidays: [],
      refusedSchedules: [
        {
          id: 'schedules',
          reason: `the schedules could not be read: ${err instanceof Error ? err.message : String(err)}`,
        },
      ],
      deviceZones,
      teams: {},
    };
  }
  const schedules: Record<string, ScheduleLayer[]> = {};
  const teams: Record<string, string | null> = {};
  for (const p of people) {
    teams[p.employeeId] = book.teamOf.get(p.employeeId) ?? p.teamId;
    schedules[p.employeeId] = scheduleChain(book.layers, book.orgId, teams[p.employeeId], p.employeeId);
  }
  return { schedules, holidays: book.holidays?.dates ?? [], refusedSchedules: book.refused, deviceZones, teams };
}

export const schedulesFeature: Feature<keyof SchedulesRequests, keyof SchedulesSubscriptions> = {
  requests: {
    publishSchedule: async ({ scope, version }, ctx) => {
      const u = admin(ctx);
      const problems = validateScheduleVersion(version);
      if (problems.length > 0)
        throw apiError(
          'invalid-input',
          `nothing was published: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`,
        );
      const book = await loadScheduleBook(ctx, true);
      checkScope(u, book, scope);
      const docId = scheduleDocId(scope);
      // a stored document that did not verify is not history to keep: the new one replaces it
      const prev = book.layers.get(docId);
      const issuedAt = Math.max(ctx.now(), (prev?.issuedAt ?? -1) + 1);
      const doc = createScheduleDocument(
        { ...scope, issuedAt, versions: withVersion(prev?.versions ?? [], version) },
        activeKeys(u.keys.rings[0]!),
      );
      if (!doc.ok) throw apiError('invalid-input', `nothing was published: ${doc.error.message}`);
      return publish(
        ctx,
        u,
        docId,
        issuedAt,
        doc.value,
        `schedule of ${scope.level} ${scope.id} from ${version.effectiveFrom}`,
      );
    },
    publishHolidays: async ({ dates }, ctx) => {
      const u = admin(ctx);
      const problems = validateHolidayDates(dates);
      if (problems.length > 0)
        throw apiError('invalid-input', `nothing was published: ${problems.map((p) => p.message).join('; ')}`);
      const book = await loadScheduleBook(ctx, true);
      const issuedAt = Math.max(ctx.now(), (book.holidays?.issuedAt ?? -1) + 1);
      const doc = createHolidaysDocument({ orgId: u.keys.orgId, issuedAt, dates }, activeKeys(u.keys.rings[0]!));
      if (!doc.ok) throw apiError('invalid-input', `nothing was published: ${doc.error.message}`);
      return publish(ctx, u, holidaysDocId(u.keys.orgId), issuedAt, doc.value, `holidays (${dates.length} dates)`);
    },
  },
  subscriptions: {
    scheduleBook: async ({ date }, ctx) => {
      const u = ctx.need();
      const book = await loadScheduleBook(ctx);
      return {
        orgId: book.orgId,
        date,
        canEdit: u.keys.scope.keyRole === 'organisation',
        teams: book.teams,
        layers: [...book.layers.entries()]
          .map(([id, l]) => ({ ...l, waiting: book.waiting.has(id) }))
          .sort((a, b) => a.level.localeCompare(b.level) || a.id.localeCompare(b.id)),
        holidays: {
          dates: book.holidays?.dates ?? [],
          issuedAt: book.holidays?.issuedAt ?? null,
          waiting: book.waiting.has(holidaysDocId(book.orgId)),
        },
        effective: effectiveRows(u, book, date),
        refused: book.refused,
        readFrom: book.readFrom,
      } satisfies ScheduleBook;
    },
  },
};

/**
 * The manual time queue and its decisions. Entries come from the replica
 * (sealed `manual-time` records of the people this role reviews); decisions
 * from manual-decisions.ts. Deciding signs at once with the ring the entry's
 * approver holds (admin/manual-time.ts) and queues the document in the
 * outbox, so it works offline and is sent when the server answers.
 */
import {
  decisionDocId,
  localDateOf,
  manualEntriesOf,
  manualForReport,
  manualTimeTotals,
  type OpenedRecord,
  type ReportManual,
  type ViewPerson,
} from '@sealtime/shared';
import { isAdminError } from '../../admin/admin-error.js';
import { employeeInbox } from '../../admin/directory-docs.js';
import { inboxWrite } from '../../admin/inbox-publisher.js';
import { approverRing, signManualDecision } from '../../admin/manual-time.js';
import type {
  ManualTimeRequests,
  ManualTimeRow,
  ManualTimeSubscriptions,
} from '../../api/contracts/manual-time-contract.js';
import { apiError } from '../core-errors.js';
import { ManualDecisions } from '../manual-decisions.js';
import type { CoreContext, Unlocked } from '../unlocked-session.js';
import type { Feature } from './feature.js';

const decisionsBySession = new WeakMap<Unlocked, ManualDecisions>();

/** The session's decision book (one per unlock). */
export function manualDecisionsOf(u: Unlocked): ManualDecisions {
  let d = decisionsBySession.get(u);
  if (!d) decisionsBySession.set(u, (d = new ManualDecisions(u)));
  return d;
}

/** Per person, what bears on manual time, kept under their record-set stamp (opened-index.ts). */
const keptBySession = new WeakMap<Unlocked, Map<string, { stamp: string; records: OpenedRecord[] }>>();

/**
 * Every opened record of the people this role reviews that bears on manual
 * time: their entries, and the slots an entry overlaps (the overlap flag; a
 * slot no entry touches changes nothing). Kept per person until a record of
 * theirs changes, so the reports' manual columns do not open everyone's
 * month again on each build. Decisions are not kept here: they are read
 * fresh (manual-decisions.ts), so a new one shows at once.
 */
export async function manualRecordsOf(u: Unlocked, employeeIds?: readonly string[]): Promise<OpenedRecord[]> {
  let kept = keptBySession.get(u);
  if (!kept) keptBySession.set(u, (kept = new Map()));
  const out: OpenedRecord[] = [];
  for (const p of u.people) {
    if (employeeIds && !employeeIds.includes(p.employeeId)) continue;
    const stamp = u.index.recordSetStamp(p.employeeId);
    let k = kept.get(p.employeeId);
    if (!k || k.stamp !== stamp) {
      // entries are sealed after the time they state: look through every day held, not the range only
      const all: OpenedRecord[] = [];
      for (const list of (await u.index.employee(p.employeeId)).days.values()) all.push(...list);
      const spans = all.flatMap((r) => (r.kind === 'manual-time' ? [r.payload] : []));
      const records = all.filter(
        (r) =>
          r.kind === 'manual-time' ||
          (r.kind === 'activity-slot' &&
            spans.some((e) => r.payload.start < e.end && r.payload.start + r.payload.slotSeconds * 1000 > e.start)),
      );
      kept.set(p.employeeId, (k = { stamp, records }));
    }
    out.push(...k.records);
  }
  return out;
}

/**
 * The employee's team: the signed directory's (admins), else the team
 * database the entry came through (a manager's replica; the server routes a
 * record to a team database only for that team's members).
 */
async function teamOf(u: Unlocked, teamId: string | null, recordId: string): Promise<string | null> {
  if (teamId) return teamId;
  const row = await u.store.db.replica.findOne(recordId).exec();
  const m = row ? /^st-team-(.+)-records$/.exec(row.source) : null;
  return m?.[1] ?? null;
}

const entryRefs = (records: readonly OpenedRecord[]) =>
  records.flatMap((r) =>
    r.kind === 'manual-time' && r.integrity === 'ok' ? [{ employeeId: r.employeeId, entryId: r.payload.entryId }] : [],
  );

/** Entries and their verified decisions (read from the server now and then). */
export async function manualViewOf(ctx: CoreContext, employeeIds?: readonly string[]) {
  const u = ctx.need();
  const records = await manualRecordsOf(u, employeeIds);
  const book = manualDecisionsOf(u);
  await book.refresh(entryRefs(records), ctx.now());
  return { records, decisions: await book.all(), book };
}

/** Manual time of `people` in [from, to], grouped as the report is: approved, pending and rejected apart. */
export async function manualForReportOf(
  ctx: CoreContext,
  people: readonly ViewPerson[],
  from: string,
  to: string,
  groupBy: 'person' | 'team' | 'day',
): Promise<ReportManual> {
  const { records, decisions } = await manualViewOf(
    ctx,
    people.map((p) => p.id),
  );
  const zones = new Map(people.map((p) => [p.id, p.timeZone]));
  const entries = manualEntriesOf(records, decisions);
  const rows = manualTimeTotals(entries, decisions, {
    from,
    to,
    timeZoneOf: (id) => zones.get(id) ?? ctx.timeZone,
  });
  return manualForReport(rows, groupBy, people);
}

/**
 * A person's manual entries that touch [start, end) (a day on the timeline).
 * `dayRecords` are the opened records around that day (the timeline has
 * them): their slots flag an overlap. The entries themselves come from the
 * person's correction-class rows only, opened on their own: an entry is
 * sealed any time after the hours it states, and opening the whole month
 * for it made every timeline visit open the person's month.
 */
export async function manualOfDay(
  ctx: CoreContext,
  employeeId: string,
  start: number,
  end: number,
  dayRecords: readonly OpenedRecord[],
) {
  const u = ctx.need();
  const entries = (await u.index.ofClass(employeeId, 'correction')).filter((r) => r.kind === 'manual-time');
  const records = [...entries, ...dayRecords.filter((r) => r.kind === 'activity-slot')];
  const book = manualDecisionsOf(u);
  await book.refresh(entryRefs(entries), ctx.now());
  return manualEntriesOf(records, await book.all())
    .filter((e) => e.start < end && e.end > start)
    .sort((a, b) => a.start - b.start);
}

export const manualTimeFeature: Feature<keyof ManualTimeRequests, keyof ManualTimeSubscriptions> = {
  requests: {
    decideManualTime: async (p, ctx) => {
      const u = ctx.need();
      const person = u.people.find((x) => x.employeeId === p.employeeId);
      if (!person) throw apiError('not-found', `${p.employeeId} is not among the people this role reviews`);
      const { records, book } = await manualViewOf(ctx, [p.employeeId]);
      const entry = records.find((r) => r.kind === 'manual-time' && r.payload.entryId === p.entryId);
      if (!entry || entry.kind !== 'manual-time')
        throw apiError('not-found', `no manual time entry ${p.entryId} of ${p.employeeId} in the replica`);
      if (entry.integrity !== 'ok')
        throw apiError('integrity', `entry ${p.entryId} failed its integrity check: ${entry.integrity}`);
      const decided = await book.find(p.employeeId, p.entryId);
      if (decided) throw apiError('invalid-input', `entry ${p.entryId} was already ${decided.decision}`);
      if (p.decision === 'rejected' && !p.comment?.trim())
        throw apiError('invalid-input', 'a rejection says why: give a reason');
      const may = approverRing(
        { role: u.keys.scope.role, teams: u.keys.scope.teams, rings: u.keys.rings },
        { approval: entry.payload.approval, teamId: await teamOf(u, person.teamId, entry.id) },
      );
      if (!may.ok) throw apiError('forbidden', may.why);
      const docId = decisionDocId(p.entryId, 'manual-time');
      const actionId = `${p.employeeId}:${docId}`;
      if (await u.outbox.has(actionId))
        throw apiError('invalid-input', `a decision on ${p.entryId} is already waiting to sync`);
      // online: a decision already in the inbox (made elsewhere) is said now, not found later as a conflict
      const onServer = await u.client.getDoc(employeeInbox(p.employeeId), docId).catch((err: unknown) => {
        if (isAdminError(err, 'unreachable') || isAdminError(err, 'forbidden')) return null;
        throw err;
      });
      if (onServer) throw apiError('invalid-input', `entry ${p.entryId} was already decided elsewhere`);
      const decidedAt = ctx.now();
      const decidedBy = u.keys.scope.userId || 'unknown';
      const comment = p.comment?.trim();
      const item = signManualDecision(
        {
          entryId: p.entryId,
          employeeId: p.employeeId,
          decision: p.decision,
          decidedBy,
          decidedAt,
          ...(comment ? { comment } : {}),
        },
        may.ring,
      );
      const { db, docs } = inboxWrite(p.employeeId, [item]);
      await u.outbox.enqueue({
        id: actionId,
        type: 'manual-time-decision',
        what: `${p.decision === 'approved' ? 'approve' : 'reject'} manual time ${p.entryId} (${p.employeeId})`,
        db,
        docs,
        mode: 'create',
        refs: [p.entryId],
      });
      await book.note({
        entryId: p.entryId,
        employeeId: p.employeeId,
        decision: p.decision,
        decidedBy,
        decidedAt,
        ...(comment ? { comment } : {}),
      });
      await u.outbox.flush();
      ctx.republish();
      return { status: (await u.outbox.has(actionId)) ? 'queued' : 'sent' };
    },
  },
  subscriptions: {
    manualTime: async ({ from, to }, ctx) => {
      const u = ctx.need();
      const { records, decisions, book } = await manualViewOf(ctx);
      const who = { role: u.keys.scope.role, teams: u.keys.scope.teams, rings: u.keys.rings };
      const names = new Map(u.people.map((p) => [p.employeeId, p]));
      const rows: ManualTimeRow[] = [];
      for (const e of manualEntriesOf(records, decisions)) {
        const day = localDateOf(e.start, ctx.timeZone);
        if (day < from || day > to) continue;
        const person = names.get(e.employeeId);
        const may =
          e.status === 'pending'
            ? approverRing(who, {
                approval: e.approval ?? 'manager',
                teamId: await teamOf(u, person?.teamId ?? null, e.recordId),
              })
            : null;
        rows.push({
          ...e,
          personName: person?.displayName ?? e.employeeId,
          canDecide: may?.ok === true,
          ...(may && !may.ok ? { notMine: may.why } : {}),
        });
      }
      return {
        from,
        to,
        rows,
        pending: rows.filter((r) => r.status === 'pending').length,
        decisionsReadAt: book.readAt,
      };
    },
  },
};

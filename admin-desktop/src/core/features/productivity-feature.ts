/**
 * Productivity rules and classified time. Admins edit a set: the new
 * version is signed with the organisation key and published at once to the
 * directory and the inboxes of the people it concerns (like a policy layer:
 * online, the server is where other admins and the agents read it).
 * Classification happens here, from the decrypted app spans of the replica,
 * whenever a view is built; the server never sees an app name of anyone's
 * activity, and nothing classified is stored, so a changed rule shows on all
 * history at once.
 */
import {
  appSpansOf,
  buildDayProductivity,
  classify,
  classifySpans,
  createRuleSetDocument,
  emptyTotals,
  hostOf,
  localDateOf,
  localDayBounds,
  productiveShare,
  productivityTotals,
  ruleSetChain,
  ruleSetDocId,
  validateRule,
  validateRuleSetVersion,
  withRuleSetVersion,
  type OpenedRecord,
  type ProductivityRule,
  type ProductivityTotals,
} from '@sealtime/shared';
import type { Person } from '../../api/admin-api.js';
import type {
  ProductivityPersonRow,
  ProductivityRequests,
  ProductivitySubscriptions,
  RuleTestResult,
} from '../../api/contracts/productivity-contract.js';
import { isAdminError } from '../../admin/admin-error.js';
import { activeKeys, KeyCustody } from '../../admin/key-custody.js';
import { publishRuleSetDoc } from '../../admin/productivity-publishing.js';
import { apiError } from '../core-errors.js';
import { DayTotalsCache } from '../day-totals-cache.js';
import { forgetRuleBook, loadRuleBook, type RuleBookData } from '../productivity-book.js';
import { loadScheduleBook } from '../schedule-book.js';
import type { CoreContext, Unlocked } from '../unlocked-session.js';
import type { Feature } from './feature.js';
import { addDays } from './review-feature.js';

const TEST_DAYS = 7;
const MAX_MATCHES = 50;

function admin(ctx: CoreContext): Unlocked & { keys: { orgSignPublicKey: Uint8Array } } {
  const u = ctx.need();
  if (u.keys.scope.keyRole !== 'organisation' || !u.keys.orgSignPublicKey)
    throw apiError(
      'forbidden',
      `only admins publish productivity rules: they are signed with the organisation key, which a ${u.keys.scope.role} account does not hold`,
    );
  return u as Unlocked & { keys: { orgSignPublicKey: Uint8Array } };
}

const chainOf = (book: RuleBookData, p: Person, teamOf: ReadonlyMap<string, string | null>) =>
  ruleSetChain(book.sets, book.orgId, teamOf.get(p.employeeId) ?? p.teamId);

/**
 * Each person's team: a manager's people list names none, so the team comes
 * from the schedule book (signed directory entries, or the team database a
 * person's records came from); the people list where that cannot be read.
 */
async function teamsOf(ctx: CoreContext): Promise<ReadonlyMap<string, string | null>> {
  try {
    return (await loadScheduleBook(ctx)).teamOf;
  } catch {
    return new Map(); // the schedules could not be read: the people list's teams stand
  }
}

function reviewed(u: Unlocked, employeeId: string): Person {
  const p = u.people.find((x) => x.employeeId === employeeId);
  if (!p) throw apiError('not-found', `${employeeId} is not among the people this role reviews`);
  return p;
}

/**
 * Ranges up to this many days are read as day views are (the opened index's
 * per-day buckets, which the timeline and the dashboard of those days
 * opened already); longer ones open the person's whole replica. Through the
 * whole replica, the dashboard's "productivity today" opened every person's
 * month on each visit (the index keeps 8 people whole).
 */
const DAY_VIEW_RANGE_DAYS = 3;

/** A person's records of the days from `from` to `to`, with a day either side (spans cross midnight). */
export async function recordsOf(u: Unlocked, employeeId: string, from: string, to: string): Promise<OpenedRecord[]> {
  const lo = addDays(from, -1);
  const hi = addDays(to, 1);
  if (to >= from && addDays(from, DAY_VIEW_RANGE_DAYS - 1) >= to) {
    const dates: string[] = [];
    for (let d = lo; d <= hi; d = addDays(d, 1)) dates.push(d);
    return u.index.days(employeeId, dates);
  }
  const out: OpenedRecord[] = [];
  for (const [d, list] of (await u.index.employee(employeeId)).days) if (d >= lo && d <= hi) out.push(...list);
  return out;
}

/** Each person-day's classified totals, per session, under (record set, rule sets) stamps. */
const totalsBySession = new WeakMap<Unlocked, DayTotalsCache<ProductivityTotals>>();

/** The rule sets' version: a newly published set (or one that stopped verifying) changes it. */
const rulesStamp = (book: RuleBookData): string =>
  [...book.sets.entries()]
    .map(([id, s]) => `${id}@${s.issuedAt}`)
    .sort()
    .join(',');

function add(into: ProductivityTotals, t: ProductivityTotals): void {
  for (const k of Object.keys(into) as Array<keyof ProductivityTotals>) into[k] += t[k];
}

export const productivityFeature: Feature<keyof ProductivityRequests, keyof ProductivitySubscriptions> = {
  requests: {
    publishRuleSet: async ({ scope, version }, ctx) => {
      const u = admin(ctx);
      const problems = validateRuleSetVersion(version);
      if (problems.length > 0)
        throw apiError(
          'invalid-input',
          `nothing was published: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`,
        );
      let book: RuleBookData;
      try {
        book = await loadRuleBook(ctx, true);
      } catch (err) {
        if (isAdminError(err, 'unreachable'))
          throw apiError(
            'server-unreachable',
            `${err.message}. Rule sets are published through the server: try again when it answers.`,
          );
        throw err;
      }
      if (book.readFrom === 'cache')
        throw apiError(
          'server-unreachable',
          'the server did not answer: rule sets are published through it, try again when it answers',
        );
      if (scope.level === 'organisation' && scope.id !== u.keys.orgId)
        throw apiError('not-found', `the organisation is ${u.keys.orgId}, not ${scope.id}`);
      if (scope.level === 'team' && !book.teams.includes(scope.id))
        throw apiError('not-found', `team ${scope.id} is not in the directory`);
      const docId = ruleSetDocId(scope);
      // a stored set that did not verify is not history to keep: the new one replaces it
      const prev = book.sets.get(docId);
      // strictly newer than what agents hold: they refuse an older issuedAt as a replay
      const issuedAt = Math.max(ctx.now(), (prev?.issuedAt ?? -1) + 1);
      const doc = createRuleSetDocument(
        { ...scope, issuedAt, versions: withRuleSetVersion(prev?.versions ?? [], version) },
        activeKeys(u.keys.rings[0]!),
      );
      if (!doc.ok) throw apiError('invalid-input', `nothing was published: ${doc.error.message}`);
      const deps = { client: u.client, custody: new KeyCustody(u.client, ctx.profile) };
      let sent;
      try {
        sent = await publishRuleSetDoc(deps, scope, docId, issuedAt, doc.value, u.keys.orgSignPublicKey);
      } catch (err) {
        if (isAdminError(err, 'unreachable'))
          throw apiError(
            'server-unreachable',
            `${err.message}. The rule set was not published: try again when the server answers.`,
          );
        throw err;
      }
      forgetRuleBook(u);
      ctx.republish();
      return { status: 'sent', docId, issuedAt, ...sent };
    },
    testRule: async ({ rule }, ctx) => {
      const u = ctx.need();
      const problems = validateRule(rule);
      if (problems.length > 0) return { problems, appsSeen: 0, matches: [] } satisfies RuleTestResult;
      const r = rule as ProductivityRule;
      const probe = [
        { level: 'organisation' as const, id: 'test', issuedAt: 0, versions: [{ effectiveFrom: 0, rules: [r] }] },
      ];
      const to = localDateOf(ctx.now(), ctx.timeZone);
      const from = addDays(to, -(TEST_DAYS - 1));
      const window = { start: localDayBounds(from, ctx.timeZone).start, end: localDayBounds(to, ctx.timeZone).end };
      const apps = new Set<string>();
      const found = new Map<string, RuleTestResult['matches'][number]>();
      for (const p of u.people) {
        for (const s of appSpansOf(await recordsOf(u, p.employeeId, from, to))) {
          const ms = Math.min(s.end, window.end) - Math.max(s.start, window.start);
          if (ms <= 0) continue;
          apps.add(s.app);
          if (classify({ ...s, start: 0 }, probe).class === 'unclassified') continue;
          const host = hostOf(s.url) || null;
          const key = JSON.stringify([s.app, host]);
          const m = found.get(key) ?? { app: s.app, host, title: s.title ?? null, ms: 0 };
          m.ms += ms;
          found.set(key, m);
        }
      }
      return {
        problems: [],
        appsSeen: apps.size,
        matches: [...found.values()].sort((a, b) => b.ms - a.ms).slice(0, MAX_MATCHES),
      } satisfies RuleTestResult;
    },
  },
  subscriptions: {
    productivityRules: async (_p, ctx) => {
      const u = ctx.need();
      const book = await loadRuleBook(ctx);
      return {
        orgId: book.orgId,
        canEdit: u.keys.scope.keyRole === 'organisation',
        teams: book.teams,
        sets: [...book.sets.values()].sort((a, b) => a.level.localeCompare(b.level) || a.id.localeCompare(b.id)),
        refused: book.refused,
        readFrom: book.readFrom,
      };
    },
    dayProductivity: async ({ employeeId, date }, ctx) => {
      const u = ctx.need();
      const p = reviewed(u, employeeId);
      const book = await loadRuleBook(ctx);
      return buildDayProductivity({
        date,
        timeZone: ctx.timeZone,
        records: await recordsOf(u, employeeId, date, date),
        chain: chainOf(book, p, await teamsOf(ctx)),
      });
    },
    productivityReport: async ({ scope, from, to }, ctx) => {
      const u = ctx.need();
      const book = await loadRuleBook(ctx);
      const chosen = !scope
        ? u.people
        : 'employeeId' in scope
          ? u.people.filter((p) => p.employeeId === scope.employeeId)
          : u.people.filter((p) => p.teamId === scope.teamId);
      const dates: string[] = [];
      for (let d = from; d <= to && dates.length < 366; d = addDays(d, 1)) dates.push(d);
      const totals = emptyTotals();
      const rows: ProductivityPersonRow[] = [];
      const teamOf = await teamsOf(ctx);
      let cache = totalsBySession.get(u);
      if (!cache) totalsBySession.set(u, (cache = new DayTotalsCache()));
      const rules = rulesStamp(book);
      for (const p of chosen) {
        const chain = chainOf(book, p, teamOf);
        // the team is in the stamp: a person moved to another team is classified by its set
        const stamp = `${u.index.recordSetStamp(p.employeeId)}|${rules}|${teamOf.get(p.employeeId) ?? p.teamId ?? ''}`;
        const kept = await cache.days(p.employeeId, stamp, dates, async (missing) => {
          const first = missing[0]!;
          const last = missing[missing.length - 1]!;
          const spans = classifySpans(appSpansOf(await recordsOf(u, p.employeeId, first, last)), chain);
          return new Map(missing.map((d) => [d, productivityTotals(spans, localDayBounds(d, ctx.timeZone))]));
        });
        const personTotals = emptyTotals();
        const days = dates.map((date) => {
          const t = { ...kept.get(date)! };
          add(personTotals, t);
          return { date, totals: t, productivePercent: productiveShare(t) };
        });
        add(totals, personTotals);
        rows.push({
          employeeId: p.employeeId,
          name: p.displayName,
          teamId: p.teamId,
          totals: personTotals,
          productivePercent: productiveShare(personTotals),
          days,
        });
      }
      return { from, to, rows, totals, productivePercent: productiveShare(totals) };
    },
  },
};

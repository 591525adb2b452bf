/**
 * Issue 17's reports, timed in the admin core itself (no transport, no
 * rendering): each view is built through the core's own subscription, the
 * first time (the core opens the people's records of the range into its
 * index) and again (warm: the index holds them, what is left is the
 * aggregation). The in-page figures (ui-timings.ts → work-ui-timings.ts)
 * minus these are transport and rendering.
 *
 *   project report      the largest project, all its people, the whole range
 *   all projects        every project's report one after another (the org)
 *   productivity        a team's day; one person over the whole range
 *   timesheets          the Reports screen's report, everyone × the range
 */
import { performance } from 'node:perf_hooks';
import type { AdminCore } from '@sealtime/admin-desktop/src/core/admin-core.js';
import type {
  SubscriptionName,
  SubscriptionParams,
  SubscriptionValue,
} from '@sealtime/admin-desktop/src/api/admin-api.js';
import type { AdminBenchContext, SlotRow } from './bench-context.js';

/** The range the org covers, from its last working day back (the org ends on a Friday). */
export function orgRange(org: AdminBenchContext['org']): { from: string; to: string } {
  const d = new Date(`${org.lastWorkDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - (org.days - 1));
  return { from: d.toISOString().slice(0, 10), to: org.lastWorkDate };
}

/** One value of a subscription and the milliseconds the core took to build it. */
export function buildOnce<N extends SubscriptionName>(
  core: AdminCore,
  name: N,
  params: SubscriptionParams<N>,
): Promise<{ value: SubscriptionValue<N>; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let off: (() => void) | undefined;
    let done = false;
    off = core.subscribe(
      name,
      params,
      (value) => {
        if (done) return;
        done = true;
        const ms = performance.now() - t0;
        queueMicrotask(() => off?.());
        resolve({ value, ms });
      },
      (err) => {
        if (done) return;
        done = true;
        queueMicrotask(() => off?.());
        reject(new Error(`${name}: ${err.message}`));
      },
    );
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Timings of the issue-17 views in an unlocked core whose replica is complete. */
export async function measureWorkCore(core: AdminCore, ctx: AdminBenchContext): Promise<SlotRow[]> {
  const rows: SlotRow[] = [];
  const add = (metric: string, value: number, unit: string) => {
    ctx.log(`  ${metric}: ${value.toFixed(1)} ${unit}`);
    rows.push({ metric, value, unit, higherIsBetter: false });
  };
  const { from, to } = orgRange(ctx.org);
  const span = `${ctx.org.days} days`;
  const book = (await buildOnce(core, 'projectBook', {})).value;
  if (book.projects.length === 0) throw new Error('the organisation has no projects: an org from an older generator?');
  const people = book.people;
  const teamOf = new Map(people.map((p) => [p.employeeId, p.teamId]));
  // the largest project: the one whose teams hold the most people
  const size = (p: (typeof book.projects)[number]) => people.filter((x) => p.teamIds.includes(x.teamId ?? '')).length;
  const big = [...book.projects].sort((a, b) => size(b) - size(a) || a.id.localeCompare(b.id))[0]!;

  // one project: the first build opens its people's records; the repeat is the warm figure
  const first = await buildOnce(core, 'projectReport', { projectId: big.id, from, to });
  const again: number[] = [];
  for (let i = 0; i < 3; i++) again.push((await buildOnce(core, 'projectReport', { projectId: big.id, from, to })).ms);
  if (first.value.totals.tracked <= 0) throw new Error(`project ${big.id} shows no tracked time: nothing to measure`);
  ctx.log(
    `    project ${big.id}: ${first.value.totals.tracked} h tracked, ${first.value.byPerson.length} people, budget ${first.value.budget ? `${first.value.budget.usedPercent}%` : 'none'}`,
  );
  add(`core project report, 1 project (${size(big)} people) × ${span}, first build`, first.ms, 'ms');
  add(
    `core project report, 1 project × ${span}, warm (median of ${again.length}; target ≤ 500 ms)`,
    median(again),
    'ms',
  );

  // the whole organisation: every project's report, one after another (the index is warm now for its people)
  let all = 0;
  let tracked = 0;
  for (const p of book.projects) {
    const r = await buildOnce(core, 'projectReport', { projectId: p.id, from, to });
    all += r.ms;
    tracked += r.value.totals.tracked;
  }
  ctx.log(`    all ${book.projects.length} projects: ${tracked.toFixed(1)} h tracked`);
  add(`core project reports, all ${book.projects.length} projects × ${span} (sum, warm)`, all, 'ms');

  // each view: its first build (it opens what is not kept yet), then warm repeats
  const firstAndWarm = async <N extends SubscriptionName>(
    label: string,
    name: N,
    params: SubscriptionParams<N>,
  ): Promise<SubscriptionValue<N>> => {
    const first = await buildOnce(core, name, params);
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push((await buildOnce(core, name, params)).ms);
    add(`${label}, first build`, first.ms, 'ms');
    add(`${label}, warm (median of 3; target ≤ 500 ms)`, median(warm), 'ms');
    return first.value;
  };

  // productivity: a team's day, one person over the range, everyone over the range
  const teams = [...new Set(people.flatMap((p) => (p.teamId ? [p.teamId] : [])))].sort();
  const team = teams[0]!;
  await firstAndWarm(`core productivity, team ${team} day`, 'productivityReport', {
    scope: { teamId: team },
    from: to,
    to,
  });
  const person = people.find((p) => teamOf.get(p.employeeId) === team)!;
  const personReport = await firstAndWarm(`core productivity, 1 person × ${span}`, 'productivityReport', {
    scope: { employeeId: person.employeeId },
    from,
    to,
  });
  if (personReport.totals.productive <= 0)
    throw new Error(`productivity of ${person.employeeId} shows no productive time: are the rule sets there?`);
  await firstAndWarm(`core productivity, all ${people.length} people × ${span}`, 'productivityReport', { from, to });

  // the Reports screen (timesheets): everyone × the range
  await firstAndWarm(`core timesheet report, all ${people.length} people × ${span}`, 'report', {
    from,
    to,
    groupBy: 'person',
  });
  const rss = process.memoryUsage().rss / 1e6;
  add('bench process RSS (the core in it) after the project, productivity and timesheet reports', rss, 'MB');
  return rows;
}

import type { BenchRow } from '../bench-report.js';

/**
 * The targets the issues set, matched to result rows by metric (and, where a
 * figure is compared with several baselines, by the baseline's name). A target
 * is on the value or on the ratio of the same run. Kept beside the report so a
 * renamed metric shows up as "no target matched" rather than silently passing.
 */
export interface Target {
  area: string;
  metric: RegExp;
  vs?: RegExp;
  on: 'value' | 'ratio';
  op: '>=' | '<=';
  bound: number;
  /** where the target comes from, e.g. "issue 16" */
  source: string;
}

export const TARGETS: readonly Target[] = [
  // issue 16: the local store
  {
    area: 'storage',
    metric: /^bulk insert 10k/,
    vs: /memory/,
    on: 'value',
    op: '>=',
    bound: 50_000,
    source: 'issue 16',
  },
  { area: 'storage', metric: /^bulk insert 10k/, vs: /memory/, on: 'ratio', op: '>=', bound: 0.25, source: 'issue 16' },
  { area: 'storage', metric: /^bulk insert 10k/, vs: /dexie/i, on: 'ratio', op: '>=', bound: 4, source: 'issue 16' },
  { area: 'storage', metric: /^bulk insert 100k/, on: 'value', op: '>=', bound: 50_000, source: 'issue 16' },
  {
    area: 'storage',
    metric: /^query by index \(100 rows\) 10k/,
    vs: /memory/,
    on: 'ratio',
    op: '>=',
    bound: 0.3,
    source: 'issue 16',
  },
  {
    area: 'storage',
    metric: /^count by index (\(repeated\) )?10k/,
    vs: /memory/,
    on: 'value',
    op: '>=',
    bound: 2_000,
    source: 'issue 16',
  },
  {
    area: 'storage',
    metric: /^count by index (\(repeated\) )?100k/,
    on: 'value',
    op: '>=',
    bound: 300,
    source: 'issue 16',
  },
  { area: 'storage', metric: /insert 10k.*first .?count/i, on: 'ratio', op: '<=', bound: 4, source: 'issue 16' },
  // issue 16: the read path
  {
    area: 'crypto',
    metric: /^open 1 KB record/,
    vs: /^bare XChaCha20-Poly1305 decrypt$/,
    on: 'value',
    op: '>=',
    bound: 20_000,
    source: 'issue 16',
  },
  {
    area: 'crypto',
    metric: /^open 1 KB record/,
    vs: /BLAKE2b.*verify/i,
    on: 'ratio',
    op: '>=',
    bound: 0.8,
    source: 'issue 16',
  },
  {
    area: 'crypto',
    metric: /^open 300 KB/,
    vs: /hash.*verify|BLAKE2b.*verify/i,
    on: 'ratio',
    op: '>=',
    bound: 0.9,
    source: 'issue 16',
  },
  // issue 16: the agent
  {
    area: 'agent',
    metric: /^steady peak RSS of the agent process tree \(300 s under Xvfb, default policy\)$/,
    on: 'value',
    op: '<=',
    bound: 120,
    source: 'issue 16',
  },
  {
    area: 'agent',
    metric: /^steady CPU of the agent process tree \(300 s under Xvfb, default policy\)$/,
    on: 'value',
    op: '<=',
    bound: 0.5,
    source: 'issue 16',
  },
  {
    area: 'agent',
    metric: /^steady peak RSS of the agent process tree .*screenshots/,
    on: 'value',
    op: '<=',
    bound: 150,
    source: 'issue 16',
  },
  {
    area: 'agent',
    metric: /^steady CPU of the agent process tree .*screenshots/,
    on: 'value',
    op: '<=',
    bound: 1,
    source: 'issue 16',
  },
  { area: 'agent', metric: /^backlog drain throughput/, on: 'ratio', op: '>=', bound: 1.5, source: 'issue 16' },
  // issue 14: the admin app
  { area: 'admin', metric: /^ui cold start: unlock → dashboard/, on: 'value', op: '<=', bound: 15, source: 'issue 14' },
  { area: 'admin', metric: /^admin full replica/, on: 'value', op: '<=', bound: 120, source: 'issue 14' },
  { area: 'admin', metric: /^admin replica pull/, on: 'ratio', op: '>=', bound: 1, source: 'issue 14' },
  { area: 'admin', metric: /^ui team day overview.*median/, on: 'value', op: '<=', bound: 500, source: 'issue 14' },
  {
    area: 'admin',
    metric: /^ui person-day timeline, first visit/,
    on: 'value',
    op: '<=',
    bound: 300,
    source: 'issue 14',
  },
  {
    area: 'admin',
    metric: /^ui person-day thumbnail gallery, first visit/,
    on: 'value',
    op: '<=',
    bound: 500,
    source: 'issue 14',
  },
  {
    area: 'admin',
    metric: /^ui full screenshot open from the server/,
    on: 'value',
    op: '<=',
    bound: 300,
    source: 'issue 14',
  },
  { area: 'admin', metric: /^ui full screenshot open, cached/, on: 'value', op: '<=', bound: 50, source: 'issue 14' },
  { area: 'admin', metric: /^core RSS with the/, on: 'value', op: '<=', bound: 400, source: 'issue 14' },
  { area: 'admin', metric: /^renderer RSS/, on: 'value', op: '<=', bound: 300, source: 'issue 14' },
  // issue 17: projects, productivity and timesheets over everyone × the range, held to issue 14's view target
  { area: 'admin', metric: /^ui project report, .*warm/, on: 'value', op: '<=', bound: 500, source: 'issue 17' },
  { area: 'admin', metric: /^ui Reports screen .*warm/, on: 'value', op: '<=', bound: 500, source: 'issue 17' },
  {
    area: 'admin',
    metric: /^ui dashboard with its productivity .*warm/,
    on: 'value',
    op: '<=',
    bound: 500,
    source: 'issue 17',
  },
  {
    area: 'admin',
    metric: /^core project report, 1 project .*warm/,
    on: 'value',
    op: '<=',
    bound: 500,
    source: 'issue 17',
  },
  { area: 'admin', metric: /^core productivity, .*warm/, on: 'value', op: '<=', bound: 500, source: 'issue 17' },
  { area: 'admin', metric: /^core timesheet report, .*warm/, on: 'value', op: '<=', bound: 500, source: 'issue 17' },
  // the server's own acceptance (the gateway's cost over the bare engine)
  {
    area: 'server',
    metric: /^steady push cycle p50 overhead, median/,
    on: 'value',
    op: '<=',
    bound: 1.3,
    source: 'server acceptance',
  },
  {
    area: 'server',
    metric: /^steady push cycle p99 .*through the gateway/,
    on: 'value',
    op: '<=',
    bound: 100,
    source: 'server acceptance',
  },
];

export interface Verdict {
  target: Target;
  actual: number | null;
  pass: boolean | null;
}

/** The targets that apply to one row, each with its verdict (null when the row has no ratio to judge). */
export function judge(area: string, row: BenchRow, targets: readonly Target[] = TARGETS): Verdict[] {
  return targets
    .filter((t) => t.area === area && t.metric.test(row.metric) && (!t.vs || (row.vs !== null && t.vs.test(row.vs))))
    .map((t) => {
      const actual = t.on === 'value' ? row.value : row.ratio;
      if (actual === null) return { target: t, actual, pass: null };
      return { target: t, actual, pass: t.op === '>=' ? actual >= t.bound : actual <= t.bound };
    });
}

/** Targets no row of a present area matched: a renamed metric, or a figure the bench does not measure yet. */
export function unmatched(area: string, rows: readonly BenchRow[], targets: readonly Target[] = TARGETS): Target[] {
  return targets.filter((t) => t.area === area && !rows.some((r) => judge(area, r, [t]).length > 0));
}

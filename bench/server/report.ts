/**
 * What the server bench measured, as bench/results/server.json rows and the
 * issue's targets (MET / MISSED). Each mode's steady figures pool its rounds;
 * the round pairs give a second, noise-robust view of the p50 overhead.
 */
import { row, writeResults, type BenchRow } from '../bench-report.js';
import type { LoadConfig, Mode } from './config.js';
import { mergeSamples, type LongpollStats, type PhaseSamples } from './messages.js';
import { compareTags, type ProfileSummary } from './profile.js';
import { summarize, type Summary } from './stats.js';

export interface ServerLoad {
  /** CPU time of the bench process (engine + gateway + consolidation), ms. */
  cpuMs: number;
  /** Event loop busy and idle time of the bench process, ms. */
  eluActive: number;
  eluIdle: number;
}

export interface Round {
  /** Position in the run, from 0. */
  index: number;
  mode: Mode;
  samples: PhaseSamples;
  load: ServerLoad;
  wallMs: number;
  /** The full collection run after this round, outside the timed window (ms): the old-generation garbage the round left. */
  gcAfterMs: number;
}

export interface ModeResult {
  mode: Mode;
  connect: PhaseSamples;
  burst: PhaseSamples;
  burstLoad: ServerLoad;
  drainMs: number;
  /** The untimed warm-up round after the burst (its errors and records still count). */
  warmup: PhaseSamples;
  longpoll: LongpollStats;
}

export interface BenchResult {
  modes: Map<Mode, ModeResult>;
  /** Every steady round in the order it ran. */
  rounds: Round[];
  /** Documents in the employees' record databases at the end (both modes write there). */
  stored: number;
  /** Gateway rounds only. */
  profile: ProfileSummary | null;
}

export const sumLoad = (all: readonly ServerLoad[]): ServerLoad =>
  all.reduce(
    (a, l) => ({ cpuMs: a.cpuMs + l.cpuMs, eluActive: a.eluActive + l.eluActive, eluIdle: a.eluIdle + l.eluIdle }),
    { cpuMs: 0, eluActive: 0, eluIdle: 0 },
  );

/** A mode's figures with its steady rounds pooled. */
interface Pooled extends ModeResult {
  steady: PhaseSamples;
  steadyLoad: ServerLoad;
  steadyWallMs: number;
  gcAfterMs: number;
}

function pool(m: ModeResult, rounds: readonly Round[]): Pooled {
  const mine = rounds.filter((r) => r.mode === m.mode);
  return {
    ...m,
    steady: mergeSamples(mine.map((r) => r.samples)),
    steadyLoad: sumLoad(mine.map((r) => r.load)),
    steadyWallMs: mine.reduce((a, r) => a + r.wallMs, 0),
    gcAfterMs: mine.reduce((a, r) => a + r.gcAfterMs, 0),
  };
}

export interface RoundPair {
  gateway: Round;
  direct: Round;
  /** Gateway p50 / direct p50 within the pair. */
  ratio: number;
}

/** Adjacent rounds (1+2, 3+4, …) each hold one round of each mode. */
export function roundPairs(rounds: readonly Round[]): RoundPair[] {
  const out: RoundPair[] = [];
  for (let i = 0; i + 1 < rounds.length; i += 2) {
    const pair = [rounds[i]!, rounds[i + 1]!];
    const gateway = pair.find((r) => r.mode === 'gateway');
    const direct = pair.find((r) => r.mode === 'direct');
    if (!gateway || !direct) continue;
    out.push({ gateway, direct, ratio: summarize(gateway.samples.cycles).p50 / summarize(direct.samples.cycles).p50 });
  }
  return out;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function errorsOf(r: Pooled): number {
  return r.connect.errors + r.burst.errors + r.warmup.errors + r.steady.errors + r.longpoll.errors;
}

export function report(c: LoadConfig, res: BenchResult, log: (msg: string) => void): void {
  const all = new Map([...res.modes].map(([k, m]) => [k, pool(m, res.rounds)]));
  const g = all.get('gateway');
  const d = all.get('direct');
  const main = g ?? d!;
  const other = g && d ? d : null;
  const via = main.mode === 'gateway' ? 'through the gateway' : 'straight to the engine';
  const vsName = 'straight to the engine';
  const tag = `${c.agents} agents`;
  const rows: BenchRow[] = [];
  const add = (metric: string, pick: (r: Pooled) => number, unit: string, higherIsBetter: boolean): void => {
    rows.push(
      row(
        `${metric} ${via} (${tag})`,
        pick(main),
        unit,
        higherIsBetter,
        other ? { name: vsName, value: pick(other) } : undefined,
      ),
    );
  };
  const steadyS = (r: Pooled) => summarize(r.steady.cycles);
  const burstS = (r: Pooled) => summarize(r.burst.cycles);
  const req = (r: Pooled, k: keyof PhaseSamples['requests'], p: keyof Summary) => summarize(r.steady.requests[k])[p];
  const burstSeconds = (r: Pooled) => (r.burst.lastEnd - r.burst.firstStart) / 1000;
  const acknowledged = (r: Pooled) => r.burst.records + r.warmup.records + r.steady.records;

  add(`steady push cycle p50 (1 record/${c.intervalS} s/agent)`, (r) => steadyS(r).p50, 'ms', false);
  add(`steady push cycle p99 (1 record/${c.intervalS} s/agent)`, (r) => steadyS(r).p99, 'ms', false);
  add('steady push cycle max', (r) => steadyS(r).max, 'ms', false);
  const pairs = roundPairs(res.rounds);
  pairs.forEach((p, k) => {
    const [a, b] = [p.gateway.index, p.direct.index].sort((x, y) => x - y);
    rows.push(
      row(
        `steady push cycle p50, round pair ${k + 1} (rounds ${a! + 1}+${b! + 1}) through the gateway (${tag})`,
        summarize(p.gateway.samples.cycles).p50,
        'ms',
        false,
        {
          name: 'straight to the engine, same pair',
          value: summarize(p.direct.samples.cycles).p50,
        },
      ),
    );
  });
  const pairMedian = median(pairs.map((p) => p.ratio));
  if (pairs.length)
    rows.push(
      row(`steady push cycle p50 overhead, median of ${pairs.length} round pairs (${tag})`, pairMedian, '×', false),
    );
  add('steady throughput', (r) => r.steady.cycles.length / (r.steadyWallMs / 1000), 'push cycles/s', true);
  add('steady throughput', (r) => r.steady.records / (r.steadyWallMs / 1000), 'records/s', true);
  add('steady _all_docs p50', (r) => req(r, 'all-docs', 'p50'), 'ms', false);
  add('steady _all_docs p99', (r) => req(r, 'all-docs', 'p99'), 'ms', false);
  add('steady _bulk_docs p50', (r) => req(r, 'bulk-docs', 'p50'), 'ms', false);
  add('steady _bulk_docs p99', (r) => req(r, 'bulk-docs', 'p99'), 'ms', false);
  add('steady server CPU per push cycle', (r) => r.steadyLoad.cpuMs / Math.max(1, r.steady.cycles.length), 'ms', false);
  add(
    'steady full GC after the rounds (outside the timed windows), per push cycle',
    (r) => r.gcAfterMs / Math.max(1, r.steady.cycles.length),
    'ms',
    false,
  );
  add(
    'steady server event loop utilisation',
    (r) => (r.steadyLoad.eluActive / Math.max(1e-9, r.steadyLoad.eluActive + r.steadyLoad.eluIdle)) * 100,
    '%',
    false,
  );
  add(
    `backlog burst throughput (${c.backlog} records/agent, batches of ${c.batch})`,
    (r) => r.burst.records / burstSeconds(r),
    'records/s',
    true,
  );
  add('backlog burst duration', (r) => burstSeconds(r) * 1000, 'ms', false);
  add('backlog burst push cycle p50', (r) => burstS(r).p50, 'ms', false);
  add('backlog burst push cycle p99', (r) => burstS(r).p99, 'ms', false);
  add('backlog burst server CPU per record', (r) => r.burstLoad.cpuMs / Math.max(1, r.burst.records), 'ms', false);
  add('consolidation drain after the burst', (r) => r.drainMs, 'ms', false);
  add('initial inbox pull p99', (r) => summarize(r.connect.requests.changes).p99, 'ms', false);
  add('errors (non-2xx, network, refused records)', errorsOf, 'errors', false);
  add('records acknowledged', acknowledged, 'records', true);
  const ackAll = [...all.values()].reduce((a, r) => a + acknowledged(r), 0);
  const both = all.size > 1 ? 'both modes' : via;
  rows.push(
    row(`records stored in the employees’ databases, ${both} (${tag})`, res.stored, 'records', true, {
      name: `records acknowledged, ${both}`,
      value: ackAll,
    }),
  );
  add('idle longpolls answered and re-sent', (r) => r.longpoll.answered, 'longpolls', true);

  for (const r of all.values()) {
    const examples = [
      ...r.connect.errorExamples,
      ...r.burst.errorExamples,
      ...r.warmup.errorExamples,
      ...r.steady.errorExamples,
      ...r.longpoll.errorExamples,
    ];
    if (examples.length) log(`${r.mode}: first errors: ${examples.slice(0, 5).join(' | ')}`);
    if (r.longpoll.clientTimeouts)
      log(`${r.mode}: ${r.longpoll.clientTimeouts} longpolls hit the agent's own 100 s timeout and were re-sent`);
  }
  if (res.profile) {
    // the profiler slows every round: compare the modes with each other, not with an unprofiled run
    log(
      `CPU profile of every steady round, self time per push cycle by mode, written to ${res.profile.files.join(', ')}`,
    );
    console.table(compareTags(res.profile, 'areas', 20));
    console.table(compareTags(res.profile, 'functions', 25));
  }
  console.log(`wrote ${writeResults('server', rows)}`);

  const checks: Array<[string, boolean]> = [];
  if (g)
    checks.push([
      `p99 ${steadyS(g).p99.toFixed(1)} ms < 100 ms (gateway, pooled over its rounds)`,
      steadyS(g).p99 < 100,
    ]);
  for (const r of all.values()) checks.push([`errors ${r.mode} ${errorsOf(r)} = 0`, errorsOf(r) === 0]);
  checks.push([`acknowledged ${ackAll} = stored ${res.stored} (${both})`, ackAll === res.stored]);
  if (g && d) {
    const [gs, ds] = [steadyS(g), steadyS(d)];
    checks.push([`p50 overhead ${(gs.p50 / ds.p50).toFixed(2)}× ≤ 1.3× (pooled)`, gs.p50 / ds.p50 <= 1.3]);
  }
  for (const [what, ok] of checks) console.log(`${ok ? 'MET   ' : 'MISSED'} ${what}`);
  if (g && d)
    console.log(
      `info   p99 ratio ${(steadyS(g).p99 / steadyS(d).p99).toFixed(2)}× (pooled; the target is the gateway's own p99 < 100 ms)`,
    );
  if (pairs.length) {
    console.log(
      `info   p50 overhead per round pair: ${pairs.map((p) => `${p.ratio.toFixed(2)}×`).join(', ')}; median ${pairMedian.toFixed(2)}×`,
    );
  }
}

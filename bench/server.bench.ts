/**
 * npm run bench:server — live agents speaking the real replication protocol
 * through the gateway (real device authentication, real write validation of
 * sealed records), then the same load with the same sealed records sent
 * straight to the storage engine, side by side from one run.
 *
 * Per run: a fresh server (embedded engine, provisioning, consolidation,
 * gateway), every agent holds its inbox longpoll, a backlog burst (every
 * agent pushes its queued records at once), consolidation drains, then the
 * steady phase (each agent pushes one record every interval on an open-loop
 * schedule). Flags and BENCH_* variables: see bench/server/config.ts.
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { row, writeResults, type BenchRow } from './bench-report.js';
import { loadConfig, steadyRecordsPerAgent, type LoadConfig } from './server/config.js';
import { docCount, engineAuthorization, enrollDevices, provisionEmployees, startBenchServer, type EnrolledAgent } from './server/fixture.js';
import { mergeSamples, type LongpollStats, type PhaseSamples } from './server/messages.js';
import { CpuProfiler, type ProfileSummary } from './server/profile.js';
import { epochNow } from './server/protocol-client.js';
import { summarize, type Summary } from './server/stats.js';
import { share, WorkerPool } from './server/workers.js';

type Mode = 'gateway' | 'direct';

interface ServerLoad {
  /** CPU time of the bench process (engine + gateway + consolidation), ms. */
  cpuMs: number;
  /** Event loop utilisation of the bench process, 0..1. */
  elu: number;
}

interface RunResult {
  mode: Mode;
  connect: PhaseSamples;
  burst: PhaseSamples;
  burstLoad: ServerLoad;
  drainMs: number;
  steady: PhaseSamples;
  steadyLoad: ServerLoad;
  steadyWallMs: number;
  longpoll: LongpollStats;
  stored: number;
  profile: ProfileSummary | null;
}

const cfg = loadConfig();
const log = (msg: string): void => console.error(`[bench:server] ${msg}`);
const recordsPerAgent = cfg.backlog + steadyRecordsPerAgent(cfg);
log(
  `config: ${cfg.agents} agents over ${cfg.workers} worker processes; backlog ${cfg.backlog} records/agent in batches of ${cfg.batch}; ` +
    `steady ${cfg.durationS} s at 1 record/${cfg.intervalS} s/agent; teams of ${cfg.teamSize}; runs: ${cfg.modes.join(', ')}${cfg.profile ? '; profiling' : ''}`,
);

function measureLoad(): () => ServerLoad {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    return { cpuMs: (cpu.user + cpu.system) / 1000, elu: performance.eventLoopUtilization(elu0).utilization };
  };
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  while (!(await check())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return performance.now() - t0;
}

async function run(mode: Mode, pool: WorkerPool, enrolled: EnrolledAgent[] | null): Promise<{ result: RunResult; enrolled: EnrolledAgent[] }> {
  let t = performance.now();
  const b = await startBenchServer();
  try {
    await provisionEmployees(b, cfg.agents, cfg.teamSize);
    log(`${mode}: provisioned ${cfg.agents} employees in ${Math.round(performance.now() - t)} ms`);
    if (!enrolled) {
      // the first run's devices seal the records; later runs (direct) push the same records
      t = performance.now();
      const fresh = await enrollDevices(b, cfg.agents, cfg.teamSize);
      enrolled = fresh;
      log(`${mode}: enrolled ${fresh.length} devices in ${Math.round(performance.now() - t)} ms`);
      t = performance.now();
      const parts = share(fresh, pool.size);
      const ready = await pool.ask((i) => ({ type: 'init', agents: parts[i]!.map(({ employeeId, deviceId }) => ({ employeeId, deviceId })), recordsPerAgent }), 'ready');
      log(`sealed ${cfg.agents * recordsPerAgent} records in ${Math.round(performance.now() - t)} ms (workers: ${ready.map((r) => Math.round(r.sealMs)).join(', ')} ms)`);
    } else if (mode === 'gateway') {
      throw new Error('the gateway run must come first: its enrolled devices sealed the records');
    }
    const agents = enrolled;
    const direct = engineAuthorization(b.server.engine.url);
    const baseUrl = mode === 'gateway' ? b.server.url : direct.baseUrl;
    const shares = share(agents, pool.size);

    const connect = mergeSamples(
      (await pool.ask((i) => ({ type: 'connect', baseUrl, batch: cfg.batch, authorizations: shares[i]!.map((a) => (mode === 'gateway' ? a.authorization : direct.authorization)) }), 'connected')).map((r) => r.samples),
    );
    await new Promise((r) => setTimeout(r, 1000)); // let every longpoll reach the engine
    log(`${mode}: ${cfg.agents} agents connected (inbox pulled, longpolls held)`);

    let load = measureLoad();
    const burst = mergeSamples((await pool.ask(() => ({ type: 'burst', records: cfg.backlog }), 'burst-done')).map((r) => r.samples));
    const burstLoad = load();
    log(`${mode}: burst of ${burst.records} records in ${Math.round(burst.lastEnd - burst.firstStart)} ms`);

    // consolidation copies every record to st-org-records; let it finish so it does not bleed into the steady phase
    const drainMs = await waitFor('consolidation of the burst', 300_000, async () => (await docCount(b, 'st-org-records')) >= burst.records);
    log(`${mode}: consolidation drained ${Math.round(drainMs)} ms after the burst`);

    const profiler = cfg.profile && mode === 'gateway' ? new CpuProfiler() : null;
    await profiler?.start();
    const startAt = epochNow() + 500;
    load = measureLoad();
    const steady = mergeSamples((await pool.ask(() => ({ type: 'steady', startAt, durationMs: cfg.durationS * 1000, intervalMs: cfg.intervalS * 1000 }), 'steady-done')).map((r) => r.samples));
    const steadyWallMs = epochNow() - startAt;
    const steadyLoad = load();
    const profile = profiler ? await profiler.stop(join(tmpdir(), `sealtime-bench-server-${mode}.cpuprofile`)) : null;
    log(`${mode}: steady phase done, ${steady.cycles.length} push cycles; machine load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores, shared)`);
    if (process.env.BENCH_DEBUG) printTimeline(mode, steady, startAt);

    const longpoll = (await pool.ask(() => ({ type: 'disconnect' }), 'disconnected')).reduce<LongpollStats>(
      (acc, r) => ({
        answered: acc.answered + r.longpoll.answered,
        clientTimeouts: acc.clientTimeouts + r.longpoll.clientTimeouts,
        errors: acc.errors + r.longpoll.errors,
        errorExamples: [...acc.errorExamples, ...r.longpoll.errorExamples].slice(0, 5),
      }),
      { answered: 0, clientTimeouts: 0, errors: 0, errorExamples: [] },
    );

    // nothing acknowledged may be missing: count what the employees' databases hold
    let stored = 0;
    for (const a of agents) stored += await docCount(b, `st-emp-${a.employeeId}-records`);
    return {
      enrolled: agents,
      result: { mode, connect, burst, burstLoad, drainMs, steady, steadyLoad, steadyWallMs, longpoll, stored, profile },
    };
  } finally {
    await b.close();
  }
}

const pool = WorkerPool.start(cfg.workers);
const results = new Map<Mode, RunResult>();
try {
  let enrolled: EnrolledAgent[] | null = null;
  const order = (['gateway', 'direct'] as const).filter((m) => cfg.modes.includes(m));
  for (const mode of order) {
    const r = await run(mode, pool, enrolled);
    enrolled = r.enrolled;
    results.set(mode, r.result);
  }
} finally {
  await pool.close();
}

report(cfg, results);
// closed servers still leave PouchDB/LevelDB and timer handles behind that keep node alive: end explicitly
process.exit(0);

/** Slowest push cycle per 2-second window of the steady phase: shows whether slow cycles cluster (stalls) or spread. */
function printTimeline(mode: Mode, s: PhaseSamples, startAt: number): void {
  const buckets = new Map<number, number[]>();
  s.cycles.forEach((ms, i) => {
    const b = Math.floor((s.cycleDue[i]! - startAt) / 2000);
    buckets.set(b, [...(buckets.get(b) ?? []), ms]);
  });
  const line = [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([b, v]) => `${b * 2}s:${Math.round(Math.max(...v))}`);
  log(`${mode}: slowest cycle per 2 s window (ms): ${line.join(' ')}`);
}

function errorsOf(r: RunResult): number {
  return r.connect.errors + r.burst.errors + r.steady.errors + r.longpoll.errors;
}

function report(c: LoadConfig, all: Map<Mode, RunResult>): void {
  const main = all.get('gateway') ?? all.get('direct')!;
  const other = all.get('gateway') && all.get('direct') ? all.get('direct')! : null;
  const via = main.mode === 'gateway' ? 'through the gateway' : 'straight to the engine';
  const vsName = 'straight to the engine';
  const tag = `${c.agents} agents`;
  const rows: BenchRow[] = [];
  const add = (metric: string, pick: (r: RunResult) => number, unit: string, higherIsBetter: boolean): void => {
    rows.push(row(`${metric} ${via} (${tag})`, pick(main), unit, higherIsBetter, other ? { name: vsName, value: pick(other) } : undefined));
  };
  const steadyS = (r: RunResult) => summarize(r.steady.cycles);
  const burstS = (r: RunResult) => summarize(r.burst.cycles);
  const req = (r: RunResult, k: keyof PhaseSamples['requests'], p: keyof Summary) => summarize(r.steady.requests[k])[p];
  const burstSeconds = (r: RunResult) => (r.burst.lastEnd - r.burst.firstStart) / 1000;

  add(`steady push cycle p50 (1 record/${c.intervalS} s/agent)`, (r) => steadyS(r).p50, 'ms', false);
  add(`steady push cycle p99 (1 record/${c.intervalS} s/agent)`, (r) => steadyS(r).p99, 'ms', false);
  add('steady push cycle max', (r) => steadyS(r).max, 'ms', false);
  add('steady throughput', (r) => r.steady.cycles.length / (r.steadyWallMs / 1000), 'push cycles/s', true);
  add('steady throughput', (r) => r.steady.records / (r.steadyWallMs / 1000), 'records/s', true);
  add('steady _all_docs p50', (r) => req(r, 'all-docs', 'p50'), 'ms', false);
  add('steady _all_docs p99', (r) => req(r, 'all-docs', 'p99'), 'ms', false);
  add('steady _bulk_docs p50', (r) => req(r, 'bulk-docs', 'p50'), 'ms', false);
  add('steady _bulk_docs p99', (r) => req(r, 'bulk-docs', 'p99'), 'ms', false);
  add('steady server CPU per push cycle', (r) => r.steadyLoad.cpuMs / Math.max(1, r.steady.cycles.length), 'ms', false);
  add('steady server event loop utilisation', (r) => r.steadyLoad.elu * 100, '%', false);
  add(`backlog burst throughput (${c.backlog} records/agent, batches of ${c.batch})`, (r) => r.burst.records / burstSeconds(r), 'records/s', true);
  add('backlog burst duration', (r) => burstSeconds(r) * 1000, 'ms', false);
  add('backlog burst push cycle p50', (r) => burstS(r).p50, 'ms', false);
  add('backlog burst push cycle p99', (r) => burstS(r).p99, 'ms', false);
  add('backlog burst server CPU per record', (r) => r.burstLoad.cpuMs / Math.max(1, r.burst.records), 'ms', false);
  add('consolidation drain after the burst', (r) => r.drainMs, 'ms', false);
  add('initial inbox pull p99', (r) => summarize(r.connect.requests.changes).p99, 'ms', false);
  add('errors (non-2xx, network, refused records)', errorsOf, 'errors', false);
  add('records acknowledged', (r) => r.burst.records + r.steady.records, 'records', true);
  add('records stored in the employees’ databases', (r) => r.stored, 'records', true);
  add('idle longpolls answered and re-sent', (r) => r.longpoll.answered, 'longpolls', true);

  for (const r of all.values()) {
    const examples = [...r.connect.errorExamples, ...r.burst.errorExamples, ...r.steady.errorExamples, ...r.longpoll.errorExamples];
    if (examples.length) log(`${r.mode}: first errors: ${examples.slice(0, 5).join(' | ')}`);
    if (r.longpoll.clientTimeouts) log(`${r.mode}: ${r.longpoll.clientTimeouts} longpolls hit the agent's own 100 s timeout and were re-sent`);
    if (r.profile) {
      log(`${r.mode}: CPU profile of the steady phase (${r.profile.totalMs} ms busy) written to ${r.profile.file}`);
      console.table(r.profile.areas);
      console.table(r.profile.functions.slice(0, 15));
    }
  }
  console.log(`wrote ${writeResults('server', rows)}`);

  const g = all.get('gateway');
  const d = all.get('direct');
  if (g) {
    const s = summarize(g.steady.cycles);
    const checks: Array<[string, boolean]> = [
      [`p99 ${s.p99.toFixed(1)} ms < 100 ms`, s.p99 < 100],
      [`errors ${errorsOf(g)} = 0`, errorsOf(g) === 0],
      [`acknowledged ${g.burst.records + g.steady.records} = stored ${g.stored}`, g.burst.records + g.steady.records === g.stored],
    ];
    if (d) {
      const ds = summarize(d.steady.cycles);
      checks.push([`p50 overhead ${(s.p50 / ds.p50).toFixed(2)}× ≤ 1.3×`, s.p50 / ds.p50 <= 1.3]);
      checks.push([`p99 overhead ${(s.p99 / ds.p99).toFixed(2)}× ≤ 1.3×`, s.p99 / ds.p99 <= 1.3]);
    }
    for (const [what, ok] of checks) console.log(`${ok ? 'MET   ' : 'MISSED'} ${what}`);
  }
}

/**
 * npm run bench:server — live agents speaking the real replication protocol
 * through the gateway (real device authentication, real write validation of
 * sealed records), against the same load sent straight to the storage
 * engine, side by side in time from one run.
 *
 * One server per run (embedded engine, provisioning, consolidation, gateway).
 * Every agent has two clients, one through the gateway (its device
 * credential) and one straight to the engine (the engine's admin
 * credential), each with its own sealed records. Both sets connect first and
 * hold their inbox longpolls for the whole run, so each mode's background
 * cost is present throughout. Then a backlog burst per mode (every agent
 * pushes its queued records at once), each followed by the consolidation
 * drain, a full GC and a wait until the server is quiet again, an untimed
 * warm-up per mode, then the steady phase: rounds in ABBA order (gateway, direct,
 * direct, gateway, …), one mode pushing per round on an open-loop schedule
 * while the other's clients idle, with a timed full GC after each round
 * (fullGc below). A shared machine's drifting load so falls
 * on both modes alike; the report pools each mode's rounds and also gives
 * the p50 ratio per adjacent round pair. Flags and BENCH_* variables: see
 * bench/server/config.ts.
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { performance } from 'node:perf_hooks';
import { loadConfig, roundOrder, roundSeconds, steadyRecordsPerAgent, type Mode } from './server/config.js';
import {
  docCount,
  engineAuthorization,
  enrollDevices,
  provisionEmployees,
  startBenchServer,
  type BenchServer,
  type EnrolledAgent,
} from './server/fixture.js';
import { emptyLongpoll, emptySamples, mergeLongpoll, mergeSamples, type PhaseSamples } from './server/messages.js';
import { CpuProfiler } from './server/profile.js';
import { epochNow } from './server/protocol-client.js';
import { report, type BenchResult, type ModeResult, type Round, type ServerLoad } from './server/report.js';
import { summarize } from './server/stats.js';
import { HeapSampler } from './server/heap-profile.js';
import { StallWatch, type Stall } from './server/stalls.js';
import { formatGc, GcTally } from './server/gc-tally.js';
import { share, WorkerPool } from './server/workers.js';

const cfg = loadConfig();
const log = (msg: string): void => console.error(`[bench:server] ${msg}`);
const modes = (['gateway', 'direct'] as const).filter((m) => cfg.modes.includes(m));
const order = roundOrder(cfg);
const roundS = roundSeconds(cfg);
const recordsPerAgent = cfg.backlog + steadyRecordsPerAgent(cfg);
/** Pause between steady rounds, after consolidation has caught up. */
const SETTLE_MS = 1000;
/** The server's collections per round and warm-up (the server runs in this process). */
const gcTally = new GcTally();
/** BENCH_DEBUG: what held the server's event loop (the server runs in this process). */
const stallWatch = process.env.BENCH_DEBUG ? new StallWatch() : null;
log(
  `config: ${cfg.agents} agents over ${cfg.workers} worker processes; backlog ${cfg.backlog} records/agent in batches of ${cfg.batch}; ` +
    `untimed warm-up ${cfg.warmupS} s per mode; steady ${cfg.durationS} s per mode at 1 record/${cfg.intervalS} s/agent in ${order.length} rounds of ${roundS} s (${order.join(', ')}); ` +
    `teams of ${cfg.teamSize}${cfg.profile ? '; CPU-profiling every round' : ''}; engine: ${cfg.couchdbUrls.length > 0 ? `Apache CouchDB (${cfg.couchdbUrls.length} URL${cfg.couchdbUrls.length > 1 ? 's' : ''})` : 'embedded'}`,
);

function measureLoad(): () => ServerLoad {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    return { cpuMs: (cpu.user + cpu.system) / 1000, eluActive: elu.active, eluIdle: elu.idle };
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

/**
 * Waits until the server process (LevelDB's background compaction threads
 * included) has used under a tenth of a core for two seconds running, at
 * most a minute: after the bursts the engine keeps compacting for a while,
 * and whichever round came first would otherwise pay for it.
 */
async function settle(): Promise<{ waitedMs: number; cpuShare: number }> {
  const t0 = performance.now();
  let calm = 0;
  let share = 100;
  while (calm < 2 && performance.now() - t0 < 60_000) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    const c = process.cpuUsage(c0);
    share = ((c.user + c.system) / 1000 / (performance.now() - w0)) * 100;
    calm = share < 10 ? calm + 1 : 0;
  }
  return { waitedMs: performance.now() - t0, cpuShare: share };
}

/**
 * A full collection between rounds, timed: the server's heap (1500
 * databases) takes a major collection of ~250 ms about every 100 s, and
 * its schedule, not the modes, would decide which round it stalls (in the
 * ABBA order it kept landing in gateway rounds 4-5). Collected here, each
 * round starts with no old garbage; what a round left is timed and counted
 * against its mode in the report.
 */
function fullGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:server does)');
  const t0 = performance.now();
  gc();
  return performance.now() - t0;
}

async function prepare(b: BenchServer, pool: WorkerPool): Promise<EnrolledAgent[]> {
  let t = performance.now();
  await provisionEmployees(b, cfg.agents, cfg.teamSize);
  log(`provisioned ${cfg.agents} employees in ${Math.round(performance.now() - t)} ms`);
  t = performance.now();
  const agents = await enrollDevices(b, cfg.agents, cfg.teamSize);
  log(`enrolled ${agents.length} devices in ${Math.round(performance.now() - t)} ms`);
  t = performance.now();
  const parts = share(agents, pool.size);
  const ready = await pool.ask(
    (i) => ({
      type: 'init',
      agents: parts[i]!.map(({ employeeId, deviceId }) => ({ employeeId, deviceId })),
      recordsPerAgent,
      modes,
    }),
    'ready',
  );
  log(
    `sealed ${cfg.agents * recordsPerAgent * modes.length} records (${recordsPerAgent}/agent/mode) in ${Math.round(performance.now() - t)} ms (workers: ${ready.map((r) => Math.round(r.sealMs)).join(', ')} ms)`,
  );
  return agents;
}

async function run(b: BenchServer, pool: WorkerPool): Promise<BenchResult> {
  const agents = await prepare(b, pool);
  const shares = share(agents, pool.size);
  const direct = engineAuthorization(b.server.engine.url);
  const connects = new Map<Mode, PhaseSamples>();
  for (const mode of modes) {
    const baseUrl = mode === 'gateway' ? b.server.url : direct.baseUrl;
    const authorizations = (i: number) =>
      shares[i]!.map((a) => (mode === 'gateway' ? a.authorization : direct.authorization));
    connects.set(
      mode,
      mergeSamples(
        (
          await pool.ask(
            (i) => ({ type: 'connect', mode, baseUrl, batch: cfg.batch, authorizations: authorizations(i) }),
            'connected',
          )
        ).map((r) => r.samples),
      ),
    );
  }
  await new Promise((r) => setTimeout(r, 1000)); // let every longpoll reach the engine
  log(
    `${cfg.agents} agents connected ${modes.length > 1 ? 'in both modes ' : ''}(inbox pulled, longpolls held for the whole run)`,
  );

  // consolidation copies every record of either mode to st-org-records: wait for it so it does not bleed into what follows
  // a CouchDB's st-org-records holds earlier runs' records: count from what is there
  let consolidated = await docCount(b, 'st-org-records');
  const catchUp = (what: string) =>
    waitFor(what, 300_000, async () => (await docCount(b, 'st-org-records')) >= consolidated);
  const results = new Map<Mode, ModeResult>();
  for (const mode of modes) {
    const load = measureLoad();
    const burst = mergeSamples(
      (await pool.ask(() => ({ type: 'burst', mode, records: cfg.backlog }), 'burst-done')).map((r) => r.samples),
    );
    const burstLoad = load();
    log(`${mode}: burst of ${burst.records} records in ${Math.round(burst.lastEnd - burst.firstStart)} ms`);
    consolidated += burst.records;
    const drainMs = await catchUp(`consolidation of the ${mode} burst`);
    log(`${mode}: consolidation drained ${Math.round(drainMs)} ms after the burst`);
    results.set(mode, {
      mode,
      connect: connects.get(mode)!,
      burst,
      burstLoad,
      drainMs,
      warmup: emptySamples(),
      longpoll: emptyLongpoll(),
    });
  }

  fullGc(); // the bursts' garbage
  const quiet = await settle();
  log(
    `server quiet after ${Math.round(quiet.waitedMs)} ms (CPU ${quiet.cpuShare.toFixed(0)} % of a core over the last second): the bursts' after-work (LevelDB compactions) no longer weighs on the first round`,
  );

  // untimed warm-up, the first timed round's mode last: neither mode's first round pays for the change from burst to steady load
  if (cfg.warmupS > 0) {
    for (const mode of [...new Set([...order].reverse())]) {
      const startAt = epochNow() + 500;
      const load = measureLoad();
      gcTally.take();
      const answers = await pool.ask(
        () => ({ type: 'steady', mode, startAt, durationMs: cfg.warmupS * 1000, intervalMs: cfg.intervalS * 1000 }),
        'steady-done',
      );
      const serverLoad = load();
      const gcs = gcTally.take();
      const samples = mergeSamples(answers.map((r) => r.samples));
      results.get(mode)!.warmup = samples;
      consolidated += samples.records;
      await catchUp(`consolidation after the ${mode} warm-up`);
      fullGc();
      const s = summarize(samples.cycles);
      log(
        `${mode}: warm-up of ${cfg.warmupS} s (not timed): ${samples.cycles.length} push cycles, p50 ${s.p50.toFixed(1)} ms, ${samples.errors} errors; ` +
          `per push cycle: server CPU ${perCycle(serverLoad.cpuMs, samples)} ms, load workers' CPU ${perCycle(sum(answers.map((a) => a.cpuMs)), samples)} ms; server GC ${formatGc(gcs)}`,
      );
      if (process.env.BENCH_DEBUG) printTimeline(`${mode} warm-up`, samples, startAt);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
    }
  }

  const profiler = cfg.profile ? new CpuProfiler() : null;
  const rounds: Round[] = [];
  const heapSampler = process.env.BENCH_HEAP_PROFILE === '1' ? new HeapSampler() : null;
  if (heapSampler) await heapSampler.start();
  for (const [index, mode] of order.entries()) {
    if (profiler) await profiler.start();
    const startAt = epochNow() + 500;
    const load = measureLoad();
    stallWatch?.take();
    gcTally.take();
    const answers = await pool.ask(
      () => ({ type: 'steady', mode, startAt, durationMs: roundS * 1000, intervalMs: cfg.intervalS * 1000 }),
      'steady-done',
    );
    const samples = mergeSamples(answers.map((r) => r.samples));
    const serverStalls = stallWatch?.take() ?? [];
    const gcs = gcTally.take();
    const wallMs = epochNow() - startAt;
    const round: Round = { index, mode, samples, load: load(), wallMs, gcAfterMs: 0 };
    rounds.push(round);
    if (profiler)
      await profiler.stop(
        join(tmpdir(), `sealtime-bench-server-round-${index + 1}-${mode}.cpuprofile`),
        mode,
        samples.cycles.length,
      );
    consolidated += samples.records;
    const s = summarize(samples.cycles);
    const catchUpMs = await catchUp(`consolidation after round ${index + 1}`);
    const heapBeforeGc = process.memoryUsage().heapUsed;
    round.gcAfterMs = fullGc();
    log(
      `round ${index + 1}/${order.length} ${mode} (${Math.round((startAt - performance.timeOrigin) / 1000)}–${Math.round((startAt + wallMs - performance.timeOrigin) / 1000)} s into the run): ${samples.cycles.length} push cycles, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, ${samples.errors} errors; ` +
        `per push cycle: server CPU ${perCycle(round.load.cpuMs, samples)} ms, load workers' CPU ${perCycle(sum(answers.map((a) => a.cpuMs)), samples)} ms; server GC ${formatGc(gcs)}; idle longpolls answered ${longpollsOf(answers)}; ` +
        `consolidation caught up ${Math.round(catchUpMs)} ms after, full GC ${Math.round(round.gcAfterMs)} ms (heap ${Math.round(heapBeforeGc / 1e6)} → ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB); load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} (2 cores, shared)`,
    );
    if (process.env.BENCH_DEBUG) {
      printTimeline(`round ${index + 1} ${mode}`, samples, startAt);
      printStalls(
        `round ${index + 1} ${mode}`,
        [['server', serverStalls], ...answers.map((a, i): [string, Stall[]] => [`worker ${i + 1}`, a.stalls])],
        startAt,
      );
    }
    if (index + 1 < order.length) await new Promise((r) => setTimeout(r, SETTLE_MS));
  }

  if (process.env.BENCH_HEAP_SNAPSHOT === '1') {
    // what the server holds with every agent connected (analyse in DevTools, Memory tab)
    fullGc();
    log(`heap snapshot written to ${writeHeapSnapshot(join(tmpdir(), 'sealtime-bench-server-steady.heapsnapshot'))}`);
  }
  if (heapSampler) {
    const a = await heapSampler.stop(join(tmpdir(), 'sealtime-bench-server-rounds.heapprofile'));
    log(`allocation over the rounds (${a.file}): ${a.totalMb} MB sampled`);
    for (const f of a.functions) log(`  self ${f.mb} MB (${f.share} %) ${f.fn}`);
    for (const f of a.callers) log(`  by   ${f.mb} MB (${f.share} %) ${f.fn}`);
  }

  const longpolls = (await pool.ask(() => ({ type: 'disconnect' }), 'disconnected')).map((r) => r.longpoll);
  for (const [mode, r] of results) r.longpoll = mergeLongpoll(longpolls.map((l) => l[mode] ?? emptyLongpoll()));

  // nothing acknowledged may be missing: count what the employees' databases hold (both modes write there)
  let stored = 0;
  for (const a of agents) stored += await docCount(b, `st-emp-${a.employeeId}-records`);
  return { modes: results, rounds, stored, profile: profiler?.summary() ?? null };
}

const pool = WorkerPool.start(cfg.workers);
let result: BenchResult;
try {
  const b = await startBenchServer(cfg.couchdbUrls);
  try {
    result = await run(b, pool);
  } finally {
    await b.close();
  }
} finally {
  await pool.close();
}

stallWatch?.stop();
gcTally.stop();
report(cfg, result, log);
// closed servers still leave PouchDB/LevelDB and timer handles behind that keep node alive: end explicitly
process.exit(0);

/** `gateway 480, direct 0`: the idle longpolls that ended (and were re-sent) during a round, whichever mode pushed. */
function longpollsOf(answers: Array<{ longpolls: Partial<Record<Mode, number>> }>): string {
  return modes.map((m) => `${m} ${sum(answers.map((a) => a.longpolls[m] ?? 0))}`).join(', ');
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function perCycle(ms: number, s: PhaseSamples): string {
  return (ms / Math.max(1, s.cycles.length)).toFixed(1);
}

/**
 * Median and slowest push cycle per 2-second window of a round: shows
 * whether slow cycles cluster (stalls) or spread, and whether a round
 * drifts (a transient fading).
 */
function printTimeline(what: string, s: PhaseSamples, startAt: number): void {
  const buckets = new Map<number, number[]>();
  s.cycles.forEach((ms, i) => {
    const b = Math.floor((s.cycleDue[i]! - startAt) / 2000);
    buckets.set(b, [...(buckets.get(b) ?? []), ms]);
  });
  const line = [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, v]) => `${b * 2}s:${summarize(v).p50.toFixed(1)}/${Math.round(Math.max(...v))}`);
  log(`${what}: p50/slowest cycle per 2 s window (ms): ${line.join(' ')}`);
}

/** The stalls of each process during a round, at seconds into the round (BENCH_DEBUG). */
function printStalls(what: string, by: Array<[string, Stall[]]>, startAt: number): void {
  for (const [who, stalls] of by) {
    const line = stalls.map((st) => `${((st.at - startAt) / 1000).toFixed(1)}s:${st.what} ${Math.round(st.ms)}`);
    log(`${what}: ${who} stalls: ${line.length ? line.join(', ') : 'none'}`);
  }
}

/**
 * Steady state of the real headless agent: `sealtime-agent run` as a child
 * on a private X display, warmed up, then its process tree sampled from /proc
 * every second while light synthetic input (from the bench, not the agent)
 * moves the mouse, types and switches windows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { PolicyLayer } from '@sealtime/shared';
import { controlRequest } from '@sealtime/agent/src/control/control-client.js';
import type { AgentStatus } from '@sealtime/agent';
import { startBenchDisplay, syntheticInput } from './display.js';
import { docCount, enrollWithRecipients, type AgentTestServer } from './fixture.js';
import { commandOf, memStatus, resetPeak, sampleTree, type MemStatus, type TreeSample } from './proc-tree.js';
import { mulberry32 } from './random.js';
import { waitFor } from '../../test-support/wait-for.js';
import { summariseWindow, type WindowProfile } from './window-profile.js';

// The agent as it ships: the JavaScript bundle `npm run build:agent-app` writes (bench:agent
// builds it first). The repository's bin would run the TypeScript through tsx, which adds
// ~30 MB and an esbuild child process that no installed agent has.
const BIN = fileURLToPath(new URL('../../agent/dist/cli/sealtime-agent.mjs', import.meta.url));
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build:agent-app first`);
// the node flags and environment on its shebang line (`#!/usr/bin/env -S NAME=value node <flags>`):
// what running the file gives
const SHEBANG = /^#!\S*env -S (.*?)\bnode\b(.*)$/m.exec(readFileSync(BIN, 'utf8').split('\n', 1)[0]!);
const words = (s: string | undefined) => (s ?? '').trim().split(/\s+/).filter(Boolean);
export const AGENT_NODE_FLAGS = words(SHEBANG?.[2]);
export const AGENT_ENV: Record<string, string> = Object.fromEntries(
  words(SHEBANG?.[1]).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SteadyResult {
  label: string;
  wallS: number;
  /** CPU seconds of the agent's process tree over the window. */
  cpuS: number;
  rootCpuS: number;
  peakRssMb: number;
  peakRootRssMb: number;
  /** Peak of the tree's summed PSS: what the agent costs in memory, shared pages counted once. */
  peakPssMb: number;
  meanRssMb: number;
  samples: number;
  /** The agent's descendants seen during the window: command line and when first seen (s into the window). */
  children: Array<{ cmd: string; firstSeenS: number }>;
  /**
   * The main process's peak RSS within the window by the kernel's own mark (VmHWM, reset when
   * the window starts): it catches a peak shorter than the 1 s samples. Null where unsupported.
   */
  peakRootHwmMb: number | null;
  /** The main process at its highest RSS seen by a 50 ms sampler: resident anonymous and file-backed MB. */
  rootAtFastPeak: { rssMb: number; anonMb: number; fileMb: number; atS: number };
  /** When each screenshot record of the window was made (s into the window; one per display per round). */
  screenshotsAtS: number[];
  /** Resident memory per process of the tree at the sample with the peak tree RSS. */
  atPeak: Array<{ cmd: string; rssMb: number }>;
  capture: AgentStatus['capture'];
  recordsOnServer: number;
  /** Screenshot images that reached the server during the run (one per display per shot). */
  imagesOnServer: number;
  /** Cumulative CPU seconds of the tree at each sample, with the sample's time (s into the window). */
  cpuSeries: Array<{ atS: number; cpuS: number }>;
  input: { moves: number; keys: number; switches: number };
  stderrTail: string;
  /** With `profile`: the agent main process's CPU profile over the window. */
  profile: WindowProfile | null;
}

/**
 * The policy most customers run: screenshots of every display, window titles
 * on (the rest as the defaults). `perHour` 6 is theirs; the bench raises it to
 * get several shots into its window and scales the per-shot cost back to 6/h.
 */
export function customerPolicy(perHour: number): PolicyLayer {
  return {
    level: 'organisation',
    id: `bench-customer-${perHour}`,
    settings: { appTracking: { titles: true }, screenshots: { enabled: true, perHour } },
  };
}

/** Every collector switched off: what the agent costs with sync, clocks and system info only. */
export const CAPTURE_OFF: PolicyLayer = {
  level: 'organisation',
  id: 'bench-floor',
  settings: {
    activity: { enabled: false },
    appTracking: { enabled: false },
    idle: { enabled: false },
    screenshots: { enabled: false },
  },
};

function stopAgent(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

export async function runSteady(
  srv: AgentTestServer,
  opts: {
    label: string;
    employeeId: string;
    policy?: PolicyLayer;
    warmupS: number;
    steadyS: number;
    seed: number;
    profile?: boolean;
    log: (m: string) => void;
  },
): Promise<SteadyResult> {
  const team = 't-bench';
  const dev = await enrollWithRecipients(srv, opts.employeeId, team);
  if (opts.policy) await srv.policy(opts.employeeId, opts.policy);
  const display = await startBenchDisplay(2);
  let child: ChildProcess | undefined;
  try {
    let stderr = '';
    const profDir = opts.profile ? await mkdtemp(join(tmpdir(), 'st-bench-agent-prof-')) : null;
    child = spawn(
      process.execPath,
      [
        ...AGENT_NODE_FLAGS,
        ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
        BIN,
        'run',
        '--data-dir',
        dev.paths.dataDir,
        '--log-level',
        'warn',
        '--json',
      ],
      {
        env: { ...display.env, ...AGENT_ENV, SEALTIME_TEST_LOG: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.stdout!.resume();
    const pid = child.pid!;
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', (code) => reject(new Error(`the agent exited (code ${code}): ${stderr}`))),
    );
    exited.catch(() => undefined);

    const status = () => controlRequest(dev.paths.controlSocket, 'status') as Promise<AgentStatus>;
    const ready = await Promise.race([
      waitFor(
        `${opts.label}: keys and capture`,
        async () => {
          const s = await status();
          return s.keys.ready && (s.capture.state === 'running' || s.capture.state === 'off') ? s : null;
        },
        90_000,
        250,
      ),
      exited,
    ]);
    opts.log(
      `${opts.label}: agent ${pid} running, capture ${ready.capture.state} ${JSON.stringify(ready.capture.collectors)}; warming up ${opts.warmupS} s`,
    );

    const abort = new AbortController();
    const input = syntheticInput(display, abort.signal, mulberry32(opts.seed));
    await sleep(opts.warmupS * 1000);

    const samples: TreeSample[] = [];
    const seen = new Set<number>();
    const children: SteadyResult['children'] = [];
    const commands = new Map<number, string>([[pid, 'sealtime-agent run (main process)']]);
    const hwmReset = resetPeak(pid);
    const t0 = performance.now();
    const t0Epoch = Date.now();
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const end = t0 + opts.steadyS * 1000;
    // the main process alone, fast: a screenshot round's peak lasts well under a second
    let fastPeak: { m: MemStatus; at: number } | undefined;
    const fast = setInterval(() => {
      const m = memStatus(pid);
      if (m && (!fastPeak || m.rssKb > fastPeak.m.rssKb)) fastPeak = { m, at: performance.now() };
    }, 50);
    for (let next = t0; ; next += 1000) {
      const s = sampleTree(pid, performance.now());
      if (!s) throw new Error(`${opts.label}: the agent exited during the window: ${stderr}`);
      samples.push(s);
      for (const p of s.pids) {
        if (p !== pid && !seen.has(p)) {
          seen.add(p);
          commands.set(p, commandOf(p));
          children.push({ cmd: commands.get(p)!, firstSeenS: Math.round((s.at - t0) / 1000) });
        }
      }
      if (s.at >= end) break;
      await sleep(Math.max(0, Math.min(next + 1000, end) - performance.now()));
    }
    const toUs = Number(process.hrtime.bigint() / 1000n);
    clearInterval(fast);
    const hwmKb = hwmReset ? (memStatus(pid)?.hwmKb ?? null) : null;
    abort.abort();
    const inputCounts = await input;
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    const final = await status();
    // what the agent recorded reached the server meanwhile (sync was live during the window)
    const recordsOnServer = await docCount(srv, `st-emp-${opts.employeeId}-records`);
    const imagesOnServer = await docCount(srv, `st-emp-${opts.employeeId}-blobs`);
    // a round's records carry their time inside the envelope: the bench opens them with the org key
    const screenshotsAtS = (await srv.records(opts.employeeId))
      .filter((r) => r.kind === 'screenshot')
      .map((r) => (r.createdAt - t0Epoch) / 1000)
      .filter((at) => at >= 0 && at <= opts.steadyS);
    const mb = (kb: number) => kb / 1024;
    // the profile is written when the agent exits
    const code = await stopAgent(child);
    const profile = profDir ? await summariseWindow(profDir, fromUs, toUs) : null;
    if (profDir)
      opts.log(`${opts.label}: exit code ${code}; CPU profile of the agent main process in ${profile!.file}`);
    const peak = samples.reduce((a, s) => (s.rssKb > a.rssKb ? s : a));
    return {
      label: opts.label,
      wallS: (last.at - first.at) / 1000,
      cpuS: last.cpuS - first.cpuS,
      rootCpuS: last.rootCpuS - first.rootCpuS,
      peakRssMb: mb(Math.max(...samples.map((s) => s.rssKb))),
      peakRootRssMb: mb(Math.max(...samples.map((s) => s.rootRssKb))),
      peakPssMb: mb(Math.max(...samples.map((s) => s.pssKb))),
      meanRssMb: mb(samples.reduce((a, s) => a + s.rssKb, 0) / samples.length),
      samples: samples.length,
      children,
      peakRootHwmMb: hwmKb === null ? null : mb(hwmKb),
      rootAtFastPeak: {
        rssMb: mb(fastPeak?.m.rssKb ?? 0),
        anonMb: mb(fastPeak?.m.anonKb ?? 0),
        fileMb: mb(fastPeak?.m.fileKb ?? 0),
        atS: fastPeak ? (fastPeak.at - t0) / 1000 : 0,
      },
      atPeak: peak.perPid.map(([p, kb]) => ({
        cmd: commands.get(p) ?? commandOf(p),
        rssMb: Math.round(mb(kb) * 10) / 10,
      })),
      capture: final.capture,
      recordsOnServer,
      imagesOnServer,
      screenshotsAtS,
      cpuSeries: samples.map((x) => ({ atS: (x.at - first.at) / 1000, cpuS: x.cpuS - first.cpuS })),
      input: inputCounts,
      stderrTail: stderr.slice(-1000),
      profile,
    };
  } finally {
    if (child) await stopAgent(child);
    await display.stop();
  }
}

/**
 * The offline-week drain, side by side: the agent's own sync and PouchDB's
 * own replicator push the same documents (same ids, same bodies, sealed by
 * the same enrolled device) into the employee's records database on the same
 * server, through the same gateway with the same device credential. Each run
 * gets a fresh employee database (removed and provisioned again) and the
 * agent a fresh copy of the untouched backlog; rounds alternate which
 * replicator goes first, because the second run's consolidation finds the
 * records already in the consolidated databases and costs the server less.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unlockAgentKeystore } from '@sealtime/agent';
import { deviceAuthorization } from '@sealtime/agent/src/sync/authorized-fetch.js';
import { writeOfflineWeek, writeWireDocs, type BacklogResult } from './backlog.js';
import type { DrainOutcome } from './drain-child.js';
import { docCount, enrollWithRecipients, type AgentTestServer } from './fixture.js';

const CHILD = fileURLToPath(new URL('./drain-child.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Replicator = 'agent' | 'pouchdb';

export interface DrainRun extends DrainOutcome {
  replicator: Replicator;
  round: number;
  docsPerS: number;
  stored: number;
}

export interface DrainResult {
  backlog: Omit<BacklogResult, 'docs'>;
  runs: DrainRun[];
}

function runChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<DrainOutcome> {
  return new Promise((resolve, reject) => {
    // BENCH_AGENT_DRAIN_PROF=<dir>: each drain child writes a CPU profile there
    const prof = process.env.BENCH_AGENT_DRAIN_PROF;
    const flags = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', CHILD, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`drain child ${args[0]} exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as DrainOutcome);
      } catch {
        reject(new Error(`drain child ${args[0]} printed no result: ${out.slice(-500)} ${err}`));
      }
    });
  });
}

/** Waits until a database's document count has not moved for `quietMs` (consolidation caught up). */
async function settled(srv: AgentTestServer, dbs: string[], quietMs = 1500, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  for (;;) {
    const now = (await Promise.all(dbs.map((d) => docCount(srv, d)))).join(',');
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    if (Date.now() > end) throw new Error(`consolidation still moving after ${timeoutMs} ms`);
    await sleep(250);
  }
}

export async function runDrain(
  srv: AgentTestServer,
  opts: { days: number; workDays: number; seed: number; rounds: number; log: (m: string) => void },
): Promise<DrainResult> {
  const employeeId = 'e-drain';
  const teamId = 't-drain';
  const dev = await enrollWithRecipients(srv, employeeId, teamId);
  const { docs, ...backlog } = await writeOfflineWeek(dev, srv.org, teamId, opts);
  opts.log(
    `backlog: ${backlog.records} records (${JSON.stringify(backlog.byKind)}), ${Math.round(backlog.bytes / 1024)} KiB of envelopes, ` +
      `${new Date(backlog.firstAt).toISOString()} … ${new Date(backlog.lastAt).toISOString()}, written in ${Math.round(backlog.writeMs)} ms`,
  );
  const work = await mkdtemp(join(tmpdir(), 'st-bench-drain-'));
  const wire = join(work, 'wire-docs.json');
  await writeWireDocs(wire, docs);
  const unlocked = await unlockAgentKeystore(dev.paths);
  const authorization = deviceAuthorization(unlocked.info.deviceId, unlocked.deviceCredential);
  const provisioner = srv.s.server.provisioner;
  const recordsDb = `st-emp-${employeeId}-records`;
  const consolidated = ['st-org-records', 'st-hr-attendance', `st-team-${teamId}-records`];

  const runs: DrainRun[] = [];
  /** One drain into a fresh employee database, checked for every record stored; round 0 is the warm-up. */
  const drainOnce = async (replicator: Replicator, round: number): Promise<DrainRun> => {
    // a fresh employee database, with the inbox the device pulls
    await provisioner.removeEmployee(employeeId);
    await provisioner.provisionEmployee({ employeeId, teamId });
    await srv.putInbox(employeeId, [srv.org.recipients(employeeId, teamId)]);
    let out: DrainOutcome;
    if (replicator === 'agent') {
      const copy = join(work, `agent-${round}`);
      await cp(dev.paths.dataDir, copy, { recursive: true });
      out = await runChild(['agent', copy]);
      await rm(copy, { recursive: true, force: true });
    } else {
      out = await runChild(['pouchdb', wire, srv.url, employeeId], { BENCH_DEVICE_AUTHORIZATION: authorization });
    }
    const stored = await docCount(srv, recordsDb);
    const run: DrainRun = { ...out, replicator, round, docsPerS: out.docs / (out.ms / 1000), stored };
    opts.log(
      `drain ${round === 0 ? 'warm-up (not counted)' : `round ${round}`} ${replicator}: ${out.docs} docs in ${Math.round(out.ms)} ms = ${run.docsPerS.toFixed(0)} docs/s; stored ${stored}; requests ${JSON.stringify(out.counts.requests)}`,
    );
    if (stored !== backlog.records)
      throw new Error(`${replicator}: the server holds ${stored} of ${backlog.records} records`);
    await settled(srv, consolidated.filter(Boolean));
    return run;
  };
  try {
    // The server was started for this bench: the first drain it takes runs on cold code (the
    // gateway's checks, the engine's write path, the first consolidation) and often took twice as
    // long as the same replicator's later drains (1353 vs 544 ms, 1697 vs 745 ms), and round 1
    // always puts the agent there. One drain of each first, not counted, so every counted drain
    // meets a warm server, as on a server that has been running.
    for (const replicator of ['pouchdb', 'agent'] as const) await drainOnce(replicator, 0);
    for (let round = 1; round <= opts.rounds; round++) {
      const order: Replicator[] = round % 2 === 1 ? ['agent', 'pouchdb'] : ['pouchdb', 'agent'];
      for (const replicator of order) runs.push(await drainOnce(replicator, round));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { backlog, runs };
}

/**
 * One drain, in its own process (as the agent is its own process; the server
 * stays in the bench process):
 *
 *   agent <data-dir>
 *     the agent's own store and sync: Backlog + startAgentSync wired as
 *     compose.ts wires them; timed from starting sync until the backlog
 *     counts 0 records waiting.
 *   pouchdb <wire-docs.json> <server-url> <employee-id>
 *     the same documents (same _id, same body) in a local LevelDB PouchDB,
 *     pushed by PouchDB's own replicator (pouchdb-replication, default
 *     batch_size 100) to the employee's records database; timed from
 *     PouchDB.replicate until 'complete'. Device credential: BENCH_DEVICE_AUTHORIZATION.
 *
 * Prints one JSON line: { docs, ms, counts }.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentPaths, unlockAgentKeystore } from '@sealtime/agent/src/enroll/data-dir.js';
import { openAgentStore } from '@sealtime/agent/src/store/agent-store.js';
import { Backlog } from '@sealtime/agent/src/store/backlog.js';
import { startAgentSync } from '@sealtime/agent/src/sync/agent-sync.js';
import { deviceAuthorization } from '@sealtime/agent/src/sync/authorized-fetch.js';
import {
  httpPouch,
  leveldbPouch,
  type PouchDatabase,
  type PouchReplication,
} from '@sealtime/sync-server/src/engine/pouch-modules.js';
import { countingFetch, type RequestCounts } from './counting-fetch.js';

export interface DrainOutcome {
  docs: number;
  ms: number;
  counts: RequestCounts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * With BENCH_AGENT_DRAIN_PROF (CPU profiles): the timed window on the
 * profile's clock (monotonic µs), so a profile can be cut to the drain.
 */
async function profileWindow(mode: string, from: bigint): Promise<void> {
  const dir = process.env.BENCH_AGENT_DRAIN_PROF;
  if (!dir) return;
  const us = (t: bigint) => String(t / 1000n);
  await appendFile(join(dir, 'windows.txt'), `${mode} ${process.pid} ${us(from)} ${us(process.hrtime.bigint())}\n`);
}

async function drainAgent(dataDir: string): Promise<DrainOutcome> {
  const paths = agentPaths(dataDir);
  const unlocked = await unlockAgentKeystore(paths);
  const { info } = unlocked;
  const store = await openAgentStore(paths.store);
  try {
    const backlog = await Backlog.open(store, info.deviceId);
    const docs = backlog.status().records.count;
    const counting = countingFetch(fetch);
    const t0 = performance.now();
    const w0 = process.hrtime.bigint();
    const sync = startAgentSync({
      serverUrl: info.serverUrl,
      employeeId: info.employeeId,
      authorization: deviceAuthorization(info.deviceId, unlocked.deviceCredential),
      collections: { records: store.records, blobs: store.blobs, inbox: store.inbox },
      onRecordAcked: (d) => void backlog.noteRecordAcked(d.seq),
      baseFetch: counting.fetch,
    });
    const deadline = Date.now() + 600_000;
    while (backlog.status().records.count > 0) {
      const err = sync.status().lastError;
      if (Date.now() > deadline)
        throw new Error(
          `backlog not drained after 10 min (${backlog.status().records.count} left; last error: ${err?.message ?? 'none'})`,
        );
      await sleep(5);
    }
    const ms = performance.now() - t0;
    await profileWindow('agent', w0);
    await sync.awaitPushed();
    await sync.stop();
    await backlog.flush();
    return { docs, ms, counts: counting.counts };
  } finally {
    await store.close();
  }
}

interface SourceDb extends PouchDatabase {
  bulkDocs(docs: unknown[]): Promise<Array<{ ok?: boolean; error?: string }>>;
}

async function drainPouch(file: string, serverUrl: string, employeeId: string): Promise<DrainOutcome> {
  const authorization = process.env.BENCH_DEVICE_AUTHORIZATION;
  if (!authorization) throw new Error('BENCH_DEVICE_AUTHORIZATION is not set');
  const docs = JSON.parse(await readFile(file, 'utf8')) as unknown[];
  const dir = await mkdtemp(join(tmpdir(), 'st-bench-pouch-src-'));
  const Local = leveldbPouch(dir);
  const Http = httpPouch();
  const src = new Local('source') as SourceDb;
  try {
    for (let i = 0; i < docs.length; i += 500) {
      const res = await src.bulkDocs(docs.slice(i, i + 500));
      const bad = res.find((r) => r.error);
      if (bad) throw new Error(`source write failed: ${bad.error}`);
    }
    const counting = countingFetch(fetch, { authorization });
    const target = new Http(`${serverUrl.replace(/\/+$/, '')}/st-emp-${employeeId}-records`, {
      fetch: counting.fetch,
      skip_setup: true,
    });
    const t0 = performance.now();
    const w0 = process.hrtime.bigint();
    const written = await new Promise<number>((resolve, reject) => {
      const rep: PouchReplication = Local.replicate(src, target, {});
      rep.on('complete', (info) => resolve((info as { docs_written?: number }).docs_written ?? 0));
      rep.on('error', (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))));
      rep.on('denied', (e) => reject(new Error(`denied: ${JSON.stringify(e)}`)));
    });
    const ms = performance.now() - t0;
    await profileWindow('pouchdb', w0);
    if (written !== docs.length) throw new Error(`PouchDB wrote ${written} of ${docs.length} documents`);
    await target.close();
    return { docs: written, ms, counts: counting.counts };
  } finally {
    await src.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
try {
  const out =
    mode === 'agent'
      ? await drainAgent(args[0]!)
      : mode === 'pouchdb'
        ? await drainPouch(args[0]!, args[1]!, args[2]!)
        : null;
  if (!out) throw new Error(`usage: drain-child agent <data-dir> | pouchdb <docs.json> <server-url> <employee-id>`);
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
} catch (err) {
  process.stderr.write(`drain-child ${mode}: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}

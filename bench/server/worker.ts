/**
 * A load worker (child process of server.bench.ts): seals every record its
 * agents will push up front with the real sealing code, then runs the phases
 * the bench process asks for and sends back the samples.
 *
 * Each agent has one client per mode (through the gateway, straight to the
 * engine), each with its own records: the same device seals both sets, the
 * gateway's first, so they are equal in size and shape but distinct
 * documents (both modes write into the same employee databases).
 */
import { performance } from 'node:perf_hooks';
import { createTestDevice, toWire } from '@sealtime/sync-server/testing';
import {
  mergeLongpoll,
  mergeSamples,
  type AgentSpec,
  type FromWorker,
  type LongpollStats,
  type Mode,
  type ToWorker,
} from './messages.js';
import { epochNow, SimAgent, type WireDoc } from './protocol-client.js';
import { StallWatch } from './stalls.js';

const send = (m: FromWorker): void => {
  process.send?.(m);
};

let specs: AgentSpec[] = [];
const stallWatch = process.env.BENCH_DEBUG ? new StallWatch() : null;
const sealed = new Map<Mode, WireDoc[][]>();
const clients = new Map<Mode, SimAgent[]>();

async function init(given: AgentSpec[], recordsPerAgent: number, modes: Mode[]): Promise<void> {
  const t0 = performance.now();
  specs = given;
  sealed.clear();
  for (const m of modes) sealed.set(m, []);
  for (const s of specs) {
    const device = await createTestDevice(s.deviceId, s.employeeId, { signKeyLabel: s.employeeId }); // the key enrolled for it (fixture.ts)
    // one device, so the record ids (device id + seq) never repeat across modes
    for (const m of modes) {
      const docs: WireDoc[] = [];
      for (let i = 0; i < recordsPerAgent; i++) docs.push(toWire(device.activity()) as unknown as WireDoc);
      sealed.get(m)!.push(docs);
    }
  }
  send({ type: 'ready', sealMs: performance.now() - t0 });
}

function clientsOf(mode: Mode): SimAgent[] {
  const c = clients.get(mode);
  if (!c) throw new Error(`the ${mode} clients are not connected`);
  return c;
}

async function connect(mode: Mode, baseUrl: string, authorizations: string[], batch: number): Promise<void> {
  const docs = sealed.get(mode);
  if (!docs) throw new Error(`no records were sealed for ${mode}`);
  if (clients.has(mode)) throw new Error(`the ${mode} clients are already connected`);
  const agents = docs.map(
    (d, i) =>
      new SimAgent({ baseUrl, employeeId: specs[i]!.employeeId, authorization: authorizations[i]!, docs: d, batch }),
  );
  clients.set(mode, agents);
  await Promise.all(agents.map((a) => a.connect()));
  send({ type: 'connected', samples: mergeSamples(agents.map((a) => a.takeSamples())) });
}

async function burst(mode: Mode, records: number): Promise<void> {
  const agents = clientsOf(mode);
  const at = epochNow();
  await Promise.all(agents.map((a) => a.enqueue(records, at)));
  await Promise.all(agents.map((a) => a.idle()));
  send({ type: 'burst-done', samples: mergeSamples(agents.map((a) => a.takeSamples())) });
}

/** Open-loop schedule: record k of an agent is due at startAt + offset + k·interval, whatever the answers before it took. */
async function steady(mode: Mode, startAt: number, durationMs: number, intervalMs: number): Promise<void> {
  const agents = clientsOf(mode);
  const end = startAt + durationMs;
  stallWatch?.take();
  const cpu0 = process.cpuUsage();
  const answered0 = longpollsAnswered();
  const runs = agents.map(
    (a) =>
      new Promise<void>((done) => {
        let due = startAt + Math.random() * intervalMs;
        const tick = (): void => {
          void a.enqueue(1, due);
          due += intervalMs;
          if (due >= end) return done();
          setTimeout(tick, Math.max(0, due - epochNow()));
        };
        setTimeout(tick, Math.max(0, due - epochNow()));
      }),
  );
  await Promise.all(runs);
  await Promise.all(agents.map((a) => a.idle()));
  const cpu = process.cpuUsage(cpu0);
  const answered = longpollsAnswered();
  const longpolls: Partial<Record<Mode, number>> = {};
  for (const m of clients.keys()) longpolls[m] = (answered[m] ?? 0) - (answered0[m] ?? 0);
  send({
    type: 'steady-done',
    samples: mergeSamples(agents.map((a) => a.takeSamples())),
    stalls: stallWatch?.take() ?? [],
    cpuMs: (cpu.user + cpu.system) / 1000,
    longpolls,
  });
}

/** Idle longpolls answered so far, per mode (every mode's clients hold theirs through every phase). */
function longpollsAnswered(): Partial<Record<Mode, number>> {
  const out: Partial<Record<Mode, number>> = {};
  for (const [m, agents] of clients) out[m] = agents.reduce((n, a) => n + a.longpoll.answered, 0);
  return out;
}

async function disconnect(): Promise<void> {
  const longpoll: Partial<Record<Mode, LongpollStats>> = {};
  for (const [mode, agents] of clients) {
    await Promise.all(agents.map((a) => a.stop()));
    longpoll[mode] = mergeLongpoll(agents.map((a) => a.longpoll));
  }
  clients.clear();
  send({ type: 'disconnected', longpoll });
}

process.on('message', (m: ToWorker) => {
  const run = async (): Promise<void> => {
    switch (m.type) {
      case 'init':
        return init(m.agents, m.recordsPerAgent, m.modes);
      case 'connect':
        return connect(m.mode, m.baseUrl, m.authorizations, m.batch);
      case 'burst':
        return burst(m.mode, m.records);
      case 'steady':
        return steady(m.mode, m.startAt, m.durationMs, m.intervalMs);
      case 'disconnect':
        return disconnect();
      case 'exit':
        stallWatch?.stop();
        process.disconnect();
        return;
    }
  };
  run().catch((e: unknown) => send({ type: 'failed', message: (e as Error)?.stack ?? String(e) }));
});

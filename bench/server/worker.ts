/**
 * A load worker (child process of server.bench.ts): seals every record its
 * agents will push up front with the real sealing code, then runs the phases
 * the bench process asks for and sends back the samples. The same sealed
 * records serve the gateway run and the direct run, so both push identical
 * bytes.
 */
import { performance } from 'node:perf_hooks';
import { createTestDevice, toWire } from '@sealtime/sync-server/test-support/sealed-records.js';
import { mergeSamples, type AgentSpec, type FromWorker, type ToWorker } from './messages.js';
import { epochNow, SimAgent, type WireDoc } from './protocol-client.js';

const send = (m: FromWorker): void => {
  process.send?.(m);
};

let specs: AgentSpec[] = [];
let sealed: WireDoc[][] = [];
let agents: SimAgent[] = [];

async function init(given: AgentSpec[], recordsPerAgent: number): Promise<void> {
  const t0 = performance.now();
  specs = given;
  sealed = [];
  for (const s of specs) {
    const device = await createTestDevice(s.deviceId, s.employeeId);
    const docs: WireDoc[] = [];
    for (let i = 0; i < recordsPerAgent; i++) docs.push(toWire(device.activity()) as unknown as WireDoc);
    sealed.push(docs);
  }
  send({ type: 'ready', sealMs: performance.now() - t0 });
}

async function connect(baseUrl: string, authorizations: string[], batch: number): Promise<void> {
  agents = sealed.map((docs, i) => new SimAgent({ baseUrl, employeeId: specs[i]!.employeeId, authorization: authorizations[i]!, docs, batch }));
  await Promise.all(agents.map((a) => a.connect()));
  send({ type: 'connected', samples: mergeSamples(agents.map((a) => a.takeSamples())) });
}

async function burst(records: number): Promise<void> {
  const at = epochNow();
  await Promise.all(agents.map((a) => a.enqueue(records, at)));
  await Promise.all(agents.map((a) => a.idle()));
  send({ type: 'burst-done', samples: mergeSamples(agents.map((a) => a.takeSamples())) });
}

/** Open-loop schedule: record k of an agent is due at startAt + offset + k·interval, whatever the answers before it took. */
async function steady(startAt: number, durationMs: number, intervalMs: number): Promise<void> {
  const end = startAt + durationMs;
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
  send({ type: 'steady-done', samples: mergeSamples(agents.map((a) => a.takeSamples())) });
}

async function disconnect(): Promise<void> {
  await Promise.all(agents.map((a) => a.stop()));
  const longpoll = { answered: 0, clientTimeouts: 0, errors: 0, errorExamples: [] as string[] };
  for (const a of agents) {
    longpoll.answered += a.longpoll.answered;
    longpoll.clientTimeouts += a.longpoll.clientTimeouts;
    longpoll.errors += a.longpoll.errors;
    longpoll.errorExamples.push(...a.longpoll.errorExamples.slice(0, Math.max(0, 5 - longpoll.errorExamples.length)));
  }
  agents = [];
  send({ type: 'disconnected', longpoll });
}

process.on('message', (m: ToWorker) => {
  const run = async (): Promise<void> => {
    switch (m.type) {
      case 'init':
        return init(m.agents, m.recordsPerAgent);
      case 'connect':
        return connect(m.baseUrl, m.authorizations, m.batch);
      case 'burst':
        return burst(m.records);
      case 'steady':
        return steady(m.startAt, m.durationMs, m.intervalMs);
      case 'disconnect':
        return disconnect();
      case 'exit':
        process.disconnect();
        return;
    }
  };
  run().catch((e: unknown) => send({ type: 'failed', message: (e as Error)?.stack ?? String(e) }));
});

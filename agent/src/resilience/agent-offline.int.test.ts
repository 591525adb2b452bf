// The network, not the agent, fails here. (b) The server is unreachable for
// the whole run: the agent keeps recording, and its status shows the backlog
// growing with no cap (count, oldest, size, last error); when the server comes
// back at the same URL the backlog drains to 0. (c) The connection flaps and
// 30% of connections are cut mid-request for a while; once steady, everything
// converges. Either way the server ledger must equal the device's records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDisplay, type TestDisplay } from '../../../test-support/xvfb.js';
import { openXterm, type TestWindow } from '../../../test-support/x11.js';
import { controlRequest } from '../control/control-client.js';
import { cliLauncher, enrollCliAgent } from './test-support/cli-launcher.js';
import { drainAndVerify } from './test-support/kill-loop.js';
import { startResilienceServer, type ResilienceServer } from './test-support/server-fixture.js';

const SEED = Number(process.env.SEALTIME_RESILIENCE_SEED ?? Math.floor(Math.random() * 2 ** 31));

interface Backlog {
  count: number;
  oldestAt: string | null;
  bytes: number;
  lastError: { message: string; at: string } | null;
  records: { count: number };
  blobs: { count: number };
}
interface Status {
  backlog: Backlog;
  connected: boolean;
  lastSyncAt: string | null;
}

let server: ResilienceServer;
let display: TestDisplay;
const windows: TestWindow[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  console.log(`resilience seed ${SEED} (replay: SEALTIME_RESILIENCE_SEED=${SEED})`);
  [server, display] = await Promise.all([startResilienceServer({ seed: SEED }), startDisplay()]);
  windows.push(await openXterm(display.env, { title: 'offline work', geometry: '60x20+10+10', background: '#406020' }));
});
afterAll(async () => {
  for (const w of windows) await w.close().catch(() => undefined);
  await display?.stop();
  await server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function agentFor(employeeId: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `sealtime-${employeeId}-`));
  dirs.push(dataDir);
  const agent = await enrollCliAgent(server, employeeId, dataDir);
  const launcher = cliLauncher({ agent, server, env: display.env, attendanceEveryMs: 60 });
  const status = () => controlRequest(join(dataDir, 'control.sock'), 'status', {}, 5_000) as Promise<Status>;
  return { agent, launcher, status };
}

async function waitForStatus(
  status: () => Promise<Status>,
  pred: (s: Status) => boolean,
  timeoutMs: number,
  what: string,
): Promise<Status> {
  const until = Date.now() + timeoutMs;
  let last: Status | null = null;
  for (;;) {
    last = await status().catch(() => last);
    if (last && pred(last)) return last;
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; last status ${JSON.stringify(last?.backlog)}`);
    await sleep(200);
  }
}

describe('sealtime-agent with the server away', () => {
  it(
    'records while the server is down, shows the backlog growing, and drains it completely when the server is back',
    { timeout: 120_000 },
    async () => {
      const { launcher, status } = await agentFor('emp-offline');
      // a first run online fetches the organisation's keys and policy (nothing is sealed without them)
      const first = launcher.launch({ record: false });
      await waitForStatus(
        status,
        (s) => s.lastSyncAt !== null && s.backlog.count === 0,
        40_000,
        'keys and a first sync',
      );
      await first.stop();
      await server.proxy.setMode('refuse'); // the server is down from the first moment of this run
      const heldBefore = (await server.ledger('emp-offline')).count;
      const run = launcher.launch({ record: true });
      try {
        const early = await waitForStatus(
          status,
          (s) => s.backlog.count >= 3 && s.backlog.lastError !== null,
          40_000,
          'a backlog and an error',
        );
        await sleep(4000);
        const later = await status();
        // no cap and no silent drop: the backlog only grows, and it says why
        expect(later.connected).toBe(false);
        expect(later.backlog.count).toBeGreaterThan(early.backlog.count);
        expect(later.backlog.bytes).toBeGreaterThan(early.backlog.bytes);
        expect(later.backlog.blobs.count).toBeGreaterThan(0); // screenshots wait too
        expect(later.backlog.oldestAt).toBe(early.backlog.oldestAt);
        expect(Date.parse(later.backlog.oldestAt!)).toBeLessThan(Date.now() - 4000);
        expect(later.backlog.lastError!.message.length).toBeGreaterThan(0);
        expect(Date.parse(later.backlog.lastError!.at)).toBeGreaterThan(Date.parse(early.backlog.lastError!.at) - 1);
        expect((await server.ledger('emp-offline')).count).toBe(heldBefore); // nothing got through
        console.log(
          `offline: backlog ${later.backlog.count} records + ${later.backlog.blobs.count} images, ${later.backlog.bytes} bytes; last error: ${later.backlog.lastError!.message.slice(0, 120)}`,
        );

        const back = Date.now();
        await server.proxy.setMode('pass'); // back at the same URL and port
        const drained = await drainAndVerify(launcher, () => server.ledger('emp-offline'), { timeoutMs: 60_000, run });
        console.log(`server back: drained ${drained.localCount} records in ${Date.now() - back} ms`);
        expect(drained.issues).toEqual([]);
        expect(drained.ledger).toMatchObject({ count: drained.localCount, gaps: [], duplicates: [], chainOk: true });
        expect(drained.localCount).toBeGreaterThan(later.backlog.records.count - 1);
      } finally {
        await run.stop();
        await server.proxy.setMode('pass');
      }
    },
  );

  it('converges through a flapping connection that cuts 30% of requests mid-way', { timeout: 120_000 }, async () => {
    const { launcher, status } = await agentFor('emp-flap');
    const run = launcher.launch({ record: true });
    try {
      await waitForStatus(status, (s) => s.lastSyncAt !== null, 40_000, 'a first sync');
      await server.proxy.flap({ upMs: 900, downMs: 600, downMode: 'drop' });
      server.proxy.setCut({ probability: 0.3, afterBytes: [0, 4000] });
      await sleep(15_000);
      const during = server.proxy.stats();
      await server.proxy.flap(null);
      server.proxy.setCut(null);
      console.log(
        `flapping: ${during.flaps} flaps, ${during.cut} connections cut mid-stream, ${during.dropped} dropped, ${during.forwarded} forwarded`,
      );
      expect(during.flaps).toBeGreaterThanOrEqual(5);
      expect(during.cut).toBeGreaterThan(0);
      expect(run.attendanceAcks).toBeGreaterThan(20);

      expect(server.proxy.mode).toBe('pass');
      const drained = await drainAndVerify(launcher, () => server.ledger('emp-flap'), { timeoutMs: 60_000, run });
      console.log(`after the drain: proxy ${server.proxy.mode} ${JSON.stringify(server.proxy.stats())}`);
      expect(drained.issues).toEqual([]);
      expect(drained.ledger).toMatchObject({ count: drained.localCount, gaps: [], duplicates: [], chainOk: true });
      expect(drained.localAttendance).toBeGreaterThanOrEqual(run.attendanceAcks);
    } finally {
      await run.stop();
      await server.proxy.flap(null);
      server.proxy.setCut(null);
    }
  });
});

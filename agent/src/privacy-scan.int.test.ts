// "Counts, never key codes or their order": typed text goes through the whole
// agent under Xvfb (input hook → activity slot → sealed record → LevelDB →
// gateway → engine), and afterwards neither the agent's store nor the
// server's files nor the bytes that crossed the wire contain it — nor does
// any decrypted payload, whose activity fields are nothing but numbers.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvelopeOpener, decodePayload, fromBase64, type RecordKind } from '@sealtime/shared';
import { startDisplay } from '../../test-support/xvfb.js';
import { openXterm, xdotool } from '../../test-support/x11.js';
import { startAgent } from './compose.js';
import { agentPaths } from './enroll/data-dir.js';
import { enrollDevice } from './enroll/enroll-device.js';
import { startAgentTestServer, waitFor } from './cli/test-support/agent-server.js';

const SECRET_TEXT = 'qzxjvkwq';
const COUNT_FIELDS = ['v', 'start', 'slotSeconds', 'activeSeconds', 'keyPresses', 'clicks', 'mouseMoves', 'scrolls'];

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A loopback TCP relay that keeps every byte it relays, both ways. */
async function recordingRelay(
  targetUrl: string,
): Promise<{ url: string; bytes: () => Buffer; close: () => Promise<void> }> {
  const target = new URL(targetUrl);
  const chunks: Buffer[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.on('data', (c: Buffer) => chunks.push(c));
    upstream.on('data', (c: Buffer) => chunks.push(c));
    client.pipe(upstream).on('error', () => client.destroy());
    upstream.pipe(client).on('error', () => upstream.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    bytes: () => Buffer.concat(chunks),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return [];
    return st.isDirectory() ? filesUnder(p) : st.isFile() ? [p] : [];
  });
}

function containsText(buf: Buffer, text: string): boolean {
  return (
    buf.includes(Buffer.from(text)) ||
    buf.includes(Buffer.from(text.toUpperCase())) ||
    buf.includes(Buffer.from(text, 'utf16le'))
  );
}

describe('no key code or typed text anywhere', () => {
  it('keeps only counts in storage, on the wire and inside the sealed payloads', async () => {
    const x = await startDisplay();
    cleanups.push(() => x.stop());
    const prevDisplay = process.env.DISPLAY;
    process.env.DISPLAY = x.display; // get-windows reads process.env
    cleanups.push(() => {
      if (prevDisplay === undefined) delete process.env.DISPLAY;
      else process.env.DISPLAY = prevDisplay;
    });
    const term = await openXterm(x.env, { title: 'notes' });
    cleanups.push(() => term.close());
    await term.activate();

    const srv = await startAgentTestServer();
    cleanups.push(() => srv.close());
    const relay = await recordingRelay(srv.url);
    cleanups.push(() => relay.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'st-agent-privacy-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    await enrollDevice({ paths: agentPaths(dataDir), serverUrl: relay.url, code: await srv.enrollmentCode('emp-pv') });
    await srv.putInbox('emp-pv', [
      srv.org.recipients('emp-pv', null),
      srv.org.policy('emp-pv', {
        level: 'employee',
        id: 'emp-pv',
        settings: { activity: { slotSeconds: 60 }, appTracking: { titles: true } },
      }),
    ]);

    let agent = await startAgent({
      dataDir,
      env: x.env,
      windowIntervalMs: 200,
      sync: { minRetryMs: 200, reconcileMs: 200 },
    });
    cleanups.push(() => agent.stop());
    await waitFor('capture running', async () => (await agent.status()).capture.state === 'running', 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // the hook child is up and counting
    await xdotool(x.env, 'type', '--delay', '60', `${SECRET_TEXT} ${SECRET_TEXT}`);
    await xdotool(x.env, 'key', 'Return');
    await new Promise((r) => setTimeout(r, 1500));
    await agent.stop(); // hands the open activity slot to the recorder
    agent = await startAgent({ dataDir, capture: false, sync: { minRetryMs: 200, reconcileMs: 200 } });
    await waitFor('backlog drained', async () => (await agent.status()).backlog.count === 0, 30_000, 200);
    await agent.stop();

    // the sealed payloads, opened with the organisation's key
    const opener = new EnvelopeOpener([{ publicKey: srv.org.org.boxPublicKey, secretKey: srv.org.org.boxSecretKey }]);
    const records = await srv.records('emp-pv');
    let keyPresses = 0;
    const plaintext: string[] = [];
    for (const r of records) {
      const bytes = fromBase64(r.envelope);
      if (!bytes.ok) throw new Error(bytes.error.message);
      const opened = opener.open(bytes.value, await srv.signPublicKey(r.deviceId));
      expect(opened.ok).toBe(true);
      if (!opened.ok) continue;
      const kind = opened.value.envelope.kind as RecordKind;
      const payload = decodePayload(kind, opened.value.payload);
      expect(payload.ok).toBe(true);
      if (!payload.ok) continue;
      plaintext.push(JSON.stringify(payload.value));
      if (kind === 'activity-slot') {
        const slot = payload.value as unknown as Record<string, unknown>;
        // counts, and the slot's app usage: app, title (allowed here) and seconds, scanned below like the rest
        const { apps, ...counts } = slot;
        expect(Object.keys(counts).sort()).toEqual([...COUNT_FIELDS].sort());
        for (const v of Object.values(counts)) expect(typeof v).toBe('number');
        for (const a of (apps ?? []) as Record<string, unknown>[])
          expect(['app', 'seconds', 'title']).toEqual(expect.arrayContaining(Object.keys(a)));
        keyPresses += slot.keyPresses as number;
      }
    }
    // the typing was counted (2 × 8 letters, a space and Return), so the scan below is of real data
    expect(keyPresses).toBeGreaterThanOrEqual(2 * SECRET_TEXT.length + 2);
    expect(plaintext.join('\n').toLowerCase()).not.toContain(SECRET_TEXT);

    const places: Array<[string, Buffer]> = [
      ['the wire', relay.bytes()],
      ...filesUnder(dataDir).map((f): [string, Buffer] => [f, readFileSync(f)]),
      ...filesUnder(srv.dir).map((f): [string, Buffer] => [f, readFileSync(f)]),
    ];
    expect(places.length).toBeGreaterThan(10);
    expect(relay.bytes().length).toBeGreaterThan(1000);
    const leaks = places.filter(([, buf]) => containsText(buf, SECRET_TEXT)).map(([where]) => where);
    expect(leaks).toEqual([]);
  }, 120_000);
});

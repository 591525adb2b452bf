// Enrollment and sync against a self-signed HTTPS server: refused without
// its CA (a clear TLS error, nothing saved), trusted with --ca-file, and the
// running agent syncs over the same CA without NODE_EXTRA_CA_CERTS.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent } from '../compose.js';
import { startAgentTestServer, waitFor } from '../cli/test-support/agent-server.js';
import { agentPaths } from './data-dir.js';
import { enrollDevice } from './enroll-device.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('enrollment over TLS', () => {
  it('needs the CA of a self-signed server, then enrolls and syncs with it', async () => {
    const srv = await startAgentTestServer({ tls: true });
    cleanups.push(() => srv.close());
    expect(srv.url).toMatch(/^https:/);
    const dataDir = mkdtempSync(join(tmpdir(), 'st-tls-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const paths = agentPaths(dataDir);
    const code = await srv.enrollmentCode('emp-tls');

    await expect(enrollDevice({ paths, serverUrl: srv.url, code })).rejects.toMatchObject({
      code: 'tls',
      message: expect.stringMatching(/--ca-file/),
    });
    expect(existsSync(paths.keystore)).toBe(false);
    const notPem = join(dataDir, 'not.pem');
    writeFileSync(notPem, 'hello');
    await expect(enrollDevice({ paths, serverUrl: srv.url, code, caFile: notPem })).rejects.toMatchObject({
      code: 'bad-input',
    });

    // the code was not used up by the failed attempts (they never reached the server)
    const r = await enrollDevice({ paths, serverUrl: srv.url, code, caFile: srv.caFile! });
    expect(r.employeeId).toBe('emp-tls');
    expect(statSync(paths.serverCa).mode & 0o777).toBe(0o600);

    await srv.putInbox('emp-tls', [srv.org.recipients('emp-tls', null)]);
    const agent = await startAgent({ dataDir, env: {}, capture: false, sync: { minRetryMs: 200, reconcileMs: 200 } });
    cleanups.push(() => agent.stop());
    await agent.waitForKeys(20_000);
    const clocked = await agent.clockIn();
    expect(clocked.ok).toBe(true);
    await waitFor('sync over TLS', async () => {
      const s = await agent.status();
      return s.backlog.count === 0 && s.connected;
    });
    expect((await srv.records('emp-tls')).map((d) => d.kind)).toContain('attendance');
  }, 60_000);
});

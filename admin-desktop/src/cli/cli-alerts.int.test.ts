// `sealtime-admin alerts` (the real bin as a child process) against a real
// server: a device's forged record is refused by the gateway, and the admin
// sees it as an integrity alert, in words and as JSON; bad input is exit 2.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fingerprint, initSodium } from '@sealtime/shared';
import { createTestDevice, systemActor, testSignKeyPair, toWire } from '@sealtime/sync-server/testing';
import { ROOT_PASSWORD, startAdminTestServer } from '../admin/test-support/admin-server.js';

const BIN = fileURLToPath(new URL('../../bin/sealtime-admin.js', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function run(
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(stdin);
  });
}

describe('sealtime-admin alerts', () => {
  it('lists the gateway refusing a forged record', async () => {
    const srv = await startAdminTestServer();
    cleanups.push(() => srv.close());
    const s = await initSodium();
    const code = await srv.s.services.enrollment.createCode(systemActor('test'), {
      employeeId: 'carol',
      teamId: null,
      orgKeyFingerprint: fingerprint(s.crypto_sign_keypair().publicKey),
    });
    const key = await testSignKeyPair('cli-alerts-carol');
    const enrolled = await srv.s.services.enrollment.redeem(
      code.code,
      { signPublicKey: key.publicKeyText },
      { ip: '127.0.0.1', userAgent: null },
    );
    const impostor = await createTestDevice(enrolled.deviceId, 'carol'); // not the enrolled key
    const res = await fetch(`${srv.url}/st-emp-carol-records/_bulk_docs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Device ${enrolled.deviceId}:${enrolled.deviceCredential}`,
      },
      body: JSON.stringify({ docs: [toWire(impostor.activity())] }),
    });
    expect(res.status).toBe(403);

    const profile = await srv.profile();
    const env = { SEALTIME_SERVER: srv.url };
    expect((await run(['--profile', profile, 'login', 'root'], env, `${ROOT_PASSWORD}\n`)).code).toBe(0);
    const human = await run(['--profile', profile, 'alerts'], env);
    expect(human.stderr).toBe('');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`forged_record +device ${enrolled.deviceId} \\(carol\\) seq 0: .*not this device's enrolled key`),
    );
    const json = await run(
      ['--profile', profile, '--json', 'alerts', '--since', new Date(Date.now() - 3_600_000).toISOString()],
      env,
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      alerts: [{ code: 'forged_record', deviceId: enrolled.deviceId, employeeId: 'carol', seq: 0, outcome: 'refused' }],
    });
    expect(
      (await run(['--profile', profile, '--json', 'alerts', '--since', String(Date.now() + 60_000)], env)).stdout,
    ).toMatch(/"alerts": \[\]/);
    const bad = await run(['--profile', profile, 'alerts', '--since', 'yesterday-ish'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since takes an ISO date/);
  }, 120_000);
});

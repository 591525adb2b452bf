// The real `sealtime-agent` binary as a user (or the resilience tests) runs it:
// enroll → run → clock-in through the control socket → status --json shows the
// backlog drain; with the agent stopped, clock-in opens the store itself and
// the backlog waits until the next run.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { holdStoreLock } from '../store/test-support/hold-lock.js';
import { sleep, startAgentTestServer, waitFor } from './test-support/agent-server.js';

const BIN = fileURLToPath(new URL('../../bin/sealtime-agent.js', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, DISPLAY: '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function runAgent(dataDir: string): { child: ChildProcess; stopped: Promise<number | null>; stderr: () => string } {
  let stderr = '';
  const child = spawn(process.execPath, [BIN, 'run', '--data-dir', dataDir, '--log-level', 'warn'], {
    env: {
      ...process.env,
      DISPLAY: '',
      SEALTIME_AGENT_SYNC_MIN_RETRY_MS: '200',
      SEALTIME_AGENT_SYNC_MAX_RETRY_MS: '1000',
      SEALTIME_AGENT_RECONCILE_MS: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  const stopped = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, stopped, stderr: () => stderr };
}

async function status(dataDir: string): Promise<any> {
  const r = await cli(['status', '--json', '--data-dir', dataDir]);
  if (r.code !== 0) throw new Error(`status failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('sealtime-agent CLI', () => {
  it('enrolls, runs, clocks in through the socket and through the store, and shows the backlog drain', async () => {
    const srv = await startAgentTestServer();
    cleanups.push(() => srv.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'st-cli-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    expect((await cli(['enroll', srv.url, 'st1.not-a-code', '--data-dir', dataDir])).code).toBe(2);
    const code = await srv.enrollmentCode('emp-cy', 'team-red');
    const enrolled = await cli(['enroll', srv.url, code, '--data-dir', dataDir, '--name', 'cy-laptop', '--json']);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const device = JSON.parse(enrolled.stdout);
    expect(device).toMatchObject({
      employeeId: 'emp-cy',
      teamId: 'team-red',
      orgKeyFingerprint: srv.org.orgKeyFingerprint.replace(/ /g, ''),
    });
    expect(enrolled.stdout.includes(code.split('.')[1]!)).toBe(false);
    const used = await cli(['enroll', srv.url, code, '--data-dir', dataDir, '--force']);
    expect(used.code).toBe(1);
    expect(used.stderr).toMatch(/already used/);

    await srv.putInbox('emp-cy', [
      srv.org.recipients('emp-cy', 'team-red'),
      srv.org.policy('emp-cy', { level: 'organisation', id: 'acme', settings: { appTracking: { enabled: false } } }),
    ]);

    let agent = runAgent(dataDir);
    cleanups.push(() => void agent.child.kill('SIGKILL'));
    const ready = await waitFor(
      'keys through the running agent',
      async () => {
        const s = await status(dataDir);
        // the recipients and the policy may be stored (and folded) in separate passes
        return s.running && s.keys.ready && s.policy.sources['appTracking.enabled'] !== 'default' ? s : null;
      },
      60_000,
      250,
    );
    expect(statSync(join(dataDir, 'control.sock')).mode & 0o777).toBe(0o600);
    expect(ready.policy.sources['appTracking.enabled']).toBe('organisation:acme');

    const inRes = await cli(['clock-in', '--data-dir', dataDir, '--json']);
    expect(inRes.code, inRes.stderr).toBe(0);
    expect(JSON.parse(inRes.stdout).state).toBe('working');
    expect((await cli(['clock-in', '--data-dir', dataDir])).code).toBe(1); // already clocked in
    await waitFor(
      'the backlog to drain',
      async () => {
        const s = await status(dataDir);
        return s.backlog.count === 0 && s.lastSyncAt ? s : null;
      },
      60_000,
      250,
    );

    const t0 = Date.now();
    agent.child.kill('SIGTERM');
    expect(await agent.stopped).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000); // no long-poll holds the process
    // records made while stopping (a capture gap flag, the last slot) wait for the next run
    const base = (await status(dataDir)).backlog.count as number;

    // no agent running: the command opens the store itself; the record waits in the backlog
    const br = await cli(['break', 'start', '--data-dir', dataDir, '--json']);
    expect(br.code, br.stderr).toBe(0);
    expect(JSON.parse(br.stdout).state).toBe('on-break');
    expect((await cli(['break', 'sideways', '--data-dir', dataDir])).code).toBe(2);
    const offline = await status(dataDir);
    expect(offline.running).toBe(false);
    expect(offline.backlog.count).toBe(base + 1);
    expect(offline.backlog.oldestAt).toEqual(expect.any(String));
    const bad = await cli([
      'request-correction',
      '--data-dir',
      dataDir,
      '--date',
      '2026-02-30',
      '--change',
      'add',
      '--type',
      'clock-in',
      '--at',
      '2026-02-27T08:00:00Z',
      '--reason',
      'forgot',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/calendar date/);

    // a command still holding the store as the agent starts: the agent waits it out
    const holder = await holdStoreLock(join(dataDir, 'store'));
    cleanups.push(() => holder.kill());
    agent = runAgent(dataDir);
    await sleep(1500);
    expect(agent.child.exitCode).toBe(null);
    await holder.release();
    let lastSeen: unknown = null;
    await waitFor(
      'the backlog to drain after restart',
      async () => {
        const s = await status(dataDir);
        lastSeen = { running: s.running, backlog: s.backlog, connected: s.connected, lastSyncAt: s.lastSyncAt };
        return s.running && s.backlog.count === 0 ? s : null;
      },
      60_000,
      250,
    ).catch((err: Error) => {
      // name what the agent saw, so a slow drain on a loaded machine can be told from a stuck one
      throw new Error(
        `${err.message}; last status ${JSON.stringify(lastSeen)}; agent stderr: ${agent.stderr().slice(-2000)}`,
      );
    });
    const corr = await cli([
      'request-correction',
      '--data-dir',
      dataDir,
      '--date',
      '2026-02-27',
      '--change',
      'add',
      '--type',
      'clock-in',
      '--at',
      '2026-02-27T08:00:00Z',
      '--reason',
      'forgot to clock in',
      '--json',
    ]);
    expect(corr.code, corr.stderr).toBe(0);
    const requestId = JSON.parse(corr.stdout).requestId as string;
    // HR decides; the decision comes back to the device
    await srv.putInbox('emp-cy', [
      srv.org.decision('emp-cy', { v: 1, requestId, decision: 'approved', decidedBy: 'hr-ina', decidedAt: Date.now() }),
    ]);
    const decided = await waitFor(
      'the decision',
      async () => {
        const s = await status(dataDir);
        return s.attendance?.corrections.find((c: any) => c.requestId === requestId)?.decision ? s : null;
      },
      60_000,
      250,
    );
    expect(decided.attendance.corrections.find((c: any) => c.requestId === requestId).decision).toMatchObject({
      decision: 'approved',
      decidedBy: 'hr-ina',
    });
    const human = await cli(['status', '--data-dir', dataDir]);
    expect(human.stdout).toMatch(/appTracking.enabled\s+false\s+← organisation:acme/);
    agent.child.kill('SIGTERM');
    expect(await agent.stopped).toBe(0);

    const kinds = (await srv.records('emp-cy')).map((r) => r.kind);
    expect(kinds.filter((k) => k === 'attendance')).toHaveLength(2);
    expect(kinds).toContain('correction-request');
  }, 180_000);

  it('prints help for every command and refuses a policy override', async () => {
    for (const c of ['enroll', 'run', 'status', 'clock-in', 'clock-out', 'break', 'request-correction', 'export']) {
      const r = await cli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout).toMatch(/--data-dir/);
    }
    expect((await cli(['run', '--help'])).stdout).toMatch(/SEALTIME_AGENT_SYNC_MIN_RETRY_MS/);
    const dir = mkdtempSync(join(tmpdir(), 'st-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const r = await cli(['run', '--data-dir', dir], { SEALTIME_AGENT_POLICY_OVERRIDE: '{}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not supported/);
  }, 120_000);
});

/**
 * The real `sealtime-agent` CLI as the agent under test: enrolled against the
 * resilience server, then `run` with the documented test knobs (fast retry,
 * reconcile, screenshot and window intervals). While it runs, attendance
 * events go in through its control socket so records flow every few tens of
 * milliseconds (the policy's shortest activity slot is 60 s); each event it
 * confirms counts as acknowledged.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fromBase64, type PolicyLayer } from '@sealtime/shared';
import { controlRequest, ControlRemoteError } from '../../control/control-client.js';
import type { ControlCommand } from '../../control/control-protocol.js';
import { spawnAgentProcess, type AgentRun } from './agent-process.js';
import type { AgentLauncher } from './kill-loop.js';
import type { ResilienceServer } from './server-fixture.js';

const execFileP = promisify(execFile);
export const AGENT_BIN = fileURLToPath(new URL('../../../bin/sealtime-agent.js', import.meta.url));

/** An employee-level layer switching capture off (lower levels may always do that): the drain's quiet. */
export function quietPolicy(employeeId: string): PolicyLayer {
  return {
    level: 'employee',
    id: employeeId,
    settings: { activity: { enabled: false }, appTracking: { enabled: false }, screenshots: { enabled: false } },
  } as PolicyLayer;
}

/** Screenshots as often as the policy allows, window tracking on: records and images both flow. */
export function busyPolicy(): PolicyLayer {
  return {
    level: 'organisation',
    id: 'org-resilience',
    settings: {
      appTracking: { enabled: true, titles: false, urls: false, pulseSeconds: 5 },
      screenshots: { enabled: true, perHour: 60, blur: false },
    },
  } as PolicyLayer;
}

export interface CliAgent {
  deviceId: string;
  employeeId: string;
  signPublicKey: Uint8Array;
  dataDir: string;
}

/** `sealtime-agent enroll` against the server, then the signed recipients and policy into the inbox. */
export async function enrollCliAgent(
  server: ResilienceServer,
  employeeId: string,
  dataDir: string,
  layers: PolicyLayer[] = [busyPolicy()],
): Promise<CliAgent> {
  const code = await server.enrollmentCode(employeeId);
  // the admin side sends keys and policy before the device first connects
  await server.sendInbox(employeeId, null, layers);
  const { stdout } = await execFileP(
    process.execPath,
    [AGENT_BIN, 'enroll', server.url, code, '--data-dir', dataDir, '--json', '--name', 'resilience'],
    { timeout: 60_000 },
  );
  const r = JSON.parse(stdout) as { deviceId: string };
  const device = (await server.s.services.enrollment.devicesOf(employeeId)).find((d) => d.deviceId === r.deviceId);
  if (!device) throw new Error(`device ${r.deviceId} is not on the server`);
  const key = fromBase64(device.signPublicKey);
  if (!key.ok) throw new Error('bad signPublicKey on the server');
  return { deviceId: r.deviceId, employeeId, signPublicKey: key.value, dataDir };
}

/** The agent enrolls through the proxy, so it syncs through it too. */
export interface CliLauncherOptions {
  agent: CliAgent;
  server: ResilienceServer;
  env: NodeJS.ProcessEnv;
  /** Gap between attendance events (default 40 ms). */
  attendanceEveryMs?: number;
}

const NEXT: Record<string, ControlCommand> = { off: 'clock-in', 'on-break': 'break-end' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (run: AgentRun) => run.child.exitCode === null && run.child.signalCode === null;

async function driveAttendance(run: AgentRun, socket: string, everyMs: number): Promise<void> {
  let state = 'unknown';
  let flip = false;
  while (alive(run)) {
    try {
      if (state === 'unknown') {
        const st = (await controlRequest(socket, 'status', {}, 5_000)) as { attendance: { state: string } | null };
        state = st.attendance?.state ?? 'unknown';
        if (state === 'unknown') {
          await sleep(100);
          continue;
        }
      }
      // working → alternately a break or clock-out, so every event type flows
      const cmd: ControlCommand =
        state === 'working' ? ((flip = !flip) ? 'break-start' : 'clock-out') : (NEXT[state] ?? 'clock-in');
      const r = (await controlRequest(socket, cmd, {}, 5_000)) as { state: string };
      run.attendanceAcks++;
      state = r.state;
    } catch (err) {
      // refused (wrong state after a restart) or not up yet: ask again
      state = 'unknown';
      if (!(err instanceof ControlRemoteError)) await sleep(100);
    }
    await sleep(everyMs);
  }
}

export function cliLauncher(o: CliLauncherOptions): AgentLauncher {
  const socket = join(o.agent.dataDir, 'control.sock');
  const env: NodeJS.ProcessEnv = {
    ...o.env,
    SEALTIME_AGENT_SYNC_MIN_RETRY_MS: '200',
    SEALTIME_AGENT_SYNC_MAX_RETRY_MS: '2000',
    SEALTIME_AGENT_RECONCILE_MS: '300',
    SEALTIME_AGENT_SCREENSHOT_INTERVAL_MS: '700',
    SEALTIME_AGENT_WINDOW_INTERVAL_MS: '200',
  };
  return {
    deviceId: o.agent.deviceId,
    signPublicKey: o.agent.signPublicKey,
    storeDir: join(o.agent.dataDir, 'store'),
    launch({ record }) {
      const run = spawnAgentProcess(
        process.execPath,
        [AGENT_BIN, 'run', '--data-dir', o.agent.dataDir, '--json', '--log-level', 'warn'],
        env,
      );
      if (record) void driveAttendance(run, socket, o.attendanceEveryMs ?? 40);
      return run;
    },
    async backlogCount(run) {
      if (!alive(run)) return null;
      try {
        const st = (await controlRequest(socket, 'status', {}, 5_000)) as {
          backlog: { records: { count: number }; blobs: { count: number } };
        };
        return st.backlog.records.count + st.backlog.blobs.count;
      } catch {
        return null;
      }
    },
    beforeDrain: () => o.server.sendPolicy(o.agent.employeeId, quietPolicy(o.agent.employeeId)),
    async describe() {
      const st = (await controlRequest(socket, 'status', {}, 5_000)) as Record<string, unknown>;
      return JSON.stringify({ backlog: st.backlog, connected: st.connected, lastSyncAt: st.lastSyncAt });
    },
    async nextPush(run) {
      // a request body of some size flowing to the server: a push in flight
      const start = o.server.proxy.stats().bytesUp;
      while (alive(run) && o.server.proxy.stats().bytesUp - start < 800) await sleep(3);
    },
  };
}

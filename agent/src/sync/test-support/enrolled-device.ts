// A device enrolled with a real agent test server, and a store with a
// recorder sealing for its organisation: the preamble the sync tests share.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentPaths, unlockAgentKeystore, type AgentPaths } from '../../enroll/data-dir.js';
import { enrollDevice } from '../../enroll/enroll-device.js';
import { StaticRecipientDirectory } from '../../recorder/recipients.js';
import { Recorder } from '../../recorder/recorder.js';
import { openAgentStore, type AgentStore } from '../../store/agent-store.js';
import type { AgentTestServer } from '../../cli/test-support/agent-server.js';
import { deviceAuthorization } from '../authorized-fetch.js';

export type Cleanups = Array<() => Promise<void> | void>;

export interface EnrolledDevice {
  paths: AgentPaths;
  unlocked: Awaited<ReturnType<typeof unlockAgentKeystore>>;
  deviceId: string;
  credential: string;
  authorization: string;
}

/** Enrolls a fresh device of `employeeId` in a temporary data directory (removed by `cleanups`). */
export async function enrollTestDevice(
  srv: AgentTestServer,
  employeeId: string,
  cleanups: Cleanups,
): Promise<EnrolledDevice> {
  const dataDir = mkdtempSync(join(tmpdir(), 'st-sync-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const paths = agentPaths(dataDir);
  await enrollDevice({ paths, serverUrl: srv.url, code: await srv.enrollmentCode(employeeId) });
  const unlocked = await unlockAgentKeystore(paths);
  const deviceId = unlocked.info.deviceId;
  const credential = unlocked.deviceCredential;
  return { paths, unlocked, deviceId, credential, authorization: deviceAuthorization(deviceId, credential) };
}

/** Opens the device's store (closed by `cleanups`) and a recorder sealing for the server's organisation. */
export async function openRecordingStore(
  srv: AgentTestServer,
  device: EnrolledDevice,
  cleanups: Cleanups,
): Promise<{ store: AgentStore; recorder: Recorder }> {
  const store = await openAgentStore(device.paths.store);
  cleanups.push(() => store.close());
  const recorder = await Recorder.open({
    store,
    device: device.unlocked.identity,
    recipients: new StaticRecipientDirectory({ organisation: srv.org.org.boxPublicKey }),
  });
  return { store, recorder };
}

/** Seals `count` small device-info records; true when every one was recorded. */
export async function recordDeviceInfos(recorder: Recorder, count: number): Promise<boolean> {
  for (let i = 0; i < count; i++) {
    const r = await recorder.record('device-info', {
      v: 1,
      hostname: `h${i}`,
      platform: 'linux',
      osVersion: '6',
      agentVersion: '0.1.0',
      screens: 1,
      timeZone: 'UTC',
    });
    if (!r.ok) return false;
  }
  return true;
}

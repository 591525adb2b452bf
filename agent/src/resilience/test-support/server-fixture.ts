/**
 * The real composed Sealtime server for the agent's resilience tests (embedded
 * engine in a temp dir, real identity, loopback HTTP), an admin session, the
 * signed inbox documents of a simulated organisation, and the server ledger
 * for one employee. A flaky proxy sits in front: agents are given proxy.url.
 */
import { rm } from 'node:fs/promises';
import { fromBase64, generateDeviceSigningKey, initSodium, toBase64, type PolicyLayer } from '@sealtime/shared';
import { startServerWithRoot, type SealtimeServer } from '@sealtime/sync-server/testing';
import { startFlakyProxy, type FlakyProxy, type ProxyMode } from '../../../../test-support/flaky-proxy.js';
import { readServerLedger, type LedgerReport } from '../../../../test-support/server-ledger.js';
import { createTestOrg, type TestOrg } from '../../../../test-support/test-org.js';

const ADMIN_PASSWORD = 'resilience admin passphrase 42';

export interface TestDevice {
  deviceId: string;
  employeeId: string;
  credential: string;
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
}

export interface ResilienceServer {
  s: SealtimeServer;
  proxy: FlakyProxy;
  org: TestOrg;
  admin: string;
  /** Where agents connect: the proxy. */
  url: string;
  dir: string;
  /** A fresh enrollment code for an employee (provisions their databases). */
  enrollmentCode(employeeId: string, teamId?: string | null): Promise<string>;
  /** Puts the signed recipients document and policy layers into the employee's inbox. */
  sendInbox(employeeId: string, teamId: string | null, layers: PolicyLayer[]): Promise<void>;
  /** One more signed policy layer (a new doc id: inbox docs are written once). */
  sendPolicy(employeeId: string, layer: PolicyLayer): Promise<void>;
  /** Enrolls a device with a key made here, for agents composed by the test itself (not the CLI). */
  enrollTestDevice(employeeId: string): Promise<TestDevice>;
  ledger(employeeId: string): Promise<LedgerReport>;
  close(): Promise<void>;
}

export async function startResilienceServer(options: {
  seed: number;
  proxyMode?: ProxyMode;
}): Promise<ResilienceServer> {
  const { s, dir } = await startServerWithRoot({
    rootPassword: ADMIN_PASSWORD,
    tmpPrefix: 'sealtime-resilience-',
    actor: 'resilience-test',
  });
  const proxy = await startFlakyProxy({
    target: s.url,
    seed: options.seed,
    ...(options.proxyMode ? { mode: options.proxyMode } : {}),
  });
  const org = await createTestOrg();

  // the admin talks to the server directly, never through the faults under test
  const api = async (method: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> => {
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const parsed = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(parsed)}`);
    return parsed;
  };
  const admin = (await api('POST', '/_sealtime/api/login', { userId: 'root', password: ADMIN_PASSWORD }))
    .token as string;
  const enrollmentCode = async (employeeId: string, teamId: string | null = null): Promise<string> => {
    const r = await api(
      'POST',
      '/_sealtime/api/enrollment-codes',
      { employeeId, teamId, orgKeyFingerprint: org.orgKeyFingerprint },
      admin,
    );
    return r.code as string;
  };

  return {
    s,
    proxy,
    org,
    admin,
    url: proxy.url,
    dir,
    enrollmentCode,
    async sendInbox(employeeId, teamId, layers) {
      const docs = [org.recipients(employeeId, teamId), ...layers.map((l) => org.policy(employeeId, l))].map((d) =>
        org.wire(d),
      );
      const res = await s.server.engine.nano.use(`st-emp-${employeeId}-inbox`).bulk({ docs });
      const failed = res.filter((r) => 'error' in r && r.error);
      if (failed.length > 0) throw new Error(`inbox write failed: ${JSON.stringify(failed)}`);
    },
    async sendPolicy(employeeId, layer) {
      const res = await s.server.engine.nano
        .use(`st-emp-${employeeId}-inbox`)
        .bulk({ docs: [org.wire(org.policy(employeeId, layer))] });
      const failed = res.filter((r) => 'error' in r && r.error);
      if (failed.length > 0) throw new Error(`inbox write failed: ${JSON.stringify(failed)}`);
    },
    async enrollTestDevice(employeeId) {
      await initSodium();
      const code = await enrollmentCode(employeeId);
      const key = generateDeviceSigningKey();
      const r = await api('POST', '/_sealtime/api/enroll', {
        code,
        signPublicKey: toBase64(key.signPublicKey),
        name: 'resilience',
        platform: 'linux',
      });
      return { deviceId: r.deviceId as string, employeeId, credential: r.deviceCredential as string, ...key };
    },
    async ledger(employeeId) {
      const devices = await s.services.enrollment.devicesOf(employeeId);
      const keys = new Map<string, Uint8Array>();
      for (const d of devices) {
        const k = fromBase64(d.signPublicKey);
        if (k.ok) keys.set(d.deviceId, k.value);
      }
      return readServerLedger({ url: s.server.engine.url }, employeeId, keys);
    },
    async close() {
      await proxy.close();
      await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

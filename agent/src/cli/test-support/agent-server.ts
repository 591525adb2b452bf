/**
 * The real composed Sealtime server for the agent's integration tests:
 * embedded engine in a temp dir, real identity, loopback HTTP, a super
 * admin's session, and a simulated organisation whose signed inbox
 * documents the admin writes through the gateway (`_bulk_docs`).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EnvelopeOpener,
  decodeEnvelope,
  fromBase64,
  type InboxDoc,
  type PolicyLayer,
  type RecordDoc,
} from '@sealtime/shared';
import { startServerWithRoot, type SealtimeServer } from '@sealtime/sync-server/testing';
import { createTestOrg, type TestOrg } from '../../../../test-support/test-org.js';
import { agentPaths } from '../../enroll/data-dir.js';
import { enrollDevice } from '../../enroll/enroll-device.js';
import { serverFetch } from '../../sync/server-fetch.js';

const ADMIN_PASSWORD = 'agent test admin passphrase 7';

export interface AgentTestServer {
  s: SealtimeServer;
  org: TestOrg;
  url: string;
  admin: string;
  /** The server's data directory (embedded engine under engine/). */
  dir: string;
  /** HTTPS only: the self-signed certificate's file (its own CA). */
  caFile: string | null;
  enrollmentCode(employeeId: string, teamId?: string | null, orgKeyFingerprint?: string): Promise<string>;
  /** Writes inbox docs as the admin through the gateway (replacing same-id docs). */
  putInbox(employeeId: string, docs: InboxDoc[]): Promise<void>;
  policy(employeeId: string, layer: PolicyLayer, issuedAt?: number): Promise<void>;
  /**
   * Enrols a device of `employeeId` (in `teamId`) into a new temp data
   * directory and delivers its recipients and a team policy layer with
   * `settings`: the start of every capture test. The directory is removed on close.
   */
  enrollCapturing(
    employeeId: string,
    teamId: string,
    settings: PolicyLayer['settings'],
  ): Promise<{ dataDir: string; deviceId: string }>;
  /** The employee's stored records, opened with the organisation key for the kind and time the server cannot see. */
  records(employeeId: string): Promise<ServerRecord[]>;
  signPublicKey(deviceId: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A stored record plus what only a recipient can read (`class:<name>` and the hour when it does not open). */
export type ServerRecord = RecordDoc & { kind: string; createdAt: number };

function openedAsOrg(doc: RecordDoc, opener: EnvelopeOpener): ServerRecord {
  const bytes = fromBase64(doc.envelope);
  const decoded = bytes.ok ? decodeEnvelope(bytes.value) : bytes;
  const opened = decoded.ok ? opener.decrypt({ ...decoded.value, hash: new Uint8Array(32) }) : decoded;
  return opened.ok
    ? { ...doc, kind: opened.value.envelope.kind, createdAt: opened.value.envelope.createdAt }
    : { ...doc, kind: `class:${doc.class}`, createdAt: doc.hour };
}

export async function startAgentTestServer(opts: { tls?: boolean } = {}): Promise<AgentTestServer> {
  const { s, dir } = await startServerWithRoot({
    rootPassword: ADMIN_PASSWORD,
    tmpPrefix: 'sealtime-agent-server-',
    actor: 'agent-test',
    ...(opts.tls ? { tls: true } : {}),
  });
  const caFile = opts.tls ? join(dir, 'tls', 'cert.pem') : null;
  const fetch = serverFetch(caFile ? await readFile(caFile, 'utf8') : undefined);
  const org = await createTestOrg();
  // any: the tests read arbitrary JSON answers of the API
  const api = async (method: string, path: string, body?: unknown, token?: string): Promise<any> => {
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(parsed)}`);
    return parsed;
  };
  const admin = (await api('POST', '/_sealtime/api/login', { userId: 'root', password: ADMIN_PASSWORD }))
    .token as string;

  const dataDirs: string[] = [];
  const t: AgentTestServer = {
    s,
    org,
    url: s.url,
    admin,
    dir,
    caFile,
    async enrollmentCode(employeeId, teamId = null, fp = org.orgKeyFingerprint) {
      return (
        await api('POST', '/_sealtime/api/enrollment-codes', { employeeId, teamId, orgKeyFingerprint: fp }, admin)
      ).code as string;
    },
    async putInbox(employeeId, docs) {
      const db = `st-emp-${employeeId}-inbox`;
      const wire = [];
      for (const d of docs) {
        const w = org.wire(d);
        // replacing a document needs its current revision
        const cur = await s.server.engine.nano
          .use(db)
          .get(d.id)
          .catch(() => null);
        wire.push(cur ? { ...w, _rev: cur._rev } : w);
      }
      const res = (await api('POST', `/${db}/_bulk_docs`, { docs: wire }, admin)) as Array<{ error?: string }>;
      const failed = res.filter((r) => r.error);
      if (failed.length) throw new Error(`inbox write failed: ${JSON.stringify(failed)}`);
    },
    policy(employeeId, layer, issuedAt) {
      return t.putInbox(employeeId, [org.policy(employeeId, layer, issuedAt)]);
    },
    async enrollCapturing(employeeId, teamId, settings) {
      const dataDir = await mkdtemp(join(tmpdir(), 'st-agent-capture-'));
      dataDirs.push(dataDir);
      const { deviceId } = await enrollDevice({
        paths: agentPaths(dataDir),
        serverUrl: s.url,
        code: await t.enrollmentCode(employeeId, teamId),
      });
      await t.putInbox(employeeId, [
        org.recipients(employeeId, teamId),
        org.policy(employeeId, { level: 'team', id: teamId, settings }),
      ]);
      return { dataDir, deviceId };
    },
    async records(employeeId) {
      const res = await s.server.engine.nano
        .use<RecordDoc>(`st-emp-${employeeId}-records`)
        .list({ include_docs: true });
      const opener = new EnvelopeOpener([{ publicKey: org.org.boxPublicKey, secretKey: org.org.boxSecretKey }]);
      return res.rows
        .filter((r) => !r.id.startsWith('_design/'))
        .map((r) => openedAsOrg(r.doc as unknown as RecordDoc, opener))
        .sort((a, b) => a.seq - b.seq);
    },
    async signPublicKey(deviceId) {
      const d = await s.services.store.getDevice(deviceId);
      const k = fromBase64(d?.signPublicKey);
      if (!k.ok) throw new Error(`no sign key for ${deviceId}`);
      return k.value;
    },
    async close() {
      await s.close();
      await rm(dir, { recursive: true, force: true });
      for (const d of dataDirs) await rm(d, { recursive: true, force: true });
    },
  };
  return t;
}

export { sleep, waitFor } from '../../../../test-support/wait-for.js';

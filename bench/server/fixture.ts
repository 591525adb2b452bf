/**
 * The server under load: startServer (embedded engine, provisioning,
 * consolidation, gateway on loopback) with the real identity layer over
 * st-system, so every request pays real device authentication. Employees
 * are provisioned and their devices enrolled through the real services.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { dbNames, fingerprint, initSodium } from '@sealtime/shared';
import { AuditLog } from '@sealtime/sync-server/src/audit/audit-log.js';
import { systemActor } from '@sealtime/sync-server';
import { openAuthServices, type AuthServices } from '@sealtime/sync-server/src/auth/auth-services.js';
import { systemClock } from '@sealtime/sync-server/src/auth/clock.js';
import { basicAuthorization } from '@sealtime/sync-server/src/engine/url-credentials.js';
import { startServer, type RunningServer } from '@sealtime/sync-server/src/server.js';
import { testSignKeyPair } from '@sealtime/sync-server/testing';
import type { AgentSpec } from './messages.js';

export interface BenchServer {
  server: RunningServer;
  auth: AuthServices;
  audit: AuditLog;
  dir: string;
  close(): Promise<void>;
}

/** Employee ids of this run: on a CouchDB, which outlives runs, they carry the run's own prefix. */
let runPrefix = '';

export async function startBenchServer(couchdbUrls: readonly string[] = []): Promise<BenchServer> {
  const dir = await mkdtemp(join(tmpdir(), 'st-bench-server-'));
  if (couchdbUrls.length > 0) runPrefix = `b${Date.now().toString(36)}-`;
  let auth: AuthServices | null = null;
  let audit: AuditLog | null = null;
  const server = await startServer({
    dataDir: dir,
    ...(couchdbUrls.length > 0 ? { couchdbUrl: couchdbUrls.length === 1 ? couchdbUrls[0]! : couchdbUrls } : {}),
    listen: { host: '127.0.0.1', port: 0 },
    logger: pino({ level: process.env.BENCH_LOG ?? 'warn' }),
    identity: async (ctx) => {
      audit = await AuditLog.open(ctx.engine.nano.use(dbNames.audit), { spillPath: join(dir, 'audit-spill.jsonl') });
      // BENCH_AUTH_CACHE_MS: how long st-system lookups are cached (the identity's default is 2 s), to weigh the lookups
      const cacheTtlMs = process.env.BENCH_AUTH_CACHE_MS ? Number(process.env.BENCH_AUTH_CACHE_MS) : undefined;
      auth = await openAuthServices({
        systemDb: ctx.engine.nano.use(dbNames.system),
        audit,
        clock: systemClock,
        ...(cacheTtlMs !== undefined ? { cacheTtlMs } : {}),
      });
      return auth.identity;
    },
  });
  const a = auth as AuthServices | null;
  const log = audit as AuditLog | null;
  if (!a || !log) throw new Error('the identity factory did not run');
  return {
    server,
    auth: a,
    audit: log,
    dir,
    async close() {
      if (couchdbUrls.length > 0) {
        // the CouchDB stays: take this run's employees (databases, routes) and teams away; copies in st-org-records stay, as in the tests
        const mine = (await server.provisioner.employees()).filter((e) => e.employeeId.startsWith(runPrefix));
        for (const e of mine) await server.provisioner.removeEmployee(e.employeeId).catch(() => undefined);
        for (const t of new Set(mine.map((e) => e.teamId).filter((t): t is string => t !== null)))
          await server.engine.nano.db.destroy(dbNames.teamRecords(t)).catch(() => undefined);
      }
      a.close();
      await server.close();
      await log.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const employeeId = (i: number): string => `${runPrefix}e-${String(i).padStart(5, '0')}`;
export const teamOf = (i: number, teamSize: number): string =>
  `${runPrefix}t-${String(Math.floor(i / teamSize)).padStart(3, '0')}`;

/**
 * Provisions `n` employees, `concurrency` at a time (their databases, team
 * database, consolidation routes). Provisioning is safe to run concurrently
 * for members of one team (serialised per database by the provisioner).
 */
export async function provisionEmployees(b: BenchServer, n: number, teamSize: number, concurrency = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        await b.server.provisioner.provisionEmployee({ employeeId: employeeId(i), teamId: teamOf(i, teamSize) });
      }
    }),
  );
}

export interface EnrolledAgent extends AgentSpec {
  /** `Basic base64(deviceId:credential)`, as agent/src/sync/authorized-fetch.ts sends it. */
  authorization: string;
}

/** One device per employee, enrolled as an admin and an agent would: a one-time code, redeemed once. */
export async function enrollDevices(b: BenchServer, n: number, teamSize: number): Promise<EnrolledAgent[]> {
  const s = await initSodium();
  const orgKeyFingerprint = fingerprint(s.crypto_sign_keypair().publicKey);
  const out: EnrolledAgent[] = [];
  for (let i = 0; i < n; i++) {
    const code = await b.auth.enrollment.createCode(systemActor('bench'), {
      employeeId: employeeId(i),
      teamId: teamOf(i, teamSize),
      orgKeyFingerprint,
    });
    // the gateway verifies records against this key: the worker seals with the same one (signKeyLabel = employee id)
    const signPublicKey = (await testSignKeyPair(employeeId(i))).publicKeyText;
    const dev = await b.auth.enrollment.redeem(
      code.code,
      { name: `bench-${i}`, platform: 'linux', signPublicKey },
      { ip: '127.0.0.1', userAgent: 'sealtime-bench' },
    );
    out.push({
      employeeId: dev.employeeId,
      deviceId: dev.deviceId,
      authorization: `Basic ${Buffer.from(`${dev.deviceId}:${dev.deviceCredential}`).toString('base64')}`,
    });
  }
  return out;
}

/** The engine's admin credential as a Basic header, for the direct run. */
export function engineAuthorization(engineUrl: string): { baseUrl: string; authorization: string } {
  const u = new URL(engineUrl);
  const authorization = basicAuthorization(u);
  if (!authorization) throw new Error('the engine URL carries no credential');
  return { baseUrl: `${u.protocol}//${u.host}`, authorization };
}

/** Documents (not design documents) in a database. */
export async function docCount(b: BenchServer, db: string): Promise<number> {
  const info = await b.server.engine.nano.db.get(db);
  const design = await b.server.engine.nano.use(db).list({ startkey: '_design/', endkey: '_design0' });
  return info.doc_count - design.rows.length;
}

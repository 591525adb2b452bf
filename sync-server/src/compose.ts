/**
 * The real composition: startServer with the real identity (openAuthServices
 * over the engine's st-system), the audit log over st-audit (spilling to
 * <dataDir>/audit/spill.jsonl when st-audit is unreachable), the JSON API
 * mount, and the audit of people's writes through the replication surface.
 * Used by `sealtime-server start`, the integration tests, `npm start` and
 * the benches.
 *
 * openStorage opens the same engine and databases without serving them,
 * for commands that run while the server is stopped (`init`).
 */
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createApiMount } from './api/api-mount.js';
import { AuditLog } from './audit/audit-log.js';
import { openAuthServices, type AuthServices } from './auth/auth-services.js';
import { systemClock, type Clock } from './auth/clock.js';
import type { PasswordCost } from './auth/password.js';
import type { Role } from './auth/principal.js';
import { ServerSecret } from './auth/server-secret.js';
import type { SessionLimits } from './auth/session-rules.js';
import type { Engine } from './engine/engine.js';
import { openEngine, type CouchDBUrls } from './engine/open-engine.js';
import { createConsolidator } from './provisioning/create-consolidator.js';
import { dbNames } from './provisioning/db-names.js';
import { Provisioner } from './provisioning/provision.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';

export const SERVER_VERSION = '0.1.0';

export interface SealtimeServerOptions extends Omit<ServerOptions, 'identity' | 'mounts' | 'audit'> {
  clock?: Clock;
  sessionLimits?: Partial<SessionLimits>;
  passwordCost?: PasswordCost;
  /** How long st-system lookups are cached (default 30 s; writes in this process apply at once). */
  cacheTtlMs?: number;
  enrollmentTtlMs?: number;
  /** Roles that get no full session without TOTP (`sealtime-server start --require-totp admin,hr`). */
  requireTotpFor?: readonly Role[];
}

export interface SealtimeServer {
  readonly server: RunningServer;
  readonly services: AuthServices;
  readonly audit: AuditLog;
  readonly url: string;
  /** Stops serving, then delivers (or spills to disk) what the audit log still holds. */
  close(): Promise<void>;
}

/** The server's own key (server-secret.ts): beside the gateway, never in the engine's databases. */
export function serverSecretPath(dataDir: string): string {
  return join(resolve(dataDir), 'server-secret.key');
}

export function auditSpillPath(dataDir: string): string {
  return join(resolve(dataDir), 'audit', 'spill.jsonl');
}

async function openIdentityLayer(
  engine: Engine,
  opts: SealtimeServerOptions & { clock: Clock; followChanges?: boolean },
): Promise<{ services: AuthServices; audit: AuditLog }> {
  const log = opts.logger;
  const audit = await AuditLog.open(engine.nano.use(dbNames.audit), {
    spillPath: auditSpillPath(opts.dataDir),
    clock: opts.clock,
    ...(log ? { logger: log } : {}),
  });
  try {
    const services = await openAuthServices({
      systemDb: engine.nano.use(dbNames.system),
      audit,
      clock: opts.clock,
      ...(opts.sessionLimits ? { sessionLimits: opts.sessionLimits } : {}),
      ...(opts.passwordCost ? { passwordCost: opts.passwordCost } : {}),
      ...(opts.cacheTtlMs !== undefined ? { cacheTtlMs: opts.cacheTtlMs } : {}),
      ...(opts.followChanges !== undefined ? { followChanges: opts.followChanges } : {}),
      ...(opts.enrollmentTtlMs !== undefined ? { enrollmentTtlMs: opts.enrollmentTtlMs } : {}),
      ...(log ? { logger: log } : {}),
      serverSecret: await ServerSecret.loadOrCreate(serverSecretPath(opts.dataDir)),
      ...(opts.requireTotpFor ? { requireTotpFor: opts.requireTotpFor } : {}),
    });
    return { services, audit };
  } catch (e) {
    await audit.close(0);
    throw e;
  }
}

export async function startSealtimeServer(opts: SealtimeServerOptions): Promise<SealtimeServer> {
  const clock = opts.clock ?? systemClock;
  const startedAt = clock.now();
  let layer: { services: AuthServices; audit: AuditLog } | null = null;
  const {
    clock: _c,
    sessionLimits: _s,
    passwordCost: _p,
    cacheTtlMs: _t,
    enrollmentTtlMs: _e,
    requireTotpFor: _r,
    ...serverOpts
  } = opts;

  let server: RunningServer;
  try {
    server = await startServer({
      ...serverOpts,
      identity: async (ctx) => {
        layer = await openIdentityLayer(ctx.engine, { ...opts, clock });
        return layer.services.identity;
      },
      audit: () => layer!.audit,
      mounts: (ctx) => [
        createApiMount({
          services: layer!.services,
          audit: layer!.audit,
          engine: ctx.engine,
          provisioner: ctx.provisioner,
          consolidator: ctx.consolidator,
          clock,
          startedAt,
          version: SERVER_VERSION,
          ...(opts.logger ? { logger: opts.logger } : {}),
        }),
      ],
    });
  } catch (e) {
    // startServer closed the engine; what the audit log holds goes to its spill file
    (layer as { services: AuthServices } | null)?.services.close();
    await (layer as { audit: AuditLog } | null)?.audit.close(0);
    throw e;
  }

  const { services, audit } = layer!;
  let closing: Promise<void> | null = null;
  return {
    server,
    services,
    audit,
    url: server.url,
    close: () =>
      (closing ??= (async () => {
        await audit.flush(2_000).catch(() => undefined); // the engine is still up: deliver now
        services.close();
        await server.close();
        await audit.close(0); // anything recorded meanwhile is kept on disk for the next start
      })()),
  };
}

export interface OpenStorage {
  engine: Engine;
  provisioner: Provisioner;
  services: AuthServices;
  audit: AuditLog;
  close(): Promise<void>;
}

/** The engine, the organisation's databases and the identity layer, without a listener. */
export async function openStorage(opts: {
  dataDir: string;
  couchdbUrl?: CouchDBUrls;
  logger?: Logger;
  clock?: Clock;
}): Promise<OpenStorage> {
  const dataDir = resolve(opts.dataDir);
  const log = opts.logger;
  const engine: Engine = await openEngine({ dataDir, couchdbUrl: opts.couchdbUrl, logger: log });
  const consolidator = createConsolidator(engine, log ? { logger: log } : {});
  try {
    const provisioner = new Provisioner(engine, consolidator, log);
    await provisioner.provisionOrg();
    // a one-shot tool: nothing to follow st-system's changes for
    const { services, audit } = await openIdentityLayer(engine, {
      dataDir,
      listen: { host: '127.0.0.1', port: 0 },
      clock: opts.clock ?? systemClock,
      followChanges: false,
      ...(log ? { logger: log } : {}),
    });
    return {
      engine,
      provisioner,
      services,
      audit,
      async close() {
        services.close();
        await audit.close(5_000);
        await consolidator.close();
        await engine.close();
      },
    };
  } catch (e) {
    await consolidator.close().catch(() => undefined);
    await engine.close().catch(() => undefined);
    throw e;
  }
}

/**
 * Composition: storage engine (embedded PouchDB, or CouchDB by URL), then
 * provisioning of the organisation's databases and consolidation, then the
 * gateway behind an HTTP(S) listener. The CLI (`sealtime-server start`)
 * calls startServer; everything it needs to wire is exported here.
 *
 * Data directory layout:
 *   <dataDir>/engine/     LevelDB databases of the embedded engine
 *   <dataDir>/tls/        the generated self-signed certificate, if used
 *   <dataDir>/server-id   stable server uuid (replication checkpoints key on it)
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { AuditSink } from './audit/audit-log.js';
import type { Identity } from './auth/principal.js';
import type { Engine } from './engine/engine.js';
import { openEngine, type CouchDBUrls, type OpenedEngine } from './engine/open-engine.js';
import type { GatewayLimits } from './gateway/gateway-limits.js';
import { createGateway, type Gateway, type GatewayMount } from './gateway/gateway.js';
import { createInProcessUpstream } from './gateway/in-process-upstream.js';
import type { Consolidator } from './provisioning/consolidator.js';
import { createConsolidator } from './provisioning/create-consolidator.js';
import { Provisioner } from './provisioning/provision.js';
import { checkTransportPolicy, listen, type TlsConfig } from './tls/listener.js';

export interface ServerContext {
  engine: Engine;
  provisioner: Provisioner;
  consolidator: Consolidator;
}

export interface ServerOptions {
  dataDir: string;
  listen: { host: string; port: number };
  /** Certificate files, PEM contents, or `{ selfSigned: true }` (stored under <dataDir>/tls). */
  tls?:
    | { certFile: string; keyFile: string }
    | { cert: string | Buffer; key: string | Buffer }
    | { selfSigned: true; hosts?: readonly string[] }
    | null;
  /** Allow plain HTTP on a non-loopback address. */
  insecure?: boolean;
  /** Use this CouchDB (with admin credentials) instead of the embedded engine; several URLs for a cluster's nodes. */
  couchdbUrl?: CouchDBUrls;
  /**
   * An engine opened by the caller instead of one picked from couchdbUrl /
   * dataDir; the server owns it from here and closes it.
   */
  useEngine?: OpenedEngine;
  /**
   * Reach an embedded engine in-process (default) or over its loopback HTTP
   * URL, the way the gateway reaches CouchDB.
   */
  inProcessEngine?: boolean;
  /** CouchDB only: how CouchDB reaches itself for consolidation replications. */
  replicationBaseUrl?: string;
  /** The identity layer, or a factory that builds it once the engine is up (it needs st-system). */
  identity: Identity | ((ctx: ServerContext) => Identity | Promise<Identity>);
  /** Extra handlers (e.g. the login API), possibly built from the context. */
  mounts?:
    readonly GatewayMount[] | ((ctx: ServerContext) => readonly GatewayMount[] | Promise<readonly GatewayMount[]>);
  /** Audit trail for people's writes through the gateway, or a factory run after `identity`. */
  audit?: AuditSink | ((ctx: ServerContext) => AuditSink | Promise<AuditSink>);
  limits?: Partial<GatewayLimits>;
  logger?: Logger;
}

export interface RunningServer extends ServerContext {
  readonly url: string;
  readonly secure: boolean;
  /** SHA-256 fingerprint of the certificate served, when HTTPS. */
  readonly fingerprint: string | null;
  readonly gateway: Gateway;
  close(): Promise<void>;
}

export async function serverUuid(dataDir: string): Promise<string> {
  const file = join(dataDir, 'server-id');
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  } catch {
    // first start
  }
  const id = randomUUID();
  await writeFile(file, `${id}\n`, { mode: 0o644 });
  return id;
}

function tlsConfig(opts: ServerOptions, dataDir: string): TlsConfig | null {
  const t = opts.tls;
  if (!t) return null;
  if ('selfSigned' in t)
    return { selfSigned: true, dir: join(dataDir, 'tls'), hosts: [opts.listen.host, ...(t.hosts ?? [])] };
  return t;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const dataDir = resolve(opts.dataDir);
  const tls = tlsConfig(opts, dataDir);
  // refuse an insecure configuration before touching any data
  checkTransportPolicy({ host: opts.listen.host, tls, insecure: opts.insecure ?? false });
  await mkdir(dataDir, { recursive: true });
  const log = opts.logger;

  const engine = opts.useEngine ?? (await openEngine({ dataDir, couchdbUrl: opts.couchdbUrl, logger: log }));
  const embedded = engine.kind === 'embedded' && opts.inProcessEngine !== false ? engine : null;
  const consolidator = createConsolidator(engine, {
    ...(opts.replicationBaseUrl ? { replicationBaseUrl: opts.replicationBaseUrl } : {}),
    ...(log ? { logger: log } : {}),
  });
  const provisioner = new Provisioner(engine, consolidator, log);
  let gateway: Gateway | null = null;

  try {
    await provisioner.provisionOrg();
    const resumed = await provisioner.resumeConsolidation();
    log?.info({ engine: engine.kind, employees: resumed }, 'databases provisioned');
    const ctx: ServerContext = { engine, provisioner, consolidator };
    const identity = typeof opts.identity === 'function' ? await opts.identity(ctx) : opts.identity;
    const mounts = typeof opts.mounts === 'function' ? await opts.mounts(ctx) : (opts.mounts ?? []);
    const audit = typeof opts.audit === 'function' ? await opts.audit(ctx) : opts.audit;
    gateway = await createGateway({
      engineUrl: engine.url,
      // the embedded engine shares this process: reach its request listener directly (no TCP, no HTTP parsing)
      ...(embedded ? { upstream: createInProcessUpstream(embedded.handle, embedded.url) } : {}),
      identity,
      serverUuid: await serverUuid(dataDir),
      teamsOf: (id) => provisioner.teamsOf(id),
      hsts: tls !== null,
      mounts,
      ...(audit ? { audit } : {}),
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...(log ? { logger: log } : {}),
    });
    const g = gateway;
    const listener = await listen(
      { host: opts.listen.host, port: opts.listen.port, tls, insecure: opts.insecure ?? false },
      (req, res) => g.handle(req, res),
    );
    log?.info(
      { url: listener.url, secure: listener.secure, fingerprint: listener.fingerprint },
      'sealtime server listening',
    );

    let closing: Promise<void> | null = null;
    return {
      ...ctx,
      url: listener.url,
      secure: listener.secure,
      fingerprint: listener.fingerprint,
      gateway: g,
      close: () =>
        (closing ??= (async () => {
          g.close(); // ends in-flight longpolls first, so none is left waiting on the engine
          await listener.close();
          await consolidator.close();
          await engine.close();
        })()),
    };
  } catch (e) {
    gateway?.close();
    await consolidator.close().catch(() => undefined);
    await engine.close().catch(() => undefined);
    throw e;
  }
}

export type { GatewayMount } from './gateway/gateway.js';
export type { GatewayLimits } from './gateway/gateway-limits.js';
export type { TlsConfig } from './tls/listener.js';

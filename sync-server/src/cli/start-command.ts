/**
 * `sealtime-server start`: the composed server (compose.ts) on the embedded
 * engine in --data-dir, or on the CouchDB of --couchdb-url. Logs (pino, JSON)
 * go to stderr; one "listening on" line goes to stdout so scripts can find
 * the URL. SIGINT/SIGTERM close it gracefully (the audit log is flushed);
 * a second signal exits at once.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { pino, type Level, type Logger } from 'pino';
import { startSealtimeServer, type SealtimeServer, type SealtimeServerOptions } from '../compose.js';
import { TlsError } from '../tls/tls-errors.js';
import type { Role } from '../auth/principal.js';
import { ROLES } from '../auth/user-admin.js';
import { CliError, parsePort, scrub } from './cli-support.js';
import { couchdbUrlOption, couchdbUrls } from './couchdb-url-option.js';

function parseRoles(raw: string): Role[] {
  const roles = raw
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const bad = roles.filter((r) => !ROLES.includes(r as Role));
  if (bad.length > 0 || roles.length === 0)
    throw new InvalidArgumentError(
      `give roles from ${ROLES.join(', ')}, comma-separated (not '${bad.join(',') || raw}')`,
    );
  return roles as Role[];
}

export interface StartOptions {
  dataDir: string;
  host: string;
  port: number;
  tlsCert?: string;
  tlsKey?: string;
  selfSigned?: boolean;
  insecure?: boolean;
  couchdbUrl?: string[];
  couchdbReplicationUrl?: string;
  logLevel: Level | 'silent';
  /** Roles that need TOTP for a full session, e.g. ['admin', 'hr']. */
  requireTotp?: Role[];
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function tlsOption(o: StartOptions): NonNullable<SealtimeServerOptions['tls']> | null {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined))
    throw new CliError('--tls-cert and --tls-key go together', 2);
  if (o.tlsCert && o.selfSigned) throw new CliError('give either --tls-cert/--tls-key or --self-signed, not both', 2);
  if (o.tlsCert && o.tlsKey) return { certFile: o.tlsCert, keyFile: o.tlsKey };
  return o.selfSigned ? { selfSigned: true } : null;
}

export async function runStart(o: StartOptions, logger: Logger): Promise<SealtimeServer> {
  const tls = tlsOption(o);
  try {
    return await startSealtimeServer({
      dataDir: o.dataDir,
      listen: { host: o.host, port: o.port },
      tls,
      insecure: o.insecure ?? false,
      ...(couchdbUrls(o.couchdbUrl) ? { couchdbUrl: couchdbUrls(o.couchdbUrl)! } : {}),
      ...(o.couchdbReplicationUrl ? { replicationBaseUrl: o.couchdbReplicationUrl } : {}),
      ...(o.requireTotp ? { requireTotpFor: o.requireTotp } : {}),
      logger,
    });
  } catch (e) {
    if (e instanceof TlsError && e.code === 'insecure-listen') throw new CliError(e.message, 2);
    throw new CliError(`the server could not start: ${scrub((e as Error).message ?? String(e))}`, 1);
  }
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the gateway in front of the storage engine (embedded PouchDB/LevelDB by default, or CouchDB)')
    .option('--data-dir <dir>', 'data directory: embedded engine, TLS material, audit spill file', './.data/server')
    .option('--host <host>', 'address to listen on (anything but loopback needs TLS or --insecure)', '127.0.0.1')
    .option(
      '--port <port>',
      'port to listen on (0: any free port)',
      (v) => {
        try {
          return parsePort(v);
        } catch (e) {
          throw new InvalidArgumentError((e as Error).message);
        }
      },
      5985,
    )
    .option('--tls-cert <file>', 'PEM certificate to serve HTTPS with (needs --tls-key)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--self-signed', 'serve HTTPS with a generated self-signed certificate (kept in <data-dir>/tls)')
    .option('--insecure', 'allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)')
    .addOption(couchdbUrlOption('use this Apache CouchDB 3.x instead of the embedded engine'))
    .addOption(
      new Option(
        '--couchdb-replication-url <url>',
        'how CouchDB reaches itself for consolidation replications, e.g. a load balancer in front of the cluster (no credentials; default: the healthy --couchdb-url)',
      ).env('SEALTIME_COUCHDB_REPLICATION_URL'),
    )
    .option(
      '--require-totp <roles>',
      'roles that get no full session without TOTP, e.g. admin,hr (admin covers super-admin); they must set it up at their next login',
      parseRoles,
    )
    .addOption(new Option('--log-level <level>', 'log level (logs go to stderr)').choices(LEVELS).default('info'))
    .action(async (o: StartOptions) => {
      const logger = pino({ name: 'sealtime-server', level: o.logLevel }, pino.destination(2));
      const s = await runStart(o, logger);
      process.stdout.write(`sealtime-server listening on ${s.url}\n`);
      if (s.server.fingerprint) process.stdout.write(`certificate SHA-256 fingerprint: ${s.server.fingerprint}\n`);
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) {
          logger.warn({ signal }, 'second signal: exiting now');
          process.exit(1);
        }
        stopping = true;
        logger.info({ signal }, 'shutting down');
        s.close().then(
          () => {
            logger.info('stopped');
            logger.flush();
            process.exit(0);
          },
          (e: unknown) => {
            logger.error({ err: scrub((e as Error).message) }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}

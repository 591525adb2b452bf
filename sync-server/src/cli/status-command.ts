/**
 * `sealtime-server status`: asks the running server. Why not read the data
 * directory: the embedded engine's LevelDB is held by the server process
 * while it runs, and consolidation lag only exists inside that process (the
 * embedded consolidator runs there; CouchDB's _replicator is read by the
 * server too). So status is the server's own `GET /_sealtime/api/status`:
 * the same answer the admin app gets, for both engines.
 *
 * Health (GET /) needs no login; the details need an admin: --user with a
 * password (file, $SEALTIME_PASSWORD or stdin) or a session token
 * (--token-file or $SEALTIME_TOKEN).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ServerStatus } from '../api/server-status.js';
import { CliError, readSecret } from './cli-support.js';
import { requestJson } from './http-client.js';

interface StatusOptions {
  url: string;
  user?: string;
  passwordFile?: string;
  tokenFile?: string;
  ca?: string;
  json?: boolean;
}

function errorText(body: unknown): string {
  const b = body as { error?: string; reason?: string } | null;
  return b && typeof b === 'object' && b.reason ? `${b.error}: ${b.reason}` : String(body).slice(0, 200);
}

export function formatStatus(url: string, s: ServerStatus): string {
  const lines = [
    `server     ${url}  ${s.ok ? 'healthy' : 'DEGRADED'}  (version ${s.version}, up ${Math.round(s.uptimeMs / 1000)} s)`,
    `engine     ${s.engine.kind}, ${s.engine.reachable ? 'reachable' : `UNREACHABLE: ${s.engine.error}`}`,
    `devices    ${s.devices.total} enrolled, ${s.devices.live} live, ${s.devices.revoked} revoked`,
    `audit      ${s.audit.delivered} delivered, ${s.audit.queued} queued, ${s.audit.spilled} spilled${s.audit.down ? ', DATABASE DOWN' : ''}`,
    '',
    'databases',
    ...s.databases.map(
      (d) => `  ${d.name.padEnd(40)} ${d.docCount === null ? '?' : String(d.docCount).padStart(9)} docs`,
    ),
    '',
    `consolidation (${s.consolidation.employees} employees)`,
    ...Object.entries(s.consolidation.lag).map(
      ([e, l]) =>
        `  ${e.padEnd(40)} lag ${l.pending === null ? '?' : l.pending}  ${l.state}${l.lastError ? `  (${l.lastError})` : ''}`,
    ),
    '',
  ];
  return lines.join('\n');
}

async function runStatus(o: StatusOptions): Promise<void> {
  const ca = o.ca
    ? await readFile(o.ca).catch(() => {
        throw new CliError(`cannot read --ca ${o.ca}`, 2);
      })
    : undefined;
  const opts = ca ? { ca } : {};
  const health = await requestJson(o.url, 'GET', '/', opts).catch((e: unknown) => {
    throw new CliError(`server ${o.url} is not reachable: ${(e as Error).message}`);
  });
  if (health.status !== 200) throw new CliError(`server ${o.url} answered ${health.status} to a health check`);

  let token: string | undefined;
  let loggedIn = false;
  if (o.tokenFile) token = (await readSecret({ file: o.tokenFile, envName: 'SEALTIME_TOKEN', what: 'token' })).trim();
  else if (o.user) {
    const password = await readSecret({
      file: o.passwordFile,
      envName: 'SEALTIME_PASSWORD',
      what: `password of ${o.user}`,
    });
    const login = await requestJson(o.url, 'POST', '/_sealtime/api/login', {
      ...opts,
      body: { userId: o.user, password },
    });
    if (login.status !== 200) throw new CliError(`login refused: ${errorText(login.body)}`);
    token = (login.body as { token: string }).token;
    loggedIn = true;
  } else if (process.env.SEALTIME_TOKEN) token = process.env.SEALTIME_TOKEN;

  if (!token) {
    process.stdout.write(
      o.json
        ? `${JSON.stringify({ url: o.url, reachable: true })}\n`
        : `server     ${o.url}  reachable\n(log in with --user or --token-file for databases, devices and consolidation lag)\n`,
    );
    return;
  }
  try {
    const st = await requestJson(o.url, 'GET', '/_sealtime/api/status', { ...opts, token });
    if (st.status !== 200) throw new CliError(`status refused: ${errorText(st.body)}`);
    const status = st.body as ServerStatus;
    process.stdout.write(
      o.json ? `${JSON.stringify({ url: o.url, reachable: true, ...status })}\n` : formatStatus(o.url, status),
    );
    if (!status.ok) process.exitCode = 1;
  } finally {
    if (loggedIn) await requestJson(o.url, 'POST', '/_sealtime/api/logout', { ...opts, token }).catch(() => undefined);
  }
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show health, databases with document counts, devices and consolidation lag of a running server')
    .option('--url <url>', 'base URL of the running server', 'http://127.0.0.1:5985')
    .option('--user <id>', 'log in as this admin (password from --password-file, $SEALTIME_PASSWORD or stdin)')
    .option('--password-file <file>', 'read the password from the first line of this file')
    .option('--token-file <file>', 'use the session token in this file instead of logging in (or $SEALTIME_TOKEN)')
    .option('--ca <file>', 'trust this certificate, e.g. <data-dir>/tls/cert.pem of a self-signed server')
    .option('--json', 'print the status as JSON')
    .action(async (o: StatusOptions) => runStatus(o));
}

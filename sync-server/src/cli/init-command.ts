/**
 * `sealtime-server init`: creates the first super admin in the data directory
 * (or the CouchDB of --couchdb-url) while the server is stopped, then prints
 * what to do next. The password comes from --password-file, the
 * SEALTIME_INIT_PASSWORD environment variable or stdin, never from an
 * argument (arguments show in `ps` and shell history). Refuses if a super
 * admin exists already.
 */
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { systemActor } from '../auth/actor.js';
import { isAuthError } from '../auth/auth-errors.js';
import { passwordProblem } from '../auth/password.js';
import { openStorage, type OpenStorage } from '../compose.js';
import { isValidEntityId } from '../provisioning/db-names.js';
import { CliError, readSecret, scrub } from './cli-support.js';
import { couchdbUrlOption, couchdbUrls } from './couchdb-url-option.js';

interface InitOptions {
  dataDir: string;
  couchdbUrl?: string[];
  user: string;
  passwordFile?: string;
}

export function nextSteps(userId: string, where: string): string {
  const url = 'http://127.0.0.1:5985';
  return [
    `Super admin "${userId}" created (${where}).`,
    '',
    'Next steps:',
    '  1. Start the server (add --self-signed or --tls-cert/--tls-key to listen beyond this machine):',
    `       sealtime-server start --data-dir ${where.startsWith('CouchDB') ? '<dir> --couchdb-url <url>' : where}`,
    '  2. Log in (the admin app does this for you); keep the token it returns:',
    `       curl -s -X POST ${url}/_sealtime/api/login -H 'content-type: application/json' \\`,
    `            -d '{"userId":"${userId}","password":"<your password>"}'`,
    '  3. In the admin app, create the organisation keys; it shows the org signing-key fingerprint.',
    "  4. Create an enrollment code for an employee's device (one use, valid 24 h):",
    `       curl -s -X POST ${url}/_sealtime/api/enrollment-codes -H "authorization: Bearer $TOKEN" \\`,
    `            -H 'content-type: application/json' \\`,
    `            -d '{"employeeId":"alice","teamId":"team-a","orgKeyFingerprint":"<fingerprint>"}'`,
    '     and enter the returned code ("st1.…") in the agent on that employee\'s computer.',
    '',
  ].join('\n');
}

async function runInit(o: InitOptions): Promise<void> {
  if (!isValidEntityId(o.user)) throw new CliError('--user must be 1–63 lowercase letters, digits or dashes', 2);
  const password = await readSecret({
    file: o.passwordFile,
    envName: 'SEALTIME_INIT_PASSWORD',
    what: 'password',
    confirm: true,
  });
  const weak = passwordProblem(password, o.user);
  if (weak) throw new CliError(`password refused: ${weak}`, 2);

  const logger = pino({ level: 'warn' }, pino.destination(2));
  const dataDir = resolve(o.dataDir);
  let storage: OpenStorage;
  try {
    const urls = couchdbUrls(o.couchdbUrl);
    storage = await openStorage({ dataDir, ...(urls ? { couchdbUrl: urls } : {}), logger });
  } catch (e) {
    throw new CliError(
      `could not open ${couchdbUrls(o.couchdbUrl) ? 'the CouchDB' : dataDir}: ${scrub((e as Error).message)}. If a server is running on this data directory, stop it first.`,
    );
  }
  try {
    const existing = (await storage.services.store.listUsers()).filter((u) => u.role === 'super-admin');
    if (existing.length > 0) {
      throw new CliError(
        `a super admin exists already (${existing.map((u) => u.id).join(', ')}); init runs once. Manage accounts through the admin app or the API.`,
      );
    }
    await storage.services.users.createUser(systemActor('init'), { id: o.user, role: 'super-admin', password });
  } catch (e) {
    if (isAuthError(e)) throw new CliError(e.message);
    throw e;
  } finally {
    await storage.close();
  }
  process.stdout.write(nextSteps(o.user, couchdbUrls(o.couchdbUrl) ? 'CouchDB' : dataDir));
}

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('create the first super admin (run once, with the server stopped) and print the next steps')
    .option('--data-dir <dir>', 'data directory of the embedded engine', './.data/server')
    .addOption(couchdbUrlOption('initialise this Apache CouchDB instead'))
    .option('--user <id>', 'account id of the super admin', 'admin')
    .option(
      '--password-file <file>',
      'read the password from the first line of this file (else $SEALTIME_INIT_PASSWORD, else stdin)',
    )
    .action(async (o: InitOptions) => runInit(o));
}

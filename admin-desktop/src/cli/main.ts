/**
 * `sealtime-admin`: the admin side without the desktop app — organisation
 * keys, teams and employees, enrollment codes, signed policies, correction
 * decisions and day reviews, against a running sync-server.
 *
 * Secrets: passwords and passphrases come from an environment variable named
 * by a `--*-env` flag, a hidden prompt, or piped stdin — never from a flag,
 * never printed. The session token lives in <profile>/session.json (0600).
 * Exit codes: 0 ok, 2 bad input, 3 refused by the server (403), 1 anything else.
 */
import { Command, CommanderError, Option } from 'commander';
import { AdminError } from '../admin/node/index.js';
import { makeKit, type Internals } from './cli-kit.js';
import { addOrganisationCommands } from './commands/organisation-commands.js';
import { addPolicyCommands } from './commands/policy-commands.js';
import { addReviewCommands } from './commands/review-commands.js';
import { addSessionCommands } from './commands/session-commands.js';
import { addUiCommand } from './ui-command.js';

export type { Internals } from './cli-kit.js';

export function buildProgram(internals: Internals = {}): Command {
  const program = new Command('sealtime-admin')
    .description('Sealtime admin: organisation keys, employees, enrollment codes, policies, corrections and reviews')
    .version('0.1.0')
    .addOption(
      new Option('--server <url>', "the sync-server (default: $SEALTIME_SERVER, else the logged-in session's)").env(
        'SEALTIME_SERVER',
      ),
    )
    .option('--ca-file <file>', 'PEM certificate of the CA that signed a self-signed server')
    .option('--profile <dir>', 'profile directory holding the session (default ~/.config/sealtime-admin)')
    .option('--json', 'print data as JSON')
    .option(
      '--passphrase-env <VAR>',
      'environment variable holding the passphrase of your key ring (organisation, HR or team); else prompted',
    )
    .showHelpAfterError()
    .exitOverride();

  const kit = makeKit(internals);
  addSessionCommands(program, kit);
  addOrganisationCommands(program, kit);
  addPolicyCommands(program, kit);
  addReviewCommands(program, kit);
  addUiCommand(program);
  return program;
}

function exitCodeOf(err: AdminError): number {
  if (err.code === 'bad-input') return 2;
  if (err.code === 'forbidden') return 3;
  return 1;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], internals: Internals = {}): Promise<number> {
  const program = buildProgram(internals);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // help, version, or a usage error commander printed
    if (err instanceof AdminError) {
      process.stderr.write(`sealtime-admin: ${err.message}\n`);
      return exitCodeOf(err);
    }
    process.stderr.write(`sealtime-admin: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/**
 * `sealtime-server`: start, init, status, and the operations commands
 * (ops-commands.ts). Commander gives every command its --help. Failures are
 * one line on stderr and an exit code (CliError), never a stack trace, and
 * never a secret.
 */
import { Command, CommanderError } from 'commander';
import { SERVER_VERSION } from '../compose.js';
import { CliError, scrub } from './cli-support.js';
import { registerInitCommand } from './init-command.js';
import { registerOpsCommands } from './ops-commands.js';
import { registerStartCommand } from './start-command.js';
import { registerStatusCommand } from './status-command.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('sealtime-server')
    .description(
      'Sealtime sync server: the authenticating gateway in front of the storage engine (embedded PouchDB on LevelDB, or Apache CouchDB 3.x)',
    )
    .version(SERVER_VERSION)
    .showHelpAfterError('(run with --help for usage)');
  registerStartCommand(program);
  registerInitCommand(program);
  registerStatusCommand(program);
  registerOpsCommands(program);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    const code = e instanceof CliError ? e.exitCode : 1;
    process.stderr.write(`sealtime-server: ${scrub(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = code;
  }
}

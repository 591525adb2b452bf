/**
 * `sealtime-agent`: the headless agent and the commands that talk to it.
 *
 *   enroll <server-url> <code>   redeem an enrollment code, write the keystore
 *   run                          capture, seal, store, sync; serve control.sock
 *   status                       backlog, sync, keys, effective policy + sources
 *   clock-in | clock-out | break start|end | request-correction
 *   track <project> [task] | stop | projects [search]
 *   manual add | manual list     manual time entries and their approval
 *   export                       the employee's own data, decrypted, as JSON
 *
 * Commands other than enroll/run go through the running agent's control
 * socket, or open the store themselves when no agent runs. Exit codes: 0 ok,
 * 2 bad input, 1 anything else. Data goes to stdout, logs to stderr.
 */
import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { pino } from 'pino';
import { initSodium, openerKeys, toBase64, unlockKeyring } from '@sealtime/shared';
import { startAgent, type AgentHandle, type StartAgentOptions } from '../compose.js';
import { controlRequest, ControlRemoteError, ControlUnavailable } from '../control/control-client.js';
import { ControlError } from '../control/control-server.js';
import { controlHandlers } from '../control/control-handlers.js';
import type { ControlCommand } from '../control/control-protocol.js';
import { agentPaths, defaultDataDir } from '../enroll/data-dir.js';
import { enrollDevice, EnrollError } from '../enroll/enroll-device.js';
import { groupFingerprint } from '../enroll/enrollment-code.js';
import { writeOwnDataExport, type OwnDataExport } from '../export/export-own-data.js';
import { KeystoreError } from '../keystore/keystore-errors.js';
import { StoreError } from '../store/agent-store.js';
import { AGENT_VERSION } from '../version.js';
import { renderStatus } from './cli-output.js';
import { addProjectCommands } from './project-commands.js';
import { addManualCommands, MANUAL_INPUT_CODES } from './manual-commands.js';

/** Bad input: exit 2. */
class UsageError extends Error {}

interface Common {
  dataDir?: string;
  json?: boolean;
  passphraseEnv?: string;
}

const ENV_HELP = `
Environment:
  SEALTIME_AGENT_DIR                       default data directory
  SEALTIME_AGENT_SYNC_MIN_RETRY_MS         first retry delay of sync (default 1000)
  SEALTIME_AGENT_SYNC_MAX_RETRY_MS         longest retry delay of sync (default 300000)
  SEALTIME_AGENT_RECONCILE_MS              how often the backlog is reconciled with sync (default 2000)
  SEALTIME_AGENT_SCREENSHOT_INTERVAL_MS    test knob: fixed screenshot interval
  SEALTIME_AGENT_WINDOW_INTERVAL_MS        test knob: window sampling interval
The policy comes only from signed inbox documents; there is no override.`;

function common(cmd: Command, opts: { json?: boolean } = { json: true }): Command {
  cmd.addOption(
    new Option(
      '--data-dir <dir>',
      'agent data directory (default: $SEALTIME_AGENT_DIR, $XDG_DATA_HOME/sealtime-agent, ~/.local/share/sealtime-agent)',
    ),
  );
  cmd.addOption(
    new Option(
      '--passphrase-env <VAR>',
      'read the keystore passphrase from this environment variable (keystores enrolled with one)',
    ),
  );
  if (opts.json) cmd.addOption(new Option('--json', 'print JSON'));
  return cmd;
}

function dataDirOf(o: Common): string {
  return o.dataDir ?? defaultDataDir();
}

function passphraseOf(o: Common): string | undefined {
  if (!o.passphraseEnv) return undefined;
  const v = process.env[o.passphraseEnv];
  if (v === undefined || v === '') throw new UsageError(`the environment variable ${o.passphraseEnv} is empty`);
  return v;
}

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number of milliseconds`);
  return n;
}

function print(data: unknown, json: boolean | undefined, human: () => string): void {
  process.stdout.write((json ? JSON.stringify(data, null, 2) : human()) + '\n');
}

/** Through the running agent when its socket answers, else on the store directly. */
async function viaAgent(o: Common, cmd: ControlCommand, args: Record<string, unknown> = {}): Promise<unknown> {
  const paths = agentPaths(dataDirOf(o));
  try {
    return await controlRequest(paths.controlSocket, cmd, args);
  } catch (err) {
    if (!(err instanceof ControlUnavailable)) throw err;
  }
  let agent: AgentHandle;
  try {
    agent = await startAgent({
      dataDir: paths.dataDir,
      mode: 'offline',
      ...(passphraseOf(o) !== undefined ? { passphrase: passphraseOf(o)! } : {}),
    });
  } catch (err) {
    if (!(err instanceof StoreError && err.code === 'locked')) throw err;
    // an agent that is starting holds the store before its socket listens
    try {
      return await controlRequest(paths.controlSocket, cmd, args);
    } catch (again) {
      if (!(again instanceof ControlUnavailable)) throw again;
    }
    throw new Error(
      `the store in ${paths.store} is held by a running agent whose control socket does not answer; try again`,
    );
  }
  try {
    return await controlHandlers(agent)[cmd](args);
  } finally {
    await agent.stop();
  }
}

function attendanceCommand(program: Command, name: string, cmd: ControlCommand, description: string): void {
  common(program.command(name).description(description)).action(async (o: Common) => {
    const st = (await viaAgent(o, cmd)) as { state: string; since: number | null };
    print(st, o.json, () => `${cmd}: now ${st.state}${st.since ? ` since ${new Date(st.since).toISOString()}` : ''}`);
  });
}

export function buildProgram(): Command {
  const program = new Command('sealtime-agent')
    .description('Sealtime agent: records work time and activity under the organisation policy, sealed on this device')
    .version(AGENT_VERSION)
    .showHelpAfterError()
    .exitOverride();

  common(
    program.command('enroll').description('redeem an enrollment code: creates the device signing key and the keystore'),
  )
    .argument('<server-url>', 'the sync-server, e.g. https://sync.example.org:8443')
    .argument('<code>', 'the enrollment code from your admin (st1.<secret>.<fingerprint>)')
    .option('--name <name>', 'a name for this device (default: the host name)')
    .option('--ca-file <file>', 'PEM certificate of the CA that signed a self-signed server')
    .option('--force', 'replace an existing enrollment in this data directory')
    .action(
      async (serverUrl: string, code: string, o: Common & { name?: string; caFile?: string; force?: boolean }) => {
        const passphrase = passphraseOf(o);
        const r = await enrollDevice({
          paths: agentPaths(dataDirOf(o)),
          serverUrl,
          code,
          ...(o.name ? { name: o.name } : {}),
          ...(o.caFile ? { caFile: o.caFile } : {}),
          ...(passphrase !== undefined ? { passphrase } : {}),
          ...(o.force ? { force: true } : {}),
        });
        print(
          r,
          o.json,
          () =>
            `enrolled device ${r.deviceId} for employee ${r.employeeId}${r.teamId ? ` (team ${r.teamId})` : ''}\norganisation key ${groupFingerprint(r.orgKeyFingerprint)} (matches the code)`,
        );
      },
    );

  common(
    program.command('run').description('run the headless agent until SIGINT/SIGTERM').addHelpText('after', ENV_HELP),
    { json: true },
  )
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'info')
    .action(async (o: Common & { logLevel: string }) => {
      if (process.env.SEALTIME_AGENT_POLICY_OVERRIDE !== undefined)
        throw new UsageError(
          'SEALTIME_AGENT_POLICY_OVERRIDE is not supported: the policy comes only from signed inbox documents',
        );
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(o.logLevel))
        throw new UsageError(`unknown log level '${o.logLevel}'`);
      const logger = pino({ name: 'sealtime-agent', level: o.logLevel }, pino.destination(2));
      const passphrase = passphraseOf(o);
      const minRetryMs = envInt('SEALTIME_AGENT_SYNC_MIN_RETRY_MS');
      const maxRetryMs = envInt('SEALTIME_AGENT_SYNC_MAX_RETRY_MS');
      const reconcileMs = envInt('SEALTIME_AGENT_RECONCILE_MS');
      const shots = envInt('SEALTIME_AGENT_SCREENSHOT_INTERVAL_MS');
      const windowMs = envInt('SEALTIME_AGENT_WINDOW_INTERVAL_MS');
      const opts: StartAgentOptions = {
        dataDir: dataDirOf(o),
        mode: 'run',
        logger,
        ...(passphrase !== undefined ? { passphrase } : {}),
        sync: {
          ...(minRetryMs !== undefined ? { minRetryMs } : {}),
          ...(maxRetryMs !== undefined ? { maxRetryMs } : {}),
          ...(reconcileMs !== undefined ? { reconcileMs } : {}),
        },
        ...(shots ? { screenshotIntervalMs: shots } : {}),
        ...(windowMs ? { windowIntervalMs: windowMs } : {}),
      };
      const agent = await startAgent(opts);
      const started = {
        event: 'running',
        deviceId: agent.info.deviceId,
        employeeId: agent.info.employeeId,
        controlSocket: agent.paths.controlSocket,
        pid: process.pid,
      };
      print(
        started,
        o.json,
        () => `sealtime-agent running: device ${started.deviceId}, control socket ${started.controlSocket}`,
      );
      await new Promise<void>((resolve) => {
        let stopping = false;
        const onSignal = (sig: NodeJS.Signals) => {
          if (stopping) {
            logger.warn({ sig }, 'second signal: exiting now');
            process.exit(1);
          }
          stopping = true;
          logger.info({ sig }, 'stopping');
          agent.stop().then(resolve, (err: Error) => {
            logger.error({ err: err.message }, 'stop failed');
            resolve();
          });
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      // everything is durable and closed: timers of children being restarted or
      // sockets being torn down must not keep the process alive
      logger.flush();
      setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref();
    });

  common(
    program
      .command('status')
      .description(
        'backlog, last sync, keys, capture state and the effective policy with the level that set each value',
      ),
  ).action(async (o: Common) => {
    const s = (await viaAgent(o, 'status')) as Parameters<typeof renderStatus>[0];
    print(s, o.json, () => renderStatus(s));
  });

  attendanceCommand(program, 'clock-in', 'clock-in', 'clock in (one sealed attendance record)');
  attendanceCommand(program, 'clock-out', 'clock-out', 'clock out (ends a running break first)');
  common(program.command('break').description('start or end a break'))
    .argument('<action>', 'start or end')
    .action(async (action: string, o: Common) => {
      if (action !== 'start' && action !== 'end') throw new UsageError(`break takes 'start' or 'end', not '${action}'`);
      const cmd = action === 'start' ? 'break-start' : 'break-end';
      const st = (await viaAgent(o, cmd)) as { state: string };
      print(st, o.json, () => `${cmd}: now ${st.state}`);
    });

  addProjectCommands<Common>(program, { common: (c) => common(c), viaAgent, print });

  common(
    program
      .command('request-correction')
      .description('ask HR to add, remove or move a clock event; the decision comes back to this device'),
  )
    .requiredOption('--date <YYYY-MM-DD>', 'the day the correction is about')
    .addOption(new Option('--change <change>', 'what to do').choices(['add', 'remove', 'move']).makeOptionMandatory())
    .addOption(
      new Option('--type <type>', 'the attendance event')
        .choices(['clock-in', 'clock-out', 'break-start', 'break-end'])
        .makeOptionMandatory(),
    )
    .option('--at <ISO>', 'the proposed time (add, move), e.g. 2026-03-02T08:30:00+01:00')
    .option('--target <recordId>', 'the record to remove or move (<deviceId>:<seq>)')
    .requiredOption('--reason <text>', 'why')
    .action(
      async (
        o: Common & { date: string; change: string; type: string; at?: string; target?: string; reason: string },
      ) => {
        const r = (await viaAgent(o, 'request-correction', {
          date: o.date,
          change: o.change,
          type: o.type,
          at: o.at,
          target: o.target,
          reason: o.reason,
        })) as { requestId: string };
        print(r, o.json, () => `correction requested: ${r.requestId} (pending HR decision)`);
      },
    );

  addManualCommands<Common>(program, { common: (c) => common(c), viaAgent, print });

  common(
    program
      .command('export')
      .description("the employee's own data, decrypted with their key, as JSON (privacy centre)"),
    { json: false },
  )
    .option('--out <file>', 'write to this file (0600) instead of stdout')
    .requiredOption('--keyring <file>', "the employee's key ring (JSON), unlocked with its passphrase")
    .option(
      '--keyring-passphrase-env <VAR>',
      'environment variable holding the key ring passphrase',
      'SEALTIME_KEYRING_PASSPHRASE',
    )
    .option('--images', 'include the decrypted screenshot images (base64)')
    .action(async (o: Common & { out?: string; keyring: string; keyringPassphraseEnv: string; images?: boolean }) => {
      await initSodium();
      let doc: unknown;
      try {
        doc = JSON.parse(await readFile(o.keyring, 'utf8'));
      } catch (err) {
        throw new UsageError(`cannot read the key ring ${o.keyring}: ${(err as Error).message}`);
      }
      const pass = process.env[o.keyringPassphraseEnv];
      if (!pass) throw new UsageError(`set ${o.keyringPassphraseEnv} to the key ring passphrase`);
      const unlocked = unlockKeyring(doc, pass);
      if (!unlocked.ok) throw new UsageError(`the key ring does not open: ${unlocked.error.message}`);
      const keyPairs = openerKeys(unlocked.value).map((k) => ({
        publicKey: toBase64(k.publicKey),
        secretKey: toBase64(k.secretKey),
      }));
      const data = (await viaAgent(o, 'export', { keyPairs, includeImages: o.images === true })) as OwnDataExport;
      if (o.out) {
        await writeOwnDataExport(o.out, data);
        process.stderr.write(
          `exported ${data.summary.records} record(s) (${data.summary.readable} readable) to ${o.out}\n`,
        );
      } else process.stdout.write(JSON.stringify(data, null, 2) + '\n');
    });

  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // help, version, or a usage error commander printed
    const { code, message } = describeError(err);
    process.stderr.write(`sealtime-agent: ${message}\n`);
    return code;
  }
}

function describeError(err: unknown): { code: number; message: string } {
  if (err instanceof UsageError) return { code: 2, message: err.message };
  if (err instanceof EnrollError) return { code: err.code === 'bad-input' ? 2 : 1, message: err.message };
  const input = (code: string) => code === 'bad-request' || MANUAL_INPUT_CODES.includes(code);
  if (err instanceof ControlError) return { code: input(err.code) ? 2 : 1, message: err.message };
  if (err instanceof ControlRemoteError)
    return { code: input(err.code) || err.code === 'unknown-command' ? 2 : 1, message: err.message };
  if (err instanceof KeystoreError) return { code: 1, message: err.message };
  return { code: 1, message: err instanceof Error ? err.message : String(err) };
}

/**
 * Operations commands of `sealtime-server` (purge, erase-employee, backup,
 * restore). Registered on the program built in main.ts.
 *
 * Each opens the engine itself: `--couchdb-url`, or the embedded engine in
 * `--data-dir` (which must not be in use by a running server). Messages go
 * through commander's output configuration, so a caller (or a test) decides
 * where they land; progress bars draw on stderr. Exit codes: 0 done, 1 the
 * operation failed, 2 bad input (a date, an id, a refused confirmation).
 */
import { createInterface } from 'node:readline/promises';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { pino } from 'pino';
import { isValid, parseISO } from 'date-fns';
import { AuditLog, type AuditEvent, type AuditSink } from '../audit/audit-log.js';
import { systemActor } from '../auth/actor.js';
import type { Engine } from '../engine/engine.js';
import { redactUrl } from '../engine/engine-errors.js';
import { dbNames, isValidEntityId } from '../provisioning/db-names.js';
import { backup } from '../ops/backup.js';
import { eraseEmployee } from '../ops/erase-employee.js';
import { openOpsEngine } from '../ops/open-ops-engine.js';
import type { OpsContext, ProgressSink } from '../ops/ops-context.js';
import { OpsError } from '../ops/ops-errors.js';
import { purgeBefore } from '../ops/purge.js';
import { restore } from '../ops/restore.js';
import { couchdbUrlOption, couchdbUrls, shownUrls } from './couchdb-url-option.js';

const DEFAULT_DATA_DIR = './.data/server';

interface EngineFlags {
  dataDir: string;
  couchdbUrl?: string[];
}

interface Output {
  out(text: string): void;
  err(text: string): void;
}

function outputOf(cmd: Command): Output {
  const cfg = cmd.configureOutput();
  const out = cfg.writeOut ?? ((s: string) => process.stdout.write(s));
  const err = cfg.writeErr ?? ((s: string) => process.stderr.write(s));
  return { out: (t) => out(`${t}\n`), err: (t) => err(`${t}\n`) };
}

function withEngineFlags(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', "the server's data directory (embedded engine in <dir>/engine)", DEFAULT_DATA_DIR)
    .addOption(couchdbUrlOption('Apache CouchDB base URL, instead of the embedded engine'));
}

/** ISO date (local midnight) or date-time; anything else is refused. */
export function parseDateArg(text: string): Date {
  const trimmed = text.trim();
  const date = /^\d{4}-\d{2}-\d{2}([T ].+)?$/.test(trimmed) ? parseISO(trimmed) : new Date(Number.NaN);
  if (!isValid(date)) {
    throw new OpsError(
      'invalid-input',
      `--before ${JSON.stringify(text)} is not a date: use an ISO date (2025-01-31, local midnight) or date-time (2025-01-31T18:00:00Z)`,
    );
  }
  return date;
}

/** cli-progress on stderr; on a non-terminal it stays silent (no control codes in logs). */
function progressBar(): ProgressSink {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{op} [{bar}] {percentage}% | {value}/{total} | {what}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let op = '';
  return {
    start(total, label) {
      op = label;
      bar.start(total, 0, { op, what: '' });
    },
    advance(n, label) {
      bar.increment(n, label !== undefined ? { op, what: label } : { op });
    },
    setTotal(total) {
      bar.setTotal(total);
    },
    stop() {
      bar.stop();
    },
  };
}

/** Holds audit events while the operation runs; they are written once st-audit is sure to exist. */
class HeldAudit implements AuditSink {
  readonly events: AuditEvent[] = [];
  record(event: AuditEvent): string {
    this.events.push(event);
    return `held-${this.events.length}`;
  }
}

async function writeAudit(engine: Engine, flags: EngineFlags, held: HeldAudit, out: Output): Promise<void> {
  if (held.events.length === 0) return;
  const log = await AuditLog.open(engine.nano.use(dbNames.audit), {
    spillPath: join(resolve(flags.dataDir), 'ops-audit-spill.jsonl'),
    logger: pino({ level: 'silent' }),
  });
  for (const e of held.events) log.record(e);
  try {
    await log.flush(10_000);
  } catch {
    out.err(
      `warning: the audit trail could not be written now; the entries are kept in ${join(resolve(flags.dataDir), 'ops-audit-spill.jsonl')}`,
    );
  }
  await log.close();
}

type Operation<T> = (ctx: OpsContext) => Promise<T>;

/** Opens the engine, runs, audits, closes; maps failures to exit codes. */
async function run<T>(
  cmd: Command,
  flags: EngineFlags,
  opts: { mustExist: boolean },
  op: Operation<T>,
  report: (r: T, out: Output) => void,
): Promise<void> {
  const out = outputOf(cmd);
  let engine: Engine | null = null;
  try {
    const urls = couchdbUrls(flags.couchdbUrl);
    engine = await openOpsEngine({
      dataDir: flags.dataDir,
      ...(urls ? { couchdbUrl: urls } : {}),
      mustExist: opts.mustExist,
    });
    const held = new HeldAudit();
    const result = await op({ engine, audit: held, actor: systemActor('cli'), progress: progressBar() });
    await writeAudit(engine, flags, held, out);
    report(result, out);
  } catch (e) {
    fail(out, e);
  } finally {
    await engine?.close().catch(() => undefined);
  }
}

function fail(out: Output, e: unknown): void {
  if (e instanceof OpsError) {
    out.err(`error: ${e.message}`);
    process.exitCode = e.code === 'invalid-input' ? 2 : 1;
    return;
  }
  // engine and HTTP errors: their messages carry no credentials (URLs are redacted where they are built)
  const message = (e as Error)?.message ?? String(e);
  out.err(`error: ${message.replace(/\/\/[^/@\s]+@/g, '//***@')}`);
  process.exitCode = 1;
}

async function confirmErase(cmd: Command, flags: EngineFlags, employeeId: string): Promise<boolean> {
  const out = outputOf(cmd);
  const urls = couchdbUrls(flags.couchdbUrl);
  const where = urls ? shownUrls(urls, redactUrl) : resolve(flags.dataDir);
  const lines = [
    `This permanently erases employee ${employeeId} on ${where}:`,
    `  - revokes all of their devices and cancels unused enrollment codes;`,
    `  - destroys their key rings (wrapped private keys) in every inbox and in ${dbNames.orgDirectory}:`,
    `    records sealed to their personal key become unreadable for good, in backups too;`,
    `  - deletes ${dbNames.employeeRecords(employeeId)}, ${dbNames.employeeBlobs(employeeId)} and ${dbNames.employeeInbox(employeeId)};`,
    `  - removes their records from ${dbNames.orgRecords}, the team databases and ${dbNames.hrAttendance}.`,
    `This cannot be undone.`,
  ];
  out.err(lines.join('\n'));
  if (!process.stdin.isTTY) {
    out.err('error: not confirmed: pass --yes to erase without a prompt');
    process.exitCode = 2;
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Type the employee id (${employeeId}) to confirm: `);
    if (answer.trim() === employeeId) return true;
    out.err('error: not confirmed; nothing was changed');
    process.exitCode = 2;
    return false;
  } finally {
    rl.close();
  }
}

export function registerOpsCommands(program: Command): void {
  withEngineFlags(
    program
      .command('purge')
      .description(
        'remove for good every record and screenshot created before DATE (optionally of one employee), from employee and consolidated databases',
      )
      .requiredOption('--before <date>', 'ISO date (local midnight) or date-time; records created earlier are removed')
      .option('--employee <id>', 'only this employee'),
  ).action(async function (this: Command, o: EngineFlags & { before: string; employee?: string }) {
    let before: Date;
    try {
      before = parseDateArg(o.before);
      if (o.employee !== undefined && !isValidEntityId(o.employee))
        throw new OpsError(
          'invalid-input',
          `--employee ${JSON.stringify(o.employee)} is not an employee id (lowercase letters, digits, dashes)`,
        );
    } catch (e) {
      return fail(outputOf(this), e);
    }
    await run(
      this,
      o,
      { mustExist: true },
      (ctx) => purgeBefore(ctx, { before, ...(o.employee ? { employeeId: o.employee } : {}) }),
      (r, out) => {
        for (const d of r.databases) if (d.removed > 0) out.out(`${d.db}: removed ${d.removed} of ${d.examined}`);
        out.out(
          `purged ${r.removed} documents created before ${r.before}${r.employeeId ? ` (employee ${r.employeeId})` : ''}`,
        );
      },
    );
  });

  withEngineFlags(
    program
      .command('erase-employee')
      .description(
        'erase an employee irreversibly: revoke devices, destroy their keys (crypto-shredding), delete their databases and consolidated copies',
      )
      .argument('<id>', 'employee id')
      .option('--yes', 'do not ask for confirmation'),
  ).action(async function (this: Command, id: string, o: EngineFlags & { yes?: boolean }) {
    if (!isValidEntityId(id))
      return fail(
        outputOf(this),
        new OpsError(
          'invalid-input',
          `${JSON.stringify(id)} is not an employee id (lowercase letters, digits, dashes)`,
        ),
      );
    if (!o.yes && !(await confirmErase(this, o, id))) return;
    await run(
      this,
      o,
      { mustExist: true },
      (ctx) => eraseEmployee(ctx, id),
      (r, out) => {
        out.out(`erased employee ${r.employeeId}`);
        out.out(`  devices revoked: ${r.devicesRevoked}; enrollment codes cancelled: ${r.enrollmentsCancelled}`);
        out.out(
          `  key-ring documents destroyed: ${Object.values(r.keyringDocs).reduce((a, b) => a + b, 0)} (${Object.keys(r.keyringDocs).join(', ') || 'none found'})`,
        );
        out.out(`  consolidated records removed: ${Object.values(r.consolidatedDocs).reduce((a, b) => a + b, 0)}`);
        out.out(`  databases deleted: ${r.databasesDeleted.join(', ') || 'none'}`);
      },
    );
  });

  withEngineFlags(
    program
      .command('backup')
      .description('write every sealtime database into one gzip NDJSON file')
      .argument('<file>', 'backup file to write (replaced when complete)'),
  ).action(async function (this: Command, file: string, o: EngineFlags) {
    await run(
      this,
      o,
      { mustExist: true },
      (ctx) => backup(ctx, resolve(file)),
      (r, out) => {
        out.out(`backed up ${r.docs} documents from ${r.databases.length} databases into ${r.file} (${r.bytes} bytes)`);
      },
    );
  });

  withEngineFlags(
    program
      .command('restore')
      .description('restore a backup file into an empty engine and verify it')
      .argument('<file>', 'backup file written by `backup`')
      .option('--force', 'write into databases that already hold documents (merging, as replication would)'),
  ).action(async function (this: Command, file: string, o: EngineFlags & { force?: boolean }) {
    await run(
      this,
      o,
      { mustExist: false },
      (ctx) => restore(ctx, resolve(file), { force: o.force === true }),
      (r, out) => {
        out.out(`restored ${r.docs} documents into ${r.databases.length} databases; every document verified present`);
      },
    );
  });
}

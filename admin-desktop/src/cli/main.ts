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
import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { homedir } from 'node:os';
import {
  addEmployee,
  AdminError,
  createTeam,
  decideCorrection,
  defaultProfileDir,
  initOrganisation,
  issueEnrollmentCode,
  listCorrections,
  login,
  logout,
  secondFactorOf,
  openContext,
  reviewDay,
  setPolicy,
  showPolicy,
  withdrawPolicy,
  type ContextOptions,
} from '../admin/node/index.js';
import type { PwhashParams } from '@sealtime/shared';
import { renderCorrections, renderPolicy, renderReview } from './output.js';
import { SecretReader } from './passphrase-input.js';
import { addUiCommand } from './ui-command.js';

interface Globals {
  server?: string;
  caFile?: string;
  profile?: string;
  json?: boolean;
  passphraseEnv?: string;
}

/** Internal knobs for in-process tests; never reachable from a flag. */
export interface Internals {
  params?: Pick<PwhashParams, 'opsLimit' | 'memLimitBytes'>;
  secrets?: SecretReader;
}

const collect = (v: string, prev: string[]) => [...prev, v];
const parseTtl = (raw: string): number => {
  const m = /^(\d+)(m|h|d)$/.exec(raw.trim());
  if (!m) throw new AdminError('bad-input', `--ttl takes e.g. 30m, 24h or 7d, not '${raw}'`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
};

export function buildProgram(internals: Internals = {}): Command {
  const secrets = internals.secrets ?? new SecretReader();
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

  const g = (cmd: Command): Globals => cmd.optsWithGlobals<Globals>();
  const ctxOpts = (o: Globals): ContextOptions => ({
    profileDir: o.profile ?? defaultProfileDir(),
    ...(o.server ? { server: o.server } : {}),
    ...(o.caFile ? { caFile: o.caFile } : {}),
    ...(internals.params ? { params: internals.params } : {}),
  });
  const print = (o: Globals, data: unknown, human: () => string) =>
    process.stdout.write((o.json ? JSON.stringify(data, null, 2) : human()) + '\n');
  const passphrase = (o: Globals, label = 'organisation key ring passphrase') => secrets.read(label, o.passphraseEnv);
  const sub = (parent: Command, name: string, description: string) => {
    const c = parent.command(name).description(description);
    c.exitOverride();
    return c;
  };

  // ── session ──
  sub(program, 'login', 'log in and keep the session token in the profile (0600)')
    .argument('<userId>')
    .option('--password-env <VAR>', 'environment variable holding the password (else prompted)')
    .option(
      '--code-env <VAR>',
      'environment variable holding the TOTP code or a recovery code, when the account has TOTP (else prompted)',
    )
    .action(async (userId: string, _o, cmd: Command) => {
      const o = g(cmd) as Globals & { passwordEnv?: string; codeEnv?: string };
      const password = await secrets.read(`password for ${userId}`, o.passwordEnv);
      const s = await login(ctxOpts(o), userId, password, () =>
        secrets.read('code from your authenticator app (or a recovery code)', o.codeEnv),
      );
      const enrol = s.scope === 'totp-enrolment';
      print(
        o,
        { server: s.server, userId: s.userId, role: s.role, scope: s.scope },
        () =>
          `logged in to ${s.server} as ${s.userId} (${s.role})${enrol ? '\nthis server requires TOTP for your role: run `sealtime-admin totp enable` (nothing else works until then)' : ''}`,
      );
    });

  // ── second factor ──
  const totp = sub(program, 'totp', 'TOTP second factor of your own account');
  sub(totp, 'status', 'whether TOTP is on, and how many recovery codes are left').action(async (_o, cmd: Command) => {
    const o = g(cmd);
    const st = await (await openContext(ctxOpts(o))).client.totpStatus();
    print(
      o,
      st,
      () =>
        `TOTP ${st.enabled ? `on since ${new Date(st.enabledAt!).toISOString()}, ${st.recoveryCodesLeft} recovery codes left` : 'off'}${st.required ? ' (required for your role)' : ''}`,
    );
  });
  sub(totp, 'enable', 'set up TOTP: shows the secret once, asks for a first code, prints the recovery codes once')
    .option('--code-env <VAR>', 'environment variable holding the first code (else prompted, or read from stdin)')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { codeEnv?: string };
      const ctx = await openContext(ctxOpts(o));
      const setup = await ctx.client.totpSetup();
      // before the prompt, so the person can scan or type it into their app (stderr under --json, to keep stdout JSON)
      (o.json ? process.stderr : process.stdout).write(
        [
          'add this account to your authenticator app (shown this once):',
          `  otpauth URI: ${setup.uri}`,
          `  secret:      ${setup.secret}`,
          '',
        ].join('\n'),
      );
      const code = await secrets.read('first code from the authenticator app', o.codeEnv);
      const on = await ctx.client.totpEnable(code.trim());
      print(o, { enabled: true, uri: setup.uri, secret: setup.secret, recoveryCodes: on.recoveryCodes }, () =>
        [
          'TOTP is on; logins now need a code.',
          '!! RECOVERY CODES — shown this once, each works once. Keep them on paper, away from the phone:',
          ...on.recoveryCodes.map((c) => `   ${c}`),
        ].join('\n'),
      );
    });
  sub(totp, 'disable', 'turn TOTP off for your account (needs a current code or a recovery code)')
    .option('--code-env <VAR>', 'environment variable holding the code or recovery code (else prompted)')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { codeEnv?: string };
      const ctx = await openContext(ctxOpts(o));
      await ctx.client.totpDisable(
        secondFactorOf(await secrets.read('code from your authenticator app (or a recovery code)', o.codeEnv)),
      );
      print(o, { enabled: false }, () => 'TOTP is off');
    });
  sub(program, 'logout', 'end the session on the server and forget the token').action(async (_o, cmd: Command) => {
    const o = g(cmd);
    const r = await logout(ctxOpts(o));
    print(o, r, () =>
      r.wasLoggedIn
        ? `logged out${r.serverEnded ? '' : ' (the server did not answer; the local token is gone)'}`
        : 'not logged in',
    );
  });
  sub(program, 'whoami', "who the profile's session belongs to, as the server sees it").action(
    async (_o, cmd: Command) => {
      const o = g(cmd);
      const ctx = await openContext(ctxOpts(o));
      const me = await ctx.client.me();
      print(
        o,
        { server: ctx.client.url, ...me },
        () =>
          `${me.userId} (${me.role}) on ${ctx.client.url}${me.teams?.length ? `, teams ${me.teams.join(', ')}` : ''}${me.employeeId ? `, employee ${me.employeeId}` : ''}`,
      );
    },
  );

  // ── organisation ──
  const org = sub(program, 'org', "the organisation's key rings");
  sub(
    org,
    'init',
    'create the organisation and HR key rings, print their recovery keys once, publish them to the directory',
  )
    .requiredOption('--org <id>', 'organisation id (lowercase letters, digits, dashes)')
    .option(
      '--hr-passphrase-env <VAR>',
      'environment variable with a separate passphrase for the HR key ring (default: the organisation passphrase)',
    )
    .option('--force', 'replace an existing organisation (every enrolled device must enroll again)')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { org: string; hrPassphraseEnv?: string; force?: boolean };
      const ctx = await openContext(ctxOpts(o));
      const pass = await passphrase(o, 'new organisation key ring passphrase');
      const hrPass = o.hrPassphraseEnv ? await secrets.read('HR key ring passphrase', o.hrPassphraseEnv) : undefined;
      const r = await initOrganisation(ctx, {
        orgId: o.org,
        passphrase: pass,
        ...(hrPass ? { hrPassphrase: hrPass } : {}),
        ...(o.force ? { force: true } : {}),
      });
      print(o, r, () =>
        [
          `organisation ${r.orgId} created; key rings published to st-org-directory`,
          `organisation signing key fingerprint: ${r.fingerprint}`,
          '',
          '!! RECOVERY KEYS — shown this once, never stored anywhere. Write them on paper and keep them',
          '!! somewhere safe: without the passphrase AND without these, the data is lost for good.',
          ...r.recoveryKeys.map((k) => `   ${k.role.padEnd(12)} ${k.text}`),
        ].join('\n'),
      );
    });

  sub(sub(program, 'team', 'teams'), 'create', "create a team's key ring (its managers' key)")
    .argument('<teamId>')
    .option('--team-passphrase-env <VAR>', "environment variable with the team key ring's passphrase (else prompted)")
    .option('--force', 'replace an existing team key ring')
    .action(async (teamId: string, _o, cmd: Command) => {
      const o = g(cmd) as Globals & { teamPassphraseEnv?: string; force?: boolean };
      const ctx = await openContext(ctxOpts(o));
      const orgPassphrase = await passphrase(o);
      const teamPassphrase = await secrets.read(`new passphrase for team ${teamId}`, o.teamPassphraseEnv);
      const r = await createTeam(ctx, { teamId, orgPassphrase, teamPassphrase, ...(o.force ? { force: true } : {}) });
      print(o, r, () => `team ${r.teamId} created\n!! RECOVERY KEY (shown once, keep it on paper): ${r.recoveryKey}`);
    });

  sub(
    sub(program, 'employee', 'employees'),
    'add',
    "create an employee's key ring and directory entry (and their member account)",
  )
    .argument('<employeeId>')
    .option('--team <teamId>', 'the team they belong to')
    .option('--name <displayName>', 'their name as reviewers see it (signed into the directory entry)')
    .option(
      '--employee-passphrase-env <VAR>',
      "environment variable with the employee key ring's passphrase (else prompted)",
    )
    .option('--user <userId>', 'also create a member account with this user id')
    .option('--password-env <VAR>', "environment variable with that account's password (else prompted)")
    .option('--force', 'replace an existing employee key ring')
    .action(async (employeeId: string, _o, cmd: Command) => {
      const o = g(cmd) as Globals & {
        team?: string;
        name?: string;
        employeePassphraseEnv?: string;
        user?: string;
        passwordEnv?: string;
        force?: boolean;
      };
      const ctx = await openContext(ctxOpts(o));
      const orgPassphrase = await passphrase(o);
      const employeePassphrase = await secrets.read(
        `new key ring passphrase for ${employeeId}`,
        o.employeePassphraseEnv,
      );
      const user = o.user
        ? { id: o.user, password: await secrets.read(`password for the account ${o.user}`, o.passwordEnv) }
        : undefined;
      const r = await addEmployee(ctx, {
        employeeId,
        teamId: o.team ?? null,
        orgPassphrase,
        employeePassphrase,
        ...(o.name ? { displayName: o.name } : {}),
        ...(user ? { user } : {}),
        ...(o.force ? { force: true } : {}),
      });
      print(o, r, () =>
        [
          `employee ${r.employeeId} added${r.teamId ? ` to team ${r.teamId}` : ''}${r.userId ? `; member account ${r.userId}` : ''}`,
          r.inboxCopy
            ? 'their key ring is in their inbox'
            : 'their key ring goes to their inbox with the first enrollment code',
          `!! RECOVERY KEY for ${r.employeeId} (shown once; hand it to them on paper): ${r.recoveryKey}`,
        ].join('\n'),
      );
    });

  sub(
    program,
    'enroll-code',
    "issue an enrollment code and publish the signed recipients document to the employee's inbox",
  )
    .argument('<employeeId>')
    .option('--team <teamId>', "the team (default: the directory entry's)")
    .option('--ttl <duration>', 'how long the code is valid: 30m, 24h, 7d', '24h')
    .action(async (employeeId: string, _o, cmd: Command) => {
      const o = g(cmd) as Globals & { team?: string; ttl: string };
      const ttlMs = parseTtl(o.ttl);
      const ctx = await openContext(ctxOpts(o));
      const r = await issueEnrollmentCode(ctx, {
        employeeId,
        ...(o.team ? { teamId: o.team } : {}),
        orgPassphrase: await passphrase(o),
        ttlMs,
      });
      print(o, r, () =>
        [
          `enrollment code for ${r.employeeId}${r.teamId ? ` (team ${r.teamId})` : ''}, valid until ${new Date(r.expiresAt).toISOString()}:`,
          `  ${r.code}`,
          `organisation key fingerprint (the device checks it): ${r.fingerprint}`,
          "on the employee's device run:",
          `  ${r.agentCommand}`,
        ].join('\n'),
      );
    });

  // ── policy ──
  const policy = sub(program, 'policy', 'capture policy layers, signed by the organisation key');
  sub(policy, 'set', 'change one policy layer and publish it to every employee it concerns')
    .addOption(
      new Option('--level <level>', 'which layer')
        .choices(['organisation', 'team', 'employee', 'device'])
        .makeOptionMandatory(),
    )
    .requiredOption('--id <id>', 'the organisation, team, employee or device id')
    .option('--set <path=value>', 'a setting, e.g. screenshots.perHour=6 (repeatable)', collect, [])
    .option('--lock <path>', 'lock a setting or group for the levels below (repeatable)', collect, [])
    .option('--unlock <path>', 'remove a lock (repeatable)', collect, [])
    .option('--replace', 'start from an empty layer instead of the one in force')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & {
        level: string;
        id: string;
        set: string[];
        lock: string[];
        unlock: string[];
        replace?: boolean;
      };
      const ctx = await openContext(ctxOpts(o));
      const r = await setPolicy(ctx, {
        level: o.level,
        id: o.id,
        set: o.set,
        lock: o.lock,
        unlock: o.unlock,
        ...(o.replace ? { replace: true } : {}),
        orgPassphrase: await passphrase(o),
      });
      print(o, r, () =>
        [
          `published ${r.docId} to ${r.publishedTo.length} inbox(es)${r.publishedTo.length ? `: ${r.publishedTo.join(', ')}` : ''}`,
          `  settings ${JSON.stringify(r.layer.settings)}${r.layer.locked?.length ? `, locked ${r.layer.locked.join(', ')}` : ''}`,
          ...(r.notProvisioned.length
            ? [`  not enrolled yet (they get it with their enrollment code): ${r.notProvisioned.join(', ')}`]
            : []),
        ].join('\n'),
      );
    });
  sub(
    policy,
    'withdraw',
    'take a policy layer away: a withdrawal signed by the organisation key replaces it everywhere',
  )
    .addOption(
      new Option('--level <level>', 'which layer')
        .choices(['organisation', 'team', 'employee', 'device'])
        .makeOptionMandatory(),
    )
    .requiredOption('--id <id>', 'the organisation, team, employee or device id')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { level: string; id: string };
      const ctx = await openContext(ctxOpts(o));
      const r = await withdrawPolicy(ctx, { level: o.level, id: o.id, orgPassphrase: await passphrase(o) });
      print(
        o,
        r,
        () =>
          `withdrew ${r.docId} in ${r.publishedTo.length} inbox(es)${r.publishedTo.length ? `: ${r.publishedTo.join(', ')}` : ''}`,
      );
    });
  sub(policy, 'show', 'the effective policy of an employee, with the level that set each value')
    .argument('<employeeId>')
    .action(async (employeeId: string, _o, cmd: Command) => {
      const o = g(cmd);
      const ctx = await openContext(ctxOpts(o));
      const v = await showPolicy(ctx, employeeId);
      print(o, v, () => renderPolicy(v));
    });

  // ── corrections ──
  const corrections = sub(program, 'corrections', 'attendance correction requests (HR and admins)');
  const keyringFileOpt = () =>
    new Option(
      '--keyring-file <file>',
      'your key ring as a file (older set-ups; without it the server hands HR and managers the ring their role holds)',
    );
  sub(corrections, 'list', 'pending requests with employee, date, change and reason')
    .option('--employee <id>', 'only this employee')
    .option('--all', 'include decided requests')
    .addOption(keyringFileOpt())
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { employee?: string; all?: boolean; keyringFile?: string };
      const ctx = await openContext(ctxOpts(o));
      const rows = await listCorrections(ctx, {
        passphrase: await passphrase(o, 'key ring passphrase'),
        ...(o.employee ? { employeeId: o.employee } : {}),
        ...(o.all ? { all: true } : {}),
        ...(o.keyringFile ? { keyringFile: o.keyringFile } : {}),
      });
      print(o, rows, () => renderCorrections(rows));
    });
  sub(
    corrections,
    'decide',
    "approve or reject a request: a decision signed by the HR key, sent to the employee's device",
  )
    .argument('<requestId>')
    .argument('<decision>', 'approve or reject')
    .option('--comment <text>', 'shown to the employee')
    .addOption(keyringFileOpt())
    .action(async (requestId: string, decision: string, _o, cmd: Command) => {
      const o = g(cmd) as Globals & { comment?: string; keyringFile?: string };
      if (decision !== 'approve' && decision !== 'reject')
        throw new AdminError('bad-input', `decide takes approve or reject, not '${decision}'`);
      const ctx = await openContext(ctxOpts(o));
      const r = await decideCorrection(ctx, {
        requestId,
        decision,
        ...(o.comment ? { comment: o.comment } : {}),
        passphrase: await passphrase(o, 'HR key ring passphrase'),
        ...(o.keyringFile ? { keyringFile: o.keyringFile } : {}),
      });
      print(o, r, () => `${r.requestId} ${r.decision}; the signed decision is in ${r.employeeId}'s inbox`);
    });

  // ── review ──
  sub(program, 'review', "one employee's day as your role may read it, with each device's chain checked")
    .argument('<employeeId>')
    .option('--date <YYYY-MM-DD>', 'the day (default today)')
    .option('--tz <zone>', "IANA time zone of the day (default this machine's)")
    .option('--team <teamId>', 'managers of several teams: which team database')
    .addOption(keyringFileOpt())
    .action(async (employeeId: string, _o, cmd: Command) => {
      const o = g(cmd) as Globals & { date?: string; tz?: string; team?: string; keyringFile?: string };
      const ctx = await openContext(ctxOpts(o));
      const d = await reviewDay(ctx, {
        employeeId,
        ...(o.date ? { date: o.date } : {}),
        ...(o.tz ? { timeZone: o.tz } : {}),
        ...(o.team ? { team: o.team } : {}),
        passphrase: await passphrase(o, 'key ring passphrase'),
        ...(o.keyringFile ? { keyringFile: o.keyringFile } : {}),
      });
      print(o, d, () => renderReview(d));
    });

  // ── key ring hand-over ──
  sub(
    sub(program, 'keyring', 'key ring files'),
    'export',
    'write a verified key ring (wrapped secrets only) to a file, for HR or a manager',
  )
    .addOption(
      new Option('--role <role>', 'whose ring')
        .choices(['organisation', 'hr', 'team', 'employee'])
        .makeOptionMandatory(),
    )
    .option('--id <id>', 'team or employee id (organisation and HR: the organisation)')
    .requiredOption('--out <file>', 'where to write it (0600)')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { role: 'organisation' | 'hr' | 'team' | 'employee'; id?: string; out: string };
      const ctx = await openContext(ctxOpts(o));
      const orgRing = await ctx.custody.orgRing();
      const doc =
        o.role === 'organisation'
          ? orgRing.doc
          : await ctx.custody.requireRing(o.role, o.id ?? orgRing.orgId, orgRing.signPublicKey);
      await writeFile(o.out, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600, flag: 'w' });
      print(
        o,
        { role: doc.role, ownerId: doc.ownerId, out: o.out },
        () => `wrote the ${doc.role} key ring ${doc.ownerId} to ${o.out.replace(homedir(), '~')}`,
      );
    });

  // ── integrity ──
  sub(
    program,
    'alerts',
    'integrity alerts: sealed records or images the server refused as forged, chain-breaking or forked',
  )
    .option('--since <time>', 'from this time on (ISO date or epoch ms; default: all)')
    .option('--limit <n>', 'at most this many (1-1000)', '100')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { since?: string; limit: string };
      const since = o.since === undefined ? undefined : /^\d+$/.test(o.since) ? Number(o.since) : Date.parse(o.since);
      if (since !== undefined && !Number.isFinite(since))
        throw new AdminError('bad-input', `--since takes an ISO date or epoch milliseconds, not '${o.since}'`);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new AdminError('bad-input', '--limit takes a whole number from 1 to 1000');
      const ctx = await openContext(ctxOpts(o));
      const r = await ctx.client.alerts({ ...(since !== undefined ? { since } : {}), limit });
      print(o, r, () =>
        r.alerts.length === 0
          ? 'no integrity alerts'
          : r.alerts
              .map(
                (a) =>
                  `${a.atIso}  ${a.code.padEnd(13)} device ${a.deviceId ?? '?'} (${a.employeeId ?? '?'})${a.seq !== null ? ` seq ${a.seq}` : ''}: ${a.reason}`,
              )
              .join('\n') + (r.next !== undefined ? `\n(more: --since ${r.next})` : ''),
      );
    });

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

/** sealtime-admin: the organisation, its teams, employees, accounts and enrollment codes. */
import { Command } from 'commander';
import { addEmployee, createTeam, initOrganisation, issueEnrollmentCode, openContext } from '../../admin/node/index.js';
import { parseTtl, type CliKit, type Globals } from '../cli-kit.js';

export function addOrganisationCommands(program: Command, kit: CliKit): void {
  const { g, ctxOpts, print, passphrase, sub, secrets } = kit;
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
}

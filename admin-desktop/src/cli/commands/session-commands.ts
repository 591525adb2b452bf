/** sealtime-admin: log in, and the TOTP second factor of your own account. */
import { Command } from 'commander';
import { login, logout, secondFactorOf, openContext } from '../../admin/node/index.js';
import { type CliKit, type Globals } from '../cli-kit.js';

export function addSessionCommands(program: Command, kit: CliKit): void {
  const { g, ctxOpts, print, sub, secrets } = kit;
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
}

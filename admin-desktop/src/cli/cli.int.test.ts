// The real bin (tsx, commander) as a child process against a real server:
// help, login/whoami/logout with a 0600 session file, org init printing the
// recovery keys once, a wrong passphrase and a member's 403 as clear errors
// with distinct exit codes — and no token or passphrase ever on the output.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PASSPHRASE,
  ROOT_PASSWORD,
  startAdminTestServer,
  type AdminTestServer,
} from '../admin/test-support/admin-server.js';

const BIN = fileURLToPath(new URL('../../bin/sealtime-admin.js', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, SEALTIME_SERVER: '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

describe('sealtime-admin CLI', () => {
  it('logs in, creates the organisation, and refuses a wrong passphrase and a member clearly', async () => {
    const srv: AdminTestServer = await startAdminTestServer();
    cleanups.push(() => srv.close());
    const profile = await srv.profile();
    const env = {
      SEALTIME_SERVER: srv.url,
      ROOT_PW: ROOT_PASSWORD,
      ORG_PP: PASSPHRASE,
      EMP_PP: 'bob own passphrase',
      BOB_PW: 'member password for B 1',
      BAD_PP: 'not the passphrase at all',
    };

    const help = await run(['org', 'init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--org <id>/);

    const noSession = await run(['--profile', profile, 'whoami'], env);
    expect(noSession.code).toBe(1);
    expect(noSession.stderr).toMatch(/not logged in/);

    // the password piped on stdin (no TTY), as scripts do
    const loggedIn = await run(['--profile', profile, 'login', 'root'], env, `${ROOT_PASSWORD}\n`);
    expect(loggedIn.stderr).toBe('');
    expect(loggedIn.code).toBe(0);
    expect(loggedIn.stdout).toMatch(/logged in to .* as root \(super-admin\)/);
    const sessionFile = join(profile, 'session.json');
    expect((await stat(sessionFile)).mode & 0o777).toBe(0o600);
    const token = (JSON.parse(await readFile(sessionFile, 'utf8')) as { token: string }).token;

    const who = await run(['--profile', profile, '--json', 'whoami'], env);
    expect(JSON.parse(who.stdout)).toMatchObject({ userId: 'root', role: 'super-admin', server: srv.url });

    const init = await run(['--profile', profile, 'org', 'init', '--org', 'acme', '--passphrase-env', 'ORG_PP'], env);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/organisation signing key fingerprint: [0-9a-f ]+/i);
    expect(init.stdout).toMatch(/RECOVERY KEYS — shown this once/);
    expect(init.stdout.match(/^ {3}(organisation|hr) +[0-9A-Za-z]{5}(-[0-9A-Za-z]{1,5})+$/gm)).toHaveLength(2);
    const again = await run(['--profile', profile, 'org', 'init', '--org', 'acme', '--passphrase-env', 'ORG_PP'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds keyring:.*--force/);

    const added = await run(
      [
        '--profile',
        profile,
        'employee',
        'add',
        'bob',
        '--passphrase-env',
        'ORG_PP',
        '--employee-passphrase-env',
        'EMP_PP',
        '--user',
        'bob-user',
        '--password-env',
        'BOB_PW',
      ],
      env,
    );
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/employee bob added; member account bob-user/);

    const wrong = await run(['--profile', profile, 'enroll-code', 'bob', '--passphrase-env', 'BAD_PP'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong passphrase for the organisation key ring acme: nothing was changed/);
    expect(wrong.stdout).toBe('');

    const code = await run(
      ['--profile', profile, '--json', 'enroll-code', 'bob', '--passphrase-env', 'ORG_PP', '--ttl', '2h'],
      env,
    );
    expect(code.code).toBe(0);
    const issued = JSON.parse(code.stdout) as { code: string; agentCommand: string; expiresAt: number };
    expect(issued.agentCommand).toBe(`sealtime-agent enroll ${srv.url} ${issued.code}`);
    expect(issued.expiresAt - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);

    const bad = await run(
      ['--profile', profile, 'enroll-code', 'bob', '--passphrase-env', 'ORG_PP', '--ttl', 'soon'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ttl takes e.g. 30m/);

    // a member account cannot publish: 403, said plainly, exit 3
    const memberProfile = await srv.profile();
    expect((await run(['--profile', memberProfile, 'login', 'bob-user', '--password-env', 'BOB_PW'], env)).code).toBe(
      0,
    );
    const refused = await run(
      [
        '--profile',
        memberProfile,
        'policy',
        'set',
        '--level',
        'employee',
        '--id',
        'bob',
        '--set',
        'screenshots.enabled=true',
        '--passphrase-env',
        'ORG_PP',
      ],
      env,
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/the server refused \(403\).*your account's role may not do this/);

    const all = [help, noSession, loggedIn, who, init, again, added, wrong, code, bad, refused]
      .map((r) => r.stdout + r.stderr)
      .join('\n');
    for (const secret of [token, ROOT_PASSWORD, PASSPHRASE, env.EMP_PP, env.BOB_PW]) expect(all).not.toContain(secret);

    const out = await run(['--profile', profile, 'logout'], env);
    expect(out.stdout).toMatch(/^logged out/);
    await expect(stat(sessionFile)).rejects.toThrow();
  }, 180_000);
});

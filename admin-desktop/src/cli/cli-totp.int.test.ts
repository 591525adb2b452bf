// The real bin as a child process against a real server: `totp enable`
// (secret shown once, a first code confirms it, recovery codes printed once),
// then `login` asking for a code, with a TOTP code or a recovery code, and
// `totp status` / `totp disable`.
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Secret, TOTP } from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT_PASSWORD, startAdminTestServer } from '../admin/test-support/admin-server.js';

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

function run(args: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(stdin);
  });
}

/** A code for the next 30 s step: accepted (one step of drift) and never a replay of the step just used. */
const nextCode = (secret: string): string =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: Date.now() + 30_000,
  });

describe('sealtime-admin totp', () => {
  it('enables TOTP, then login needs a code or a recovery code; status and disable', async () => {
    const srv = await startAdminTestServer();
    cleanups.push(() => srv.close());
    const profile = await srv.profile();
    const env = { SEALTIME_SERVER: srv.url };
    const after = await run(['--profile', profile, 'login', 'root'], env, `${ROOT_PASSWORD}\n`);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);

    // enable: answer the prompt on stdin only once the secret was shown
    const child = spawn(process.execPath, [BIN, '--profile', profile, 'totp', 'enable'], {
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    let secret = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /secret:\s+([A-Z2-7]{32})/.exec(out);
      if (m && !secret) {
        secret = m[1]!;
        child.stdin.end(
          `${new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate()}\n`,
        );
      }
    });
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/otpauth URI: otpauth:\/\/totp\/Sealtime:root\?/);
    const recovery = [...out.matchAll(/^ {3}([a-z2-7]{5}-[a-z2-7]{5})$/gm)].map((m) => m[1]!);
    expect(recovery).toHaveLength(10);

    await run(['--profile', profile, 'logout'], env);
    const noCode = await run(['--profile', profile, 'login', 'root'], env, `${ROOT_PASSWORD}\n`);
    expect(noCode.code).toBe(2); // asked for the code; stdin had none: bad input, nothing saved
    expect(noCode.stderr).toMatch(/no code from your authenticator app/);
    expect(noCode.stderr).not.toContain(ROOT_PASSWORD);

    const withCode = await run(['--profile', profile, 'login', 'root'], env, `${ROOT_PASSWORD}\n${nextCode(secret)}\n`);
    expect(withCode.stderr).toBe('');
    expect(withCode.stdout).toMatch(/logged in to .* as root \(super-admin\)/);

    const wrong = await run(['--profile', profile, 'login', 'root'], env, `${ROOT_PASSWORD}\n000000\n`);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/wrong code|used already/);

    const rc = await run(
      ['--profile', profile, 'login', 'root', '--code-env', 'RC'],
      { ...env, RC: recovery[0]! },
      `${ROOT_PASSWORD}\n`,
    );
    expect(rc.code).toBe(0);
    const again = await run(
      ['--profile', profile, 'login', 'root', '--code-env', 'RC'],
      { ...env, RC: recovery[0]! },
      `${ROOT_PASSWORD}\n`,
    );
    expect(again.code).not.toBe(0);

    const status = await run(['--profile', profile, '--json', 'totp', 'status'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ enabled: true, recoveryCodesLeft: 9 });
    const off = await run(['--profile', profile, 'totp', 'disable', '--code-env', 'RC'], { ...env, RC: recovery[1]! });
    expect(off.stdout).toMatch(/TOTP is off/);
    let offLogin = await run(['--profile', profile, 'login', 'root'], env, `${ROOT_PASSWORD}\n`);
    // this test has made about ten logins of root within the minute: the per-account limit may answer first
    const wait = /try again in (\d+) s/.exec(offLogin.stderr);
    if (wait) {
      await new Promise((d) => setTimeout(d, (Number(wait[1]) + 1) * 1000));
      offLogin = await run(['--profile', profile, 'login', 'root'], env, `${ROOT_PASSWORD}\n`);
    }
    expect(offLogin.stderr).toBe('');
    expect(offLogin.code).toBe(0);
  }, 300_000); // a dozen tsx child processes: slow on a loaded machine
});

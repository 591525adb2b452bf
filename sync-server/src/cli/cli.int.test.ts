// The real `sealtime-server` process (bin → tsx → main.ts), spawned as an
// operator would run it: help texts, init then start then login over HTTP,
// status, graceful stop, and the transport policy refusal.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from './main.js';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/sealtime-server.js');
const PASSWORD = 'the first admin passphrase';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Starts `sealtime-server start …` and resolves with its URL once it says it listens. */
function startProcess(
  args: string[],
): Promise<{ child: ChildProcess; url: string; output: () => string; exited: Promise<Run> }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [BIN, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<Run>((r) => child.on('close', (code, signal) => r({ code, signal, stdout, stderr })));
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr.slice(-500)}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /listening on (https?:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        done({ child, url: m[1]!, output: () => stdout + stderr, exited });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    void exited.then((r) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${r.code}): ${r.stderr.slice(-500)}`));
    });
  });
}

describe('sealtime-server CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealtime-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints --help for the program and every command', async () => {
    const names = buildProgram().commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['start', 'init', 'status']));
    const root = await run(['--help']);
    expect(root.code).toBe(0);
    for (const n of names) expect(root.stdout).toContain(n);
    const helps = await Promise.all(names.map((n) => run([n, '--help'])));
    helps.forEach((h, i) => {
      expect(h.code, names[i]).toBe(0);
      expect(h.stdout).toContain(`Usage: sealtime-server ${names[i]}`);
    });
    const start = helps[names.indexOf('start')]!.stdout;
    for (const o of [
      '--data-dir',
      '--host',
      '--port',
      '--tls-cert',
      '--tls-key',
      '--self-signed',
      '--insecure',
      '--couchdb-url',
      '--log-level',
    ])
      expect(start).toContain(o);
    expect(helps[names.indexOf('init')]!.stdout).toContain('--password-file');
    const unknown = await run(['frobnicate']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command/);
  });

  it('start refuses plain HTTP on 0.0.0.0 without TLS or --insecure, before creating the data directory', async () => {
    const dataDir = join(dir, 'refused');
    const r = await run(['start', '--data-dir', dataDir, '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to serve plain HTTP on 0\.0\.0\.0.*--insecure/);
    expect(existsSync(dataDir)).toBe(false);
    const half = await run(['start', '--data-dir', dataDir, '--tls-cert', 'x.pem']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--tls-cert and --tls-key go together/);
  });

  it('start --require-totp gives the named roles an enrolment-only session until they set TOTP up; bad roles are refused', async () => {
    const bad = await run(['start', '--data-dir', join(dir, 'totp-bad'), '--require-totp', 'admin,boss']);
    expect(bad.code).toBe(1); // commander's exit code for an invalid option argument
    expect(bad.stderr).toMatch(/roles from super-admin, admin, manager, hr, member/);
    const dataDir = join(dir, 'totp');
    expect((await run(['init', '--data-dir', dataDir, '--user', 'chief'], { input: `${PASSWORD}\n` })).code).toBe(0);
    const s = await startProcess(['--data-dir', dataDir, '--port', '0', '--require-totp', 'admin,hr']);
    try {
      const login = await fetch(`${s.url}/_sealtime/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'chief', password: PASSWORD }),
      });
      const session = (await login.json()) as { token: string; scope: string };
      expect(session.scope).toBe('totp-enrolment');
      const users = await fetch(`${s.url}/_sealtime/api/users`, {
        headers: { authorization: `Bearer ${session.token}` },
      });
      expect(users.status).toBe(403);
      expect(((await users.json()) as { error: string }).error).toBe('totp-enrolment-required');
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  }, 120_000);

  it('init creates the first super admin from stdin; start serves it; login works over HTTP; status reports; SIGTERM stops', async () => {
    const dataDir = join(dir, 'server');
    const weak = await run(['init', '--data-dir', dataDir], { input: 'short\n' });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/at least 12 characters/);

    const init = await run(['init', '--data-dir', dataDir, '--user', 'boss'], { input: `${PASSWORD}\n` });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Super admin "boss" created');
    expect(init.stdout).toContain('/_sealtime/api/enrollment-codes');
    expect(init.stdout).not.toContain(PASSWORD);
    const again = await run(['init', '--data-dir', dataDir, '--user', 'other'], {
      env: { SEALTIME_INIT_PASSWORD: PASSWORD },
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a super admin exists already \(boss\)/);

    const s = await startProcess(['--data-dir', dataDir, '--port', '0', '--log-level', 'info']);
    try {
      const login = await fetch(`${s.url}/_sealtime/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'boss', password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const session = (await login.json()) as { token: string; role: string };
      expect(session.role).toBe('super-admin');
      const me = await fetch(`${s.url}/_sealtime/api/me`, { headers: { authorization: `Bearer ${session.token}` } });
      expect(await me.json()).toMatchObject({ type: 'person', userId: 'boss' });

      const pwFile = join(dir, 'pw');
      await writeFile(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
      const status = await run(['status', '--url', s.url, '--user', 'boss', '--password-file', pwFile]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/healthy/);
      expect(status.stdout).toMatch(/st-system\s+\d+ docs/);
      expect(status.stdout).toMatch(/devices\s+0 enrolled/);
      const json = await run(['status', '--url', s.url, '--json'], { env: { SEALTIME_TOKEN: session.token } });
      expect(JSON.parse(json.stdout)).toMatchObject({
        reachable: true,
        engine: { kind: 'embedded', reachable: true },
        devices: { total: 0 },
      });
      const anonymous = await run(['status', '--url', s.url]);
      expect(anonymous.stdout).toMatch(/reachable/);

      expect(s.output()).not.toContain(PASSWORD);
      expect(s.output()).not.toContain(session.token);
    } finally {
      s.child.kill('SIGTERM');
    }
    const end = await s.exited;
    expect(end.code).toBe(0);
    expect(end.stderr).toMatch(/"msg":"stopped"/);
    // stopped: status says so and fails
    const down = await run(['status', '--url', s.url]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/not reachable/);
  });
});

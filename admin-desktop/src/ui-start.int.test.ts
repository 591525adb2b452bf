// The README's path, end to end: `npm start -- --serve` (the same script, on
// a free port, data in a temp dir), then exactly the `sealtime-admin ui`
// command it prints, then Debian's Chromium: the sign-in form already holds
// the server, the printed root password and key passphrase sign in and
// unlock, and the dashboard shows the demo agent's records (ada, worked time
// from her clock-in/out, no integrity alert).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleProblems, launchChromium, saveScreen } from './test-support/ui-harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const BIN = join(ROOT, 'admin-desktop/bin/sealtime-admin.js');

const children: ChildProcess[] = [];
const dirs: string[] = [];
let context: BrowserContext | null = null;

afterAll(async () => {
  await context?.close().catch(() => undefined);
  // the ui first; the demo by its own Ctrl-C path (SIGINT: stops agent, server and its Xvfb)
  const [demo, ...rest] = children;
  for (const c of rest) if (c.exitCode === null) c.kill('SIGTERM');
  if (demo && demo.exitCode === null) demo.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 3_000));
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
}, 60_000);

/** Spawns and resolves with the first stdout match (or fails with what the process said). */
function runUntil(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
  pattern: RegExp,
  timeoutMs: number,
): Promise<{ match: RegExpExecArray; out: () => string }> {
  const proc = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-6000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} in ${timeoutMs / 1000} s:\n${out.slice(-4000)}\n${err}`)),
      timeoutMs,
    );
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ match: m, out: () => out });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}:\n${out.slice(-4000)}\n${err}`));
    });
  });
}

describe('npm start -- --serve, then sealtime-admin ui', () => {
  it("the printed command opens the app on the demo's data: sign in, unlock, the agent's records on the dashboard", async () => {
    const work = await mkdtemp(join(tmpdir(), 'st-start-ui-'));
    dirs.push(work);
    // the script `npm start` runs, in a temp dir (it keeps ./.data/start there), on a free port
    const start = await runUntil(
      TSX,
      [join(ROOT, 'scripts/start.ts'), '--serve', '--port', '0'],
      { cwd: work, env: { DISPLAY: '' } },
      /review it in a browser: npx sealtime-admin (.+)\n/,
      420_000,
    );
    const printed = start.out();
    const creds = /log in as (\S+) \/ (\S+), key passphrase "([^"]+)"/.exec(printed);
    expect(creds, printed).not.toBeNull();
    const [, user, password, passphrase] = creds!;
    const server = /serving until Ctrl-C: (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)![1]!;
    // the manager and HR reviews in the script read what their keys open (attendance now included for the team)
    expect(printed).toMatch(
      /manager \S+ reads \d+ records from st-team-\S+; their key opens \d+[^\n]*\n\[sealtime\]\s+\d{4}-\d{2}-\d{2}: [1-9]\d* attendance events/,
    );

    // exactly the printed command, without opening a browser
    const args = start.match[1]!.trim().split(/\s+/);
    expect(args).toEqual(['--server', server, 'ui', '--data-dir', join(work, '.data/start/admin-app')]);
    const ui = await runUntil(
      process.execPath,
      [BIN, ...args, '--no-open'],
      { cwd: work },
      /(http:\/\/127\.0\.0\.1:\d+\/\?t=\S+)/,
      180_000,
    );
    const url = ui.match[1]!;

    const userData = await mkdtemp(join(tmpdir(), 'st-start-chromium-'));
    dirs.push(userData);
    const launched = await launchChromium(userData);
    context = launched.context;
    const { page, console: lines } = launched;
    await page.goto(url);

    await page.getByRole('heading', { name: 'Sign in to Sealtime' }).waitFor({ timeout: 60_000 });
    // the form already holds the server the script printed
    expect(await page.getByLabel('Server').inputValue()).toBe(server);
    await page.getByLabel('User').fill(user!);
    await page.getByLabel('Password').fill(password!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Unlock' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Passphrase').fill(passphrase!);
    await page.getByRole('button', { name: 'Unlock' }).click();
    // the screens, or the words of a refusal (e.g. no organisation key ring in the directory)
    await page
      .getByRole('navigation', { name: 'screens' })
      .or(page.getByRole('alert'))
      .first()
      .waitFor({ timeout: 120_000 });
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);

    // today's dashboard: the demo employee, with the worked time of her clock-in/out and no alert
    await page.getByRole('button', { name: 'Dashboard' }).click();
    const row = page.locator('.dashboard-row', { hasText: 'ada' });
    await row.waitFor({ timeout: 120_000 });
    await expect.poll(() => page.locator('main').textContent(), { timeout: 60_000 }).toMatch(/Integrity alerts\s*0/i);
    // her clock-in/out opened (status since a time) and her records arrived (last seen, not "Never")
    await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 60_000 }).toMatch(/since \d{1,2}:\d{2}/);
    expect(await row.textContent()).not.toMatch(/Never/);
    expect(await page.locator('main').textContent()).not.toMatch(/failed verification/);
    expect(await page.getByRole('alert').count()).toBe(0);
    await saveScreen(page, 'start-demo-dashboard');
    expect(consoleProblems(lines)).toEqual([]);
  }, 900_000);
});

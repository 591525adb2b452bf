/**
 * For end-to-end UI tests: `sealtime-admin ui --no-open` as a child process,
 * Debian's Chromium driven by playwright-core, and the sign-in + unlock steps.
 * Each test file starts its own review org (core/test-support/review-org.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../test-support/chromium.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENS_DIR = join(ROOT, 'docs/screens');
const BIN = join(ROOT, 'admin-desktop/bin/sealtime-admin.js');

export interface UiSession {
  url: string;
  proc: ChildProcess;
  context: BrowserContext;
  page: Page;
  /** Console lines and page errors, for the CSP / error checks. */
  console: string[];
  close(): Promise<void>;
}

/** Starts `sealtime-admin ui` on a data dir and resolves with its one-time URL. */
export async function startUiProcess(
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
  o: { nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<{ url: string; proc: ChildProcess }> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, 'ui', '--no-open', '--data-dir', dataDir], {
    env: { ...process.env, TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL from sealtime-admin ui in ${timeoutMs / 1000} s: ${out} ${err}`)),
      timeoutMs,
    );
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?t=[A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`sealtime-admin ui exited with ${code}: ${err}`)));
  });
  return { url, proc };
}

/** Debian's Chromium on a profile dir, with the flags these machines need, and a page whose console is kept. */
export async function launchChromium(
  userData: string,
  viewport: { width: number; height: number } = { width: 1200, height: 800 },
): Promise<{ context: BrowserContext; page: Page; console: string[] }> {
  const context = await chromium.launchPersistentContext(userData, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const console: string[] = [];
  page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
  return { context, page, console };
}

/** A fresh data dir, the ui process, and a Chromium page on its URL. */
export async function openUi(
  opts: { dataDir?: string; viewport?: { width: number; height: number } } = {},
): Promise<UiSession> {
  const dirs: string[] = [];
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'st-ui-data-')));
  if (!opts.dataDir) dirs.push(dataDir);
  const userData = await mkdtemp(join(tmpdir(), 'st-ui-chromium-'));
  dirs.push(userData);
  const { url, proc } = await startUiProcess(dataDir);
  const { context, page, console } = await launchChromium(userData, opts.viewport);
  await page.goto(url);
  return {
    url,
    proc,
    context,
    page,
    console,
    async close() {
      await context.close().catch(() => undefined);
      if (proc.exitCode === null) proc.kill('SIGTERM');
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    },
  };
}

/** Sign-in and unlock through the UI, up to the screens' navigation. */
export async function signInAndUnlock(
  page: Page,
  o: { server: string; user: string; password: string; passphrase: string },
): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to Sealtime' }).waitFor({ timeout: 30_000 });
  await page.getByLabel('Server').fill(o.server);
  await page.getByLabel('User').fill(o.user);
  await page.getByLabel('Password').fill(o.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Unlock' }).waitFor({ timeout: 30_000 });
  await page.getByLabel('Passphrase').fill(o.passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('navigation', { name: 'screens' }).waitFor({ timeout: 90_000 });
}

/** A full-page PNG under docs/screens/ (shown in the README). */
export async function saveScreen(page: Page, name: string): Promise<void> {
  await mkdir(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
}

/** CSP violations and page errors seen so far (both should be none). */
export const consoleProblems = (lines: string[]): string[] =>
  lines.filter((l) => /Content Security Policy|Refused to|^pageerror/i.test(l));

// End to end: a real server filled with sealed records of several people and
// days, `sealtime-admin ui --no-open` as a child process, and Debian's
// Chromium driven by playwright-core through sign-in, unlock, dashboard,
// timeline (keyboard), a screenshot, and reviewing on with the server
// stopped. Saves a PNG of each screen under docs/screens/ and checks the
// console for CSP violations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { createReviewOrg, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './core/test-support/review-org.js';
import { launchChromium, startUiProcess } from './test-support/ui-harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENS = join(ROOT, 'docs/screens');

let org: ReviewOrg;
let child: ChildProcess | null = null;
let context: BrowserContext | null = null;
const dirs: string[] = [];

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob', 'cleo'], dates: ['2026-11-30', '2026-12-01'], timeZone: 'UTC' });
}, 240_000);
afterAll(async () => {
  await context?.close().catch(() => undefined);
  if (child && child.exitCode === null) child.kill('SIGTERM');
  await org?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const startUi = (dataDir: string) => startUiProcess(dataDir);

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });

describe('sealtime-admin ui in Chromium', () => {
  it('signs in, unlocks, reviews dashboard, timeline and a screenshot, and keeps reviewing offline', async () => {
    await mkdir(SCREENS, { recursive: true });
    const dataDir = await mkdtemp(join(tmpdir(), 'st-ui-data-'));
    const userData = await mkdtemp(join(tmpdir(), 'st-ui-chromium-'));
    dirs.push(dataDir, userData);
    const ui = await startUi(dataDir);
    child = ui.proc;
    const base = new URL(ui.url);

    // without the token: no page
    expect((await fetch(`${base.origin}/`)).status).toBe(403);
    expect((await fetch(`${base.origin}/?t=wrong-token`)).status).toBe(403);

    const launched = await launchChromium(userData);
    context = launched.context;
    const { page, console: console } = launched;

    const res = await page.goto(ui.url);
    expect(res?.headers()['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${base.port}`);
    // the token is spent by the page's socket: a second socket is refused
    await page.getByRole('heading', { name: 'Sign in to Sealtime' }).waitFor();
    const second = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${base.port}/api?t=${base.searchParams.get('t')}`, {
        headers: { origin: base.origin },
      });
      ws.on('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => resolve(-1));
    });
    expect(second).toBe(403);

    await shot(page, 'sign-in');
    await page.getByLabel('Server').fill(org.srv.url);
    await page.getByLabel('User').fill('root');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/refused this user id and password/);
    await page.getByLabel('Password').fill(ROOT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Unlock' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 60_000 }).toMatch(/wrong passphrase/i);
    await shot(page, 'unlock-wrong-passphrase');
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();

    // dashboard of a filled day: every person, 8 h worked each
    await page.getByRole('navigation', { name: 'screens' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('date', { exact: true }).fill('2026-12-01');
    const rows = () =>
      page
        .locator('.dashboard-row:not(.grid-head)')
        .allTextContents()
        .then((t) => t.join('|'));
    await expect
      .poll(() => page.locator('.dashboard .view-header').textContent(), { timeout: 30_000 })
      .toContain('Tue 1 Dec 2026');
    await expect.poll(rows, { timeout: 60_000 }).toMatch(/^ada.*8:00.*\|bob.*8:00.*\|cleo.*8:00/);
    await expect
      .poll(() => page.locator('.sync-bar').textContent(), { timeout: 30_000 })
      .toMatch(/online · st-org-records · \d+ records/);
    await shot(page, 'dashboard');

    // timeline: open a person from the dashboard, then keyboard: ↓ next person, ← previous day
    await page.getByRole('button', { name: 'ada', exact: true }).click();
    const title = page.locator('#person-day-title');
    const header = page.locator('.person-day .view-header');
    await expect.poll(() => title.textContent(), { timeout: 30_000 }).toBe('ada');
    await expect.poll(() => header.textContent()).toContain('Tue 1 Dec 2026');
    await expect.poll(() => page.locator('main').textContent()).toMatch(/Editor/);
    await page.locator('body').press('ArrowDown');
    await expect.poll(() => title.textContent(), { timeout: 30_000 }).toBe('bob');
    await page.locator('body').press('ArrowLeft');
    await expect.poll(() => header.textContent(), { timeout: 30_000 }).toContain('Mon 30 Nov 2026');
    await expect.poll(() => page.locator('.person-day .stats').textContent(), { timeout: 30_000 }).toMatch(/Worked8 h/);
    await shot(page, 'timeline');

    // a screenshot: a one-time URL, decrypted in the core, shown full size
    await page.getByRole('button', { name: 'Screenshots' }).click();
    await page.locator('.gallery-item').first().click();
    const img = page.getByRole('dialog').locator('img');
    await img.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth), {
        timeout: 30_000,
      })
      .toBe(1);
    const src = await img.getAttribute('src');
    expect((await fetch(`${base.origin}${src}`)).status).toBe(404); // spent by the page
    await shot(page, 'screenshots');
    await page.keyboard.press('Escape');

    // attendance of the month so far, and ada's correction request approved (signed with the HR key, sent to her inbox)
    await page.getByRole('button', { name: 'Attendance' }).click();
    await expect.poll(() => page.locator('main').textContent(), { timeout: 30_000 }).toMatch(/forgot to clock in/);
    await shot(page, 'attendance');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 60_000 })
      .toBe('Decision sent: approved');
    const decision = await org.ctx.client.getDoc<{ doc: { decision: { decision: string } } }>(
      'st-emp-ada-inbox',
      `correction-decision:${org.correctionRequestId}`,
    );
    expect(decision?.doc.decision.decision).toBe('approved');

    await page.getByRole('button', { name: 'Reports' }).click();
    await expect.poll(() => page.locator('main').textContent(), { timeout: 30_000 }).toMatch(/ada.*bob.*cleo/);
    await shot(page, 'reports');

    // the server goes away: the status bar says so and the replica keeps answering
    await org.srv.s.close();
    await page.getByRole('button', { name: 'Dashboard' }).click();
    await page.getByLabel('date', { exact: true }).fill('2026-11-30');
    await expect
      .poll(() => page.locator('.dashboard .view-header').textContent(), { timeout: 30_000 })
      .toContain('Mon 30 Nov 2026');
    await expect.poll(rows, { timeout: 30_000 }).toMatch(/^ada.*8:00.*\|bob.*8:00.*\|cleo.*8:00/);
    await expect
      .poll(() => page.locator('.sync-bar').textContent(), { timeout: 90_000 })
      .toMatch(/offline · st-org-records/);
    await shot(page, 'dashboard-offline');

    expect(console.filter((l) => /Content Security Policy|Refused to/i.test(l))).toEqual([]);
    expect(console.filter((l) => l.startsWith('pageerror'))).toEqual([]);
    child.kill('SIGTERM');
  }, 420_000);
});

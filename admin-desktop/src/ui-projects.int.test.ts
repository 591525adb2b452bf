// End to end, projects and tracking (issue 17 slice A): a real server with
// an organisation (createReviewOrg), `sealtime-admin ui` in Debian's
// Chromium, and a real `sealtime-agent run` capturing under Xvfb. The admin
// creates a project and a task assigned to ada in the Projects screen (the
// organisation key signs it: checked on the server's copies); it reaches
// ada's agent through her inbox (`sealtime-agent projects` lists it); she
// tracks against it with `sealtime-agent track`, works (xdotool input) and
// stops; the records sync; the project report shows her tracked hours.
// Saves docs/screens/admin-projects.png and admin-project-report.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectDocId, verifyProjectDocument } from '@sealtime/shared';
import { agentPaths, enrollDevice } from '@sealtime/agent/testing';
import { startDisplay, type TestDisplay } from '../../test-support/xvfb.js';
import { xdotool } from '../../test-support/x11.js';
import { DIRECTORY_DB } from './admin/directory-docs.js';
import { issueEnrollmentCode } from './admin/enrollment.js';
import { createReviewOrg, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './core/test-support/review-org.js';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

const AGENT_BIN = join(
  dirname(createRequire(import.meta.url).resolve('@sealtime/agent/package.json')),
  'bin/sealtime-agent.js',
);

let org: ReviewOrg;
let x: TestDisplay;
let ui: UiSession | null = null;
let agent: ChildProcess | null = null;
let agentErr = '';
const dirs: string[] = [];

function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [AGENT_BIN, ...args, '--data-dir', dataDir],
      { env: { ...x.env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function cliJson<T>(dataDir: string, ...args: string[]): Promise<T> {
  const r = await cli(dataDir, ...args, '--json');
  if (r.code !== 0) throw new Error(`sealtime-agent ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}; agent stderr: ${agentErr.slice(-2000)}`);
}

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: ['2026-12-01'], timeZone: 'UTC' });
  x = await startDisplay();
}, 240_000);
afterAll(async () => {
  await ui?.close();
  if (agent && agent.exitCode === null) {
    const exited = new Promise((r) => agent!.once('exit', r));
    agent.kill('SIGTERM');
    await exited;
  }
  await x?.stop();
  await org?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('projects and tracking end to end', () => {
  it('admin creates a project and task → delivered → the agent tracks it under Xvfb → the report shows the hours', async () => {
    // ada's agent on a second machine of hers, running for real under Xvfb
    const dataDir = await mkdtemp(join(tmpdir(), 'st-track-agent-'));
    dirs.push(dataDir);
    const code = await issueEnrollmentCode(org.ctx, { employeeId: 'ada', orgPassphrase: PASSPHRASE, ttlMs: 3_600_000 });
    await enrollDevice({ paths: agentPaths(dataDir), serverUrl: org.srv.url, code: code.code, name: 'ada-desktop' });
    agent = spawn(process.execPath, [AGENT_BIN, 'run', '--data-dir', dataDir, '--log-level', 'warn'], {
      env: {
        ...x.env,
        SEALTIME_AGENT_SYNC_MIN_RETRY_MS: '200',
        SEALTIME_AGENT_SYNC_MAX_RETRY_MS: '1000',
        SEALTIME_AGENT_RECONCILE_MS: '200',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent.stderr!.on('data', (d: Buffer) => (agentErr = (agentErr + d.toString()).slice(-8000)));
    agent.stdout!.resume();
    await until(
      'the agent capturing',
      async () => (await cliJson<{ capture: { state: string } }>(dataDir, 'status')).capture.state === 'running',
      120_000,
    );

    // the admin: a project for team blue with a budget, then a task for ada
    ui = await openUi({ viewport: { width: 1280, height: 900 } });
    const { page } = ui;
    await signInAndUnlock(page, { server: org.srv.url, user: 'root', password: ROOT_PASSWORD, passphrase: PASSPHRASE });
    await page.getByRole('button', { name: 'Projects' }).click();
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor({ timeout: 60_000 });
    expect(await page.locator('.projects-table').textContent()).toContain('No project has been created yet.');
    const form = page.getByRole('form', { name: 'project' });
    await form.getByLabel('Name').fill('Apollo');
    await form.getByLabel('Client').fill('NASA');
    await form.getByLabel('blue').check();
    await form.getByLabel('Budget (hours)').fill('0');
    await form.getByRole('button', { name: 'Save project' }).click();
    await expect
      .poll(() => page.locator('.projects [role="alert"]').textContent(), { timeout: 30_000 })
      .toMatch(/budgetHours is a number of hours above 0/);
    await form.getByLabel('Budget (hours)').fill('10');
    await form.getByRole('button', { name: 'Save project' }).click();
    await expect
      .poll(() => page.locator('.projects [role="status"]').textContent(), { timeout: 30_000 })
      .toMatch(/^Saved Apollo; sent to \d+ people?\.$/);
    const tasks = page.getByRole('form', { name: 'add task' });
    await tasks.getByLabel('Task name').fill('Design');
    await tasks.getByLabel('Assign to').selectOption(['ada']);
    await tasks.getByRole('button', { name: 'Add task' }).click();
    await page.locator('.project-tasks-table tbody tr', { hasText: 'Design' }).waitFor({ timeout: 30_000 });
    await saveScreen(page, 'admin-projects');

    // the server holds the signed version; it verifies under the organisation key and names the task
    const orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
    const stored = await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, projectDocId('apollo'));
    const { _id: _i, _rev: _r, ...body } = stored!;
    const v = verifyProjectDocument(projectDocId('apollo'), body, { organisation: [orgKey], teams: {} });
    expect(v.ok && v.value.project.tasks.map((t) => [t.name, t.assignees])).toEqual([['Design', ['ada']]]);

    // delivered: ada's agent lists it from her inbox, verified there
    await until('the project on the agent', async () => {
      const r = await cliJson<{ projects: Array<{ projectId: string; tasks: Array<{ taskId: string }> }> }>(
        dataDir,
        'projects',
        'apo',
      );
      return r.projects.some((p) => p.projectId === 'apollo' && p.tasks.some((t) => t.taskId === 'design'));
    });
    const wrong = await cli(dataDir, 'track', 'Zeta');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/no project matches "Zeta"/);

    // she tracks, works for a while (real input under Xvfb), and stops
    const tracking = await cliJson<{ current: { label: string } | null }>(dataDir, 'track', 'apollo', 'design');
    expect(tracking.current?.label).toBe('Apollo — Design');
    const started = Date.now();
    while (Date.now() - started < 72_000) {
      await xdotool(x.env, 'mousemove', String(100 + ((Date.now() / 100) % 300)), '200');
      await new Promise((r) => setTimeout(r, 1000));
    }
    const stopped = await cliJson<{ current: unknown }>(dataDir, 'stop');
    const trackedMs = Date.now() - started;
    expect(stopped.current).toBeNull();

    // the report: ada's tracked hours on Apollo / Design arrive with the synced records
    await page
      .locator('.projects-table tbody tr', { hasText: 'Apollo' })
      .getByRole('button', { name: 'Report' })
      .click();
    await page.getByRole('heading', { name: /Apollo — report/ }).waitFor({ timeout: 60_000 });
    const adaRow = page.locator('table.by-person tbody tr', { hasText: /ada/i });
    await until('ada in the project report', async () => (await adaRow.count()) === 1, 120_000);
    const cells = await adaRow.locator('td').allTextContents();
    const tracked = Number(cells[0]);
    // the slot was cut at the switch and at the stop: the hours are the tracked stretch, to the second
    expect(tracked).toBeGreaterThanOrEqual(0.01);
    expect(Math.abs(tracked - trackedMs / 3_600_000)).toBeLessThanOrEqual(0.01);
    expect(cells.slice(1, 3)).toEqual(['0.00', '0.00']); // no manual time
    expect(await page.locator('table.by-task tbody tr').first().textContent()).toContain('Design');
    expect(await page.locator('.project-report .stats').textContent()).toMatch(/of 10 h/);
    await saveScreen(page, 'admin-project-report');
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 600_000);
});

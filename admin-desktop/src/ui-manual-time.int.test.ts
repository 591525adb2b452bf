// End to end, manual time (issue 17): an employee enrolled with the real
// `sealtime-agent` adds a manual entry while no agent runs (sealed offline,
// in the store); `sealtime-agent run` syncs it; the team's manager approves
// it in the app in Chromium; the signed decision reaches the device through
// its inbox (`manual list` shows it approved); the report shows it as
// manual-approved, apart from tracked time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueEnrollmentCode } from './admin/enrollment.js';
import { addEmployee } from './admin/people-setup.js';
import {
  createReviewOrg,
  MANAGER_USER,
  PASSPHRASE,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from './core/test-support/review-org.js';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

const AGENT = fileURLToPath(new URL('../../agent/bin/sealtime-agent.js', import.meta.url));
const AGENT_ENV = {
  DISPLAY: '',
  SEALTIME_AGENT_SYNC_MIN_RETRY_MS: '200',
  SEALTIME_AGENT_SYNC_MAX_RETRY_MS: '1000',
  SEALTIME_AGENT_RECONCILE_MS: '300',
};

let org: ReviewOrg;
let ui: UiSession | null = null;
let agent: ChildProcess | null = null;
const dirs: string[] = [];

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [AGENT, ...args],
      { env: { ...process.env, ...AGENT_ENV }, timeout: 90_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada'], dates: ['2026-12-01'], timeZone: 'UTC' });
}, 240_000);
afterAll(async () => {
  await ui?.close();
  if (agent && agent.exitCode === null) {
    agent.kill('SIGTERM');
    await new Promise((r) => agent!.once('exit', r));
  }
  await org?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
}, 180_000);

describe('manual time, agent to approval and back', () => {
  it('an entry added offline syncs, the manager approves it, the device and the report show it', async () => {
    // dan joins the manager's team and enrolls a real agent
    await addEmployee(org.ctx, {
      employeeId: 'dan',
      teamId: 'blue',
      orgPassphrase: PASSPHRASE,
      employeePassphrase: 'dan own passphrase',
    });
    const code = await issueEnrollmentCode(org.ctx, { employeeId: 'dan', orgPassphrase: PASSPHRASE, ttlMs: 3_600_000 });
    const dataDir = await mkdtemp(join(tmpdir(), 'st-manual-agent-'));
    dirs.push(dataDir);
    const enrolled = await cli(['enroll', org.srv.url, code.code, '--data-dir', dataDir, '--name', 'dan-laptop']);
    expect(enrolled.code, enrolled.stderr).toBe(0);

    // the agent must know its keys before it seals: one short run pulls the inbox, then it stops
    const run = () => {
      const child = spawn(process.execPath, [AGENT, 'run', '--data-dir', dataDir, '--log-level', 'warn'], {
        env: { ...process.env, ...AGENT_ENV },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.resume();
      return child;
    };
    agent = run();
    await expect
      .poll(
        async () => JSON.parse((await cli(['status', '--json', '--data-dir', dataDir])).stdout || '{}')?.keys?.ready,
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(true);
    agent.kill('SIGTERM');
    await new Promise((r) => agent!.once('exit', r));

    // offline (no agent running): the CLI seals into the store itself
    const end = Date.now() - 30 * 60_000;
    const start = end - 90 * 60_000;
    const bad = await cli([
      'manual',
      'add',
      '--from',
      new Date(end).toISOString(),
      '--to',
      new Date(start).toISOString(),
      '--note',
      'backwards',
      '--data-dir',
      dataDir,
    ]);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/end must be after start/);
    const added = await cli([
      'manual',
      'add',
      '--from',
      new Date(start).toISOString(),
      '--to',
      new Date(end).toISOString(),
      '--project',
      'acme-site',
      '--note',
      'client visit at the Acme site',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const entry = JSON.parse(added.stdout) as { entryId: string; approval: string };
    expect(entry.approval).toBe('manager');
    const overlapping = await cli([
      'manual',
      'add',
      '--from',
      new Date(start + 60_000).toISOString(),
      '--to',
      new Date(end).toISOString(),
      '--note',
      'twice',
      '--data-dir',
      dataDir,
    ]);
    expect(overlapping.code, overlapping.stderr).toBe(2);
    expect(overlapping.stderr).toMatch(/overlaps your manual entry/);

    // the agent runs again: the sealed entry syncs
    agent = run();

    ui = await openUi({ viewport: { width: 1300, height: 900 } });
    const { page } = ui;
    await signInAndUnlock(page, {
      server: org.srv.url,
      user: MANAGER_USER.id,
      password: MANAGER_USER.password,
      passphrase: TEAM_PASSPHRASE,
    });
    await page.getByRole('button', { name: 'Manual time' }).click();
    const row = page.locator('tr.manual-row', { hasText: 'client visit at the Acme site' });
    await row.waitFor({ timeout: 120_000 });
    expect(await row.textContent()).toContain('pending');
    expect(await row.textContent()).toContain('acme-site');
    expect(await row.textContent()).toContain('1:30');
    await saveScreen(page, 'admin-manual-time');

    // rejecting needs a reason; then approve
    await row.getByRole('button', { name: 'Reject' }).click();
    await row.getByRole('alert').filter({ hasText: 'Give a reason' }).waitFor();
    await row.getByRole('textbox').fill('confirmed with the client');
    await row.getByRole('button', { name: 'Approve' }).click();
    await page
      .locator('tr.manual-row.manual-approved', { hasText: 'client visit at the Acme site' })
      .waitFor({ timeout: 60_000 });

    // the signed decision reaches the device through its inbox
    await expect
      .poll(
        async () => {
          const r = await cli(['manual', 'list', '--json', '--data-dir', dataDir]);
          const list = JSON.parse(r.stdout || '[]') as Array<{ entryId: string; status: string; comment?: string }>;
          return list.find((e) => e.entryId === entry.entryId);
        },
        { timeout: 90_000, interval: 1500 },
      )
      .toMatchObject({ status: 'approved', comment: 'confirmed with the client' });

    // the report: manual approved apart from tracked and pending
    await page.getByRole('button', { name: 'Reports' }).click();
    const approved = page.locator('.stat-manual-approved dd');
    await expect.poll(() => approved.textContent(), { timeout: 60_000 }).toBe('1:30 h');
    expect(await page.locator('.stat-manual-pending dd').textContent()).toBe('0:00 h');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 420_000);
});

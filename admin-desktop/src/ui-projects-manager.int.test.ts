// End to end, a manager in Chromium (issue 17's open points): `sealtime-admin
// ui` on a fresh data dir, signed in and unlocked with the team passphrase.
// The Productivity rules screen shows the organisation's set (read-only) as
// well as the team's; the Projects screen offers the manager's own team
// only, and a project and task saved there are signed with the team's key
// (checked on the server's copies) and reach that team's people, not another
// team's. Saves docs/screens/manager-projects.png and
// docs/screens/manager-productivity-rules.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64, projectDocId, verifyProjectDocument, type KeyringDoc } from '@sealtime/shared';
import { DIRECTORY_DB } from './admin/directory-docs.js';
import { AdminCore } from './core/admin-core.js';
import {
  createReviewOrg,
  MANAGER_USER,
  PASSPHRASE,
  ROOT_PASSWORD,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from './core/test-support/review-org.js';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

let org: ReviewOrg;
let ui: UiSession | null = null;
let adminDir = '';

beforeAll(async () => {
  // ada and bob in the manager's team blue, cleo in green
  org = await createReviewOrg({
    people: ['ada', 'bob', 'cleo'],
    dates: ['2026-12-01'],
    timeZone: 'UTC',
    teams: { cleo: 'green' },
  });
  // the admin publishes the organisation's rules and team blue's override
  adminDir = await mkdtemp(join(tmpdir(), 'st-ui-mgr-admin-'));
  const admin = new AdminCore({ dataDir: adminDir, timeZone: 'UTC', sync: { minRetryMs: 200, maxRetryMs: 1000 } });
  await admin.start();
  await admin.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
  await admin.unlock({ passphrase: PASSPHRASE });
  const rules = (r: Array<[string, string, 'productive' | 'neutral' | 'unproductive']>) => ({
    effectiveFrom: 0,
    rules: r.map(([id, app, cls]) => ({ id, match: { by: 'app' as const, app }, class: cls })),
  });
  await admin.request('publishRuleSet', {
    scope: { level: 'organisation', id: 'acme' },
    version: rules([
      ['editor', 'Editor', 'productive'],
      ['browser', 'Browser', 'unproductive'],
    ]),
  });
  await admin.request('publishRuleSet', {
    scope: { level: 'team', id: 'blue' },
    version: rules([['research', 'Browser', 'neutral']]),
  });
  await admin.close();
}, 300_000);
afterAll(async () => {
  await ui?.close();
  await org?.close();
  if (adminDir) await rm(adminDir, { recursive: true, force: true });
});

describe('a manager in Chromium: the organisation rules, read-only, and their team’s projects', () => {
  it('sees the organisation rule set beside the team’s, and saves a project of their team signed with its key', async () => {
    ui = await openUi();
    const { page } = ui;
    await signInAndUnlock(page, {
      server: org.srv.url,
      user: MANAGER_USER.id,
      password: MANAGER_USER.password,
      passphrase: TEAM_PASSPHRASE,
    });

    await page.getByRole('button', { name: 'Productivity rules' }).click();
    await page.getByRole('heading', { name: 'Productivity rules' }).waitFor({ timeout: 60_000 });
    const set = page.getByLabel('Rule set');
    await expect
      .poll(() => set.locator('option').allTextContents(), { timeout: 60_000 })
      .toEqual(['Organisation acme', 'Team blue']);
    await set.selectOption('organisation:acme');
    await expect
      .poll(() => page.locator('.productivity-rules').textContent(), { timeout: 30_000 })
      .toMatch(/Signed .*1 version/);
    const values = () => page.locator('.rules-table tbody tr').evaluateAll((rows) => rows.length);
    expect(await values()).toBe(2);
    expect(await page.locator('.productivity-rules').textContent()).toContain('Only admins publish rules');
    expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    // the panel below classifies as admins and agents do: Editor by the organisation's rule, Browser by the team's
    await expect
      .poll(() => page.locator('tr', { hasText: 'ada' }).last().textContent(), { timeout: 60_000 })
      .toMatch(/^ada1 h 00 min1 h 00 min0 min0 min/);
    await saveScreen(page, 'manager-productivity-rules');
    await set.selectOption('team:blue');
    await expect.poll(values, { timeout: 30_000 }).toBe(1);

    await page.getByRole('button', { name: 'Projects' }).click();
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor({ timeout: 60_000 });
    const form = page.getByRole('form', { name: 'project' });
    // their own team is the only one offered
    await form.getByLabel('blue').waitFor({ timeout: 30_000 });
    expect(await form.getByLabel('green').count()).toBe(0);
    await form.getByLabel('Name').fill('Comet');
    await form.getByLabel('Client').fill('Blue Corp');
    await form.getByLabel('blue').check();
    await form.getByLabel('Budget (hours)').fill('20');
    await form.getByRole('button', { name: 'Save project' }).click();
    await expect
      .poll(() => page.locator('.projects [role="status"]').textContent(), { timeout: 60_000 })
      .toMatch(/Comet/);
    const tasks = page.getByRole('form', { name: 'add task' });
    // the manager's people are those their replica holds (their team's)
    await expect
      .poll(() => tasks.getByLabel('Assign to').locator('option').allTextContents(), { timeout: 90_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/ada/)]));
    await tasks.getByLabel('Task name').fill('Spec');
    await tasks.getByLabel('Assign to').selectOption(['ada']);
    await tasks.getByRole('button', { name: 'Add task' }).click();
    await page.locator('.project-tasks-table tbody tr', { hasText: 'Spec' }).waitFor({ timeout: 60_000 });
    await saveScreen(page, 'manager-projects');

    // on the server: signed with team blue's key (not the organisation's), delivered to blue's people only
    const docs = await org.ctx.client.allDocs<Record<string, unknown> & { project?: { name?: string } }>(DIRECTORY_DB);
    const comet = docs.find((d) => d._id.startsWith('project:') && d.project?.name === 'Comet')!;
    expect(comet).toBeDefined();
    const { _id: id, _rev: _r, ...body } = comet;
    const ring = (await org.ctx.client.getDoc<KeyringDoc>(DIRECTORY_DB, 'keyring:team:blue'))!;
    const blue = fromBase64(ring.generations[0]!.signPublicKey, 32);
    if (!blue.ok) throw new Error('team key');
    const orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
    const v = verifyProjectDocument(id, body, { organisation: [orgKey], teams: { blue: [blue.value] } });
    expect(v.ok && v.value.signer).toEqual({ role: 'team', teamId: 'blue' });
    expect(v.ok && v.value.project.tasks.map((t) => [t.name, t.assignees])).toEqual([['Spec', ['ada']]]);
    for (const [e, has] of [
      ['ada', true],
      ['bob', true],
      ['cleo', false],
    ] as const)
      expect(
        (await org.ctx.client.getDoc(`st-emp-${e}-inbox`, projectDocId(id.slice('project:'.length)))) !== null,
      ).toBe(has);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 400_000);
});

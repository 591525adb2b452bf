// End to end, productivity rules (issue 17 slice C): a real server with an
// organisation (createReviewOrg), a real agent enrolled for a new employee
// 'xe' capturing under Xvfb with an xterm focused, `sealtime-admin ui` in
// Debian's Chromium. The admin adds a rule "app XTerm → productive" in the
// Productivity rules screen, tries it on the last 7 days, publishes it (signed
// by the organisation key); the agent verifies and holds the set; the
// person-day view shows xe's xterm time as productive. With the agent
// stopped (no new records), the admin changes the rule to unproductive and the
// same time is shown re-classified. Saves docs/screens/admin-productivity.png
// and admin-productivity-day.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyRuleSetDocument } from '@sealtime/shared';
import { agentPaths, enrollDevice, startAgent, type AgentHandle } from '@sealtime/agent/testing';
import { startDisplay, type TestDisplay } from '../../test-support/xvfb.js';
import { openXterm, type TestWindow } from '../../test-support/x11.js';
import { DIRECTORY_DB } from './admin/directory-docs.js';
import { issueEnrollmentCode } from './admin/enrollment.js';
import { addEmployee } from './admin/people-setup.js';
import { setPolicy } from './admin/policy-publishing.js';
import { createReviewOrg, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './core/test-support/review-org.js';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

let org: ReviewOrg;
let x: TestDisplay;
let term: TestWindow;
let agent: AgentHandle | null = null;
let agentDir = '';
const sessions: UiSession[] = [];
const prevDisplay = process.env.DISPLAY;

async function xeRecords(): Promise<number> {
  return (await org.ctx.client.allDocs('st-emp-xe-records')).filter((d) => !d._id.startsWith('_design/')).length;
}

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada'], dates: [new Date().toISOString().slice(0, 10)], timeZone: 'UTC' });
  x = await startDisplay();
  process.env.DISPLAY = x.display; // get-windows reads process.env
  term = await openXterm(x.env, { title: 'build.log' });
  await term.activate();
  // 'xe' in team blue: one-minute activity slots, so the slot carrying the xterm's time is sealed soon
  await setPolicy(org.ctx, { level: 'team', id: 'blue', set: ['activity.slotSeconds=60'], orgPassphrase: PASSPHRASE });
  await addEmployee(org.ctx, {
    employeeId: 'xe',
    teamId: 'blue',
    orgPassphrase: PASSPHRASE,
    employeePassphrase: 'xe own passphrase',
  });
  const code = await issueEnrollmentCode(org.ctx, { employeeId: 'xe', orgPassphrase: PASSPHRASE, ttlMs: 3_600_000 });
  agentDir = await mkdtemp(join(tmpdir(), 'st-ui-productivity-agent-'));
  await enrollDevice({ paths: agentPaths(agentDir), serverUrl: org.srv.url, code: code.code, name: 'xe-laptop' });
  agent = await startAgent({
    dataDir: agentDir,
    env: x.env,
    windowIntervalMs: 200,
    sync: { minRetryMs: 200, reconcileMs: 500 },
  });
}, 240_000);

afterAll(async () => {
  for (const s of sessions) await s.close();
  await agent?.stop();
  await term?.close();
  await x?.stop();
  if (prevDisplay === undefined) delete process.env.DISPLAY;
  else process.env.DISPLAY = prevDisplay;
  await org?.close();
  if (agentDir) await rm(agentDir, { recursive: true, force: true });
});

describe('productivity rules in Chromium, with a real agent under Xvfb', () => {
  it('publish a rule → the agent holds it → the xterm time shows productive; change it → re-classified, no new records', async () => {
    const ui = await openUi({ viewport: { width: 1280, height: 1000 } });
    sessions.push(ui);
    const page = ui.page;
    await signInAndUnlock(page, { server: org.srv.url, user: 'root', password: ROOT_PASSWORD, passphrase: PASSPHRASE });

    // the agent's first slot with the xterm in it reaches the server
    await expect.poll(xeRecords, { timeout: 120_000, interval: 1000 }).toBeGreaterThan(2);

    await page.getByRole('button', { name: 'Productivity rules' }).click();
    await page.getByRole('heading', { name: 'Productivity rules' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('.productivity-rules').textContent()).toContain('Not published yet.');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Value, rule 1').fill('xterm');
    // the rule tried on the replica's last 7 days finds the agent's XTerm time
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Test' }).click();
          return page.locator('.rule-test').textContent();
        },
        { timeout: 120_000, interval: 3000 },
      )
      .toMatch(/^Matches XTerm/);
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect
      .poll(() => page.locator('.productivity-rules .notice').textContent(), { timeout: 30_000 })
      .toBe('Published productivity:organisation:acme to 2 people.');

    // signed by the organisation key on the server, verified and held by the agent
    const orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
    const {
      _id,
      _rev: _r,
      ...stored
    } = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, 'productivity:organisation:acme'))!;
    expect(verifyRuleSetDocument(_id as string, stored, [orgKey])).toMatchObject({ ok: true });
    await expect
      .poll(async () => (await agent!.status()).inbox.productivityRules.map((r) => `${r.level}:${r.id}:${r.rules}`), {
        timeout: 60_000,
      })
      .toEqual(['organisation:acme:1']);
    expect((await agent!.status()).inbox.refused).toEqual([]);
    await saveScreen(page, 'admin-productivity');

    // the person-day view of xe: the xterm's time is productive
    await page.getByRole('button', { name: 'Dashboard' }).click();
    await page.getByRole('button', { name: 'xe', exact: true }).click();
    const apps = page.locator('.productivity-apps tbody tr');
    await expect
      .poll(() => apps.allTextContents(), { timeout: 90_000, interval: 1000 })
      .toContainEqual(expect.stringMatching(/^XTerm—Productiveorganisation acme · rule-1/));
    await saveScreen(page, 'admin-productivity-day');

    // stop the agent: from here on no record is added; the same time is re-classified
    await agent!.stop();
    agent = null;
    await new Promise((r) => setTimeout(r, 2000));
    const before = await xeRecords();
    await page.getByRole('button', { name: 'Productivity rules' }).click();
    await page.getByLabel('Class, rule 1').selectOption('unproductive');
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect
      .poll(() => page.locator('.productivity-rules .notice').textContent(), { timeout: 30_000 })
      .toBe('Published productivity:organisation:acme to 2 people.');
    await page.getByRole('button', { name: 'Timeline' }).click();
    await expect
      .poll(() => apps.allTextContents(), { timeout: 60_000, interval: 1000 })
      .toContainEqual(expect.stringMatching(/^XTerm—Unproductiveorganisation acme · rule-1/));
    expect(await apps.allTextContents()).not.toContainEqual(expect.stringMatching(/^XTerm—Productive/));
    expect(await xeRecords()).toBe(before);
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 480_000);
});

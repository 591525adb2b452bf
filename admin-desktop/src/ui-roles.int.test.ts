// End to end, HR and a manager on a fresh data dir each, with no key-ring
// file anywhere: `sealtime-admin ui` in Debian's Chromium, sign in with the
// password, unlock with the role's passphrase (the server delivers the
// wrapped ring), and the role's screens fill from the synced replica: HR's
// attendance sheet with the pending correction (approved, signed with the
// delivered HR ring), the manager's dashboard with their team's people only.
// Saves docs/screens/hr-attendance.png and docs/screens/manager-dashboard.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReviewOrg,
  HR_USER,
  MANAGER_USER,
  PASSPHRASE,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from './core/test-support/review-org.js';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

const DATE = '2026-12-01';
let org: ReviewOrg;
const sessions: UiSession[] = [];

beforeAll(async () => {
  // ada and bob in the manager's team blue, cleo in green
  org = await createReviewOrg({
    people: ['ada', 'bob', 'cleo'],
    dates: ['2026-11-30', DATE],
    timeZone: 'UTC',
    teams: { cleo: 'green' },
  });
}, 300_000);
afterAll(async () => {
  for (const s of sessions) await s.close();
  await org?.close();
});

describe('HR and a manager in Chromium, without a key-ring file', () => {
  it('HR signs in on a fresh data dir and sees the attendance sheet with the pending correction', async () => {
    const ui = await openUi();
    sessions.push(ui);
    const { page } = ui;
    await signInAndUnlock(page, {
      server: org.srv.url,
      user: HR_USER.id,
      password: HR_USER.password,
      passphrase: PASSPHRASE,
    });
    // the month up to the day of the correction request
    await page.getByLabel('date', { exact: true }).fill(org.dates[0]!);
    await page.getByRole('button', { name: 'Attendance' }).click();
    // the correction request of ada (first person), from st-hr-attendance
    await expect.poll(() => page.locator('main').textContent(), { timeout: 90_000 }).toMatch(/forgot to clock in/);
    await page.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 30_000 });
    // HR reviews everyone's attendance
    await expect
      .poll(
        async () =>
          (
            await page
              .locator('section.attendance-person')
              .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
          ).sort(),
        { timeout: 60_000 },
      )
      .toEqual(['ada', 'bob', 'cleo']);
    // the day's times count: the records verified against their device keys (HR may read those now)
    await expect
      .poll(() => page.locator('section.attendance-person[aria-label="ada"]').textContent(), { timeout: 30_000 })
      .toMatch(/08:00.*16:00/);
    expect(await page.locator('main').textContent()).not.toMatch(/failed verification/);
    await saveScreen(page, 'hr-attendance');
    // HR decides with the delivered ring: the decision is signed in the core and reaches ada's inbox
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 60_000 })
      .toBe('Decision sent: approved');
    const decision = await org.ctx.client.getDoc<{ doc: { decision: { decision: string; decidedBy: string } } }>(
      'st-emp-ada-inbox',
      `correction-decision:${org.correctionRequestId}`,
    );
    expect(decision?.doc.decision).toMatchObject({ decision: 'approved', decidedBy: HR_USER.id });
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 300_000);

  it('a manager signs in on a fresh data dir and sees their team on the dashboard, not another team', async () => {
    const ui = await openUi();
    sessions.push(ui);
    const { page } = ui;
    await signInAndUnlock(page, {
      server: org.srv.url,
      user: MANAGER_USER.id,
      password: MANAGER_USER.password,
      passphrase: TEAM_PASSPHRASE,
    });
    await page.getByLabel('date', { exact: true }).fill(DATE);
    await page.getByRole('button', { name: 'Dashboard' }).click();
    await page.getByRole('button', { name: 'ada', exact: true }).waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: 'bob', exact: true }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'cleo', exact: true }).count()).toBe(0);
    expect(await page.getByLabel('person').locator('option', { hasText: 'cleo' }).count()).toBe(0);
    // activity counts (attendance opens too: sealed to the team key) and no record failed verification
    await expect
      .poll(() => page.locator('.dashboard-row', { hasText: 'ada' }).textContent(), { timeout: 60_000 })
      .toMatch(/\d+\s?%/);
    // and the team's worked time (ada clocked 08:00–16:00), not 0:00
    await expect
      .poll(() => page.locator('.dashboard-row', { hasText: 'ada' }).textContent(), { timeout: 30_000 })
      .toContain('8:00');
    await expect.poll(() => page.locator('main').textContent(), { timeout: 30_000 }).toMatch(/Integrity alerts\s*0/i);
    expect(await page.locator('main').textContent()).not.toMatch(/failed verification/);
    await saveScreen(page, 'manager-dashboard');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 300_000);
});

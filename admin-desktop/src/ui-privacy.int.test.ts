// End to end, privacy: `sealtime-admin ui` in Debian's Chromium against a real
// server with sealed records of three people. Deletes one screenshot and a
// date range from the gallery, exports a person's data as a JSON download,
// and erases a person behind the confirmation; checks the server after each
// step and saves docs/screens/privacy.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';
import { createReviewOrg, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './core/test-support/review-org.js';

let org: ReviewOrg;
let ui: UiSession | null = null;

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob', 'cy'], dates: ['2026-11-30', '2026-12-01'], timeZone: 'UTC' });
}, 240_000);
afterAll(async () => {
  await ui?.close();
  await org?.close();
});

const onServer = async (id: string) => (await org.ctx.client.getDoc('st-org-records', id)) !== null;

describe('privacy in the ui', () => {
  it('deletes screenshots, exports a person and erases one behind the confirmation', async () => {
    ui = await openUi({ viewport: { width: 1200, height: 900 } });
    const { page } = ui;
    page.on('dialog', (d) => void d.accept()); // the "delete this screenshot?" confirmation
    await signInAndUnlock(page, { server: org.srv.url, user: 'root', password: ROOT_PASSWORD, passphrase: PASSPHRASE });
    await page.getByLabel('date', { exact: true }).fill('2026-12-01');

    // one screenshot of ada
    const adaShot = org.screenshots.get('ada')![1]!;
    await page.getByRole('button', { name: 'Screenshots', exact: true }).click();
    await page.getByLabel('person', { exact: true }).selectOption('ada');
    await page.locator('.gallery-item').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /^Delete screenshot / }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 60_000 })
      .toBe('1 screenshot deleted');
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 30_000 })
      .toContain('No screenshots on this day.');
    expect(await onServer(adaShot)).toBe(false);
    expect(await onServer(org.screenshots.get('ada')![0]!)).toBe(true);

    // a date range of bob's
    await page.getByLabel('person', { exact: true }).selectOption('bob');
    await page.getByRole('button', { name: 'Delete a date range…' }).click();
    await page.getByLabel('From').fill('2026-11-30');
    await page.getByLabel('To').fill('2026-12-01');
    await page.getByRole('button', { name: 'Delete these screenshots' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 60_000 })
      .toBe('2 screenshots deleted');
    for (const id of org.screenshots.get('bob')!) expect(await onServer(id)).toBe(false);

    // privacy: cy's data counted, exported, then erased
    await page.getByRole('button', { name: 'Privacy', exact: true }).click();
    await page.getByLabel('Person', { exact: true }).selectOption('cy');
    await expect
      .poll(() => page.locator('.privacy-loss').textContent(), { timeout: 30_000 })
      .toContain(
        `Erasing cy destroys ${org.pushed.get('cy')} records over 2 days from Mon 30 Nov 2026 to Tue 1 Dec 2026`,
      );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export their data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^sealtime-cy-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse((await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '')) as {
      employeeId: string;
      records: Array<{ id: string }>;
    };
    expect(exported.employeeId).toBe('cy');
    expect(exported.records).toHaveLength(org.pushed.get('cy')!);

    const erase = page.getByRole('button', { name: 'Erase cy' });
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel("Type the person's id to confirm").fill('c');
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel("Type the person's id to confirm").fill('cy');
    expect(await erase.isDisabled()).toBe(false);
    await saveScreen(page, 'privacy');
    await erase.click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 60_000 })
      .toMatch(/^cy was erased: \d+ server documents purged, 3 databases deleted, 1 device revoked/);
    expect(await onServer(org.screenshots.get('cy')![0]!)).toBe(false);
    expect(await page.getByLabel('Person', { exact: true }).locator('option').allTextContents()).not.toContain('cy');
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 300_000);
});

// End to end, screens 7 and 8: `sealtime-admin ui` against a real server
// with an organisation, Debian's Chromium driving the policy editor (a
// refused value shown next to its field, the diff, publishing — checked in
// each inbox under the organisation key) and the audit log (filters, a row
// opened). Saves docs/screens/policies.png and docs/screens/audit.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPolicyDocument } from '@sealtime/shared';
import { setPolicy } from './admin/policy-publishing.js';
import { createReviewOrg, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './core/test-support/review-org.js';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

let org: ReviewOrg;
let ui: UiSession | null = null;

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: ['2026-12-01'], timeZone: 'UTC' });
  // an organisation layer, set the CLI's way, for the team to inherit from
  await setPolicy(org.ctx, {
    level: 'organisation',
    id: 'acme',
    set: ['retention.days=60', 'screenshots.blur=true'],
    lock: ['screenshots.blur'],
    orgPassphrase: PASSPHRASE,
  });
}, 240_000);
afterAll(async () => {
  await ui?.close();
  await org?.close();
});

describe('policies and audit log in Chromium', () => {
  it('edits, previews and publishes a team layer, then finds it in the audit log', async () => {
    ui = await openUi({ viewport: { width: 1280, height: 900 } });
    const { page } = ui;
    await signInAndUnlock(page, { server: org.srv.url, user: 'root', password: ROOT_PASSWORD, passphrase: PASSPHRASE });

    await page.getByRole('button', { name: 'Policies' }).click();
    await page.getByRole('table', { name: 'settings for Organisation acme' }).waitFor({ timeout: 30_000 });
    await page.getByRole('combobox', { name: 'level', exact: true }).selectOption('team');
    const table = page.getByRole('table', { name: 'settings for Team blue' });
    await table.waitFor({ timeout: 30_000 });
    const row = (path: string) => table.locator('tr.policy-row', { hasText: path });
    await expect.poll(() => row('screenshots.enabled').locator('.policy-source').textContent()).toBe('Default');
    expect(await row('retention.days').locator('.policy-source').textContent()).toBe('Organisation acme');
    expect(await row('screenshots.blur').locator('.policy-source').textContent()).toBe(
      'Organisation acmelocked by Organisation acme',
    );

    // a value out of range: refused next to its field, nothing published
    await page.getByRole('combobox', { name: 'screenshots.enabled at this level' }).selectOption('true');
    const perHour = page.getByRole('spinbutton', { name: 'screenshots.perHour at this level' });
    await perHour.fill('999');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await expect
      .poll(() => row('screenshots.perHour').getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/screenshots\.perHour/);
    await expect.poll(() => page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);

    // fixed: the diff says what publishing changes
    await perHour.fill('12');
    await page.getByRole('button', { name: 'Review changes' }).click();
    const diff = page.getByRole('table', { name: 'changes' });
    await diff.waitFor({ timeout: 30_000 });
    expect(await diff.locator('tbody tr').allTextContents()).toEqual([
      'screenshots.enabledinherits → OnOff → On',
      'screenshots.perHourinherits → 123 → 12',
    ]);
    await expect.poll(() => page.locator('.policy-preview').textContent()).toContain('sent to: ada, bob');
    await saveScreen(page, 'policies');

    await page.getByRole('button', { name: 'Publish' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toMatch(/Published the Team blue layer, signed with the organisation key, to ada, bob/);
    await expect
      .poll(() => row('screenshots.enabled').locator('.policy-source').textContent(), { timeout: 30_000 })
      .toBe('Team blue');
    await expect.poll(() => row('screenshots.perHour').locator('.policy-effective').textContent()).toBe('12');

    // what the devices get: the layer in each inbox, signed by the organisation key
    const orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
    for (const e of ['ada', 'bob']) {
      const wire = (await org.ctx.client.getDoc<{ doc: unknown }>(`st-emp-${e}-inbox`, 'policy:team:blue'))!;
      const v = verifyPolicyDocument(wire.doc, [orgKey]);
      expect(v.ok && v.value.layer.settings).toEqual({ screenshots: { enabled: true, perHour: 12 } });
    }

    // withdrawing asks first, then signs a withdrawal: the team's values go, the levels above decide again
    await page.getByRole('button', { name: 'Withdraw this layer…' }).click();
    await expect
      .poll(() => page.getByRole('alertdialog').textContent())
      .toContain('Its settings stop applying to ada, bob');
    await page.getByRole('button', { name: 'Withdraw and sign' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toMatch(/Withdrew the Team blue layer/);
    await expect
      .poll(() => row('screenshots.perHour').locator('.policy-effective').textContent(), { timeout: 30_000 })
      .toBe('3');
    expect(await row('retention.days').locator('.policy-source').textContent()).toBe('Organisation acme');
    expect(await page.getByRole('button', { name: 'Withdraw this layer…' }).count()).toBe(0);

    // the audit log: the directory write of that layer, filtered, opened
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('list', { name: 'audit entries' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.audit-row').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await page.getByLabel('Action', { exact: true }).fill('directory');
    await page.getByLabel('Target contains').fill('policy:team:blue');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('.audit-row').count(), { timeout: 30_000 }).toBe(2); // published, withdrawn
    const entry = page.locator('.audit-row').first();
    expect(await entry.locator('summary').textContent()).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}user:rootwrote to the directorydb:st-org-directory\/policy:team:blue$/,
    );
    await entry.locator('summary').click();
    await expect
      .poll(() => entry.getByRole('table', { name: 'changed fields' }).textContent())
      .toContain('layer.settings.screenshots.perHour');
    await page.getByLabel('Action', { exact: true }).fill('');
    await page.getByLabel('Target contains').fill('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('.audit-row').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    // the entry opened above stays open (a details element keeps its state): open it only if it is not
    const opened = page
      .locator('.audit-row', { hasText: 'st-org-directory/policy:team:blue' })
      .first()
      .locator('details');
    if (!(await opened.evaluate((el) => (el as HTMLDetailsElement).open))) await opened.locator('summary').click();
    await expect.poll(() => opened.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    await saveScreen(page, 'audit');

    expect(consoleProblems(ui.console)).toEqual([]);
  });
});

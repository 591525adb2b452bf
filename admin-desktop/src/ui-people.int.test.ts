// End to end, the "People and devices" screen: `sealtime-admin ui` with
// Debian's Chromium against a real server with enrolled devices. An admin
// invites an employee (the one-time password then logs in), resets and
// disables the account (checked against the server), issues an enrollment
// code showing the org fingerprint, and revokes a device (its next push is
// refused). Saves docs/screens/people.png and devices.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerClient } from './admin/node/server-client.js';
import { createReviewOrg, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './core/test-support/review-org.js';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

let org: ReviewOrg;
let ui: UiSession | null = null;

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: ['2026-12-01'], timeZone: 'UTC' });
}, 240_000);
afterAll(async () => {
  await ui?.close();
  await org?.close();
});

const loginRefused = (user: string, password: string) =>
  new ServerClient({ url: org.srv.url }).login(user, password).then(
    () => false,
    () => true,
  );

describe('People and devices in Chromium', () => {
  it('invites, resets, disables, issues an enrollment code and revokes a device', async () => {
    ui = await openUi({ viewport: { width: 1280, height: 900 } });
    const { page } = ui;
    await signInAndUnlock(page, { server: org.srv.url, user: 'root', password: ROOT_PASSWORD, passphrase: PASSPHRASE });
    await page.getByRole('button', { name: 'People and devices' }).click();
    await page.getByRole('heading', { name: 'People and devices' }).waitFor({ timeout: 30_000 });
    const accounts = page.locator('table.people-table tbody tr');
    await expect.poll(() => accounts.count(), { timeout: 30_000 }).toBe(3);

    // invite an employee: key ring, directory entry with a name, member account
    const invite = page.getByRole('form', { name: 'invite' });
    await invite.getByLabel('Account', { exact: true }).fill('cleo');
    await invite.getByLabel('Employee id').fill('cleo');
    await invite.getByLabel('Name', { exact: true }).fill('Cleo Park');
    await invite.getByLabel('Team', { exact: true }).selectOption('blue');
    await invite.getByRole('button', { name: 'Invite' }).click();
    const once = page.getByRole('region', { name: 'shown once' });
    await once.waitFor({ timeout: 60_000 });
    await expect.poll(() => once.locator('code.secret').count()).toBe(3); // password, ring passphrase, recovery key
    const firstPassword = (await once.locator('code.secret').first().textContent())!;
    expect(await loginRefused('cleo', firstPassword)).toBe(false);
    await once.getByRole('button', { name: 'Done' }).click();
    expect(await invite.getByLabel('Account', { exact: true }).inputValue()).toBe(''); // the form starts over
    const cleoRow = page.locator('table.people-table tbody tr', { hasText: 'Cleo Park' });
    await cleoRow.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.locator('table', { hasText: 'Managers' }).locator('tr', { hasText: 'blue' }).textContent())
      .toContain('Cleo Park');

    // reset: a new one-time password; the old one is refused
    await cleoRow.getByRole('button', { name: 'Reset password' }).click();
    await once.waitFor({ timeout: 30_000 });
    const secondPassword = (await once.locator('code.secret').first().textContent())!;
    expect(secondPassword).not.toBe(firstPassword);
    expect(await loginRefused('cleo', firstPassword)).toBe(true);
    expect(await loginRefused('cleo', secondPassword)).toBe(false);
    await once.getByRole('button', { name: 'Done' }).click();

    // disable: the server refuses the account
    await cleoRow.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('status').filter({ hasText: 'cleo is disabled' }).waitFor({ timeout: 30_000 });
    await cleoRow.getByText('Disabled').waitFor({ timeout: 30_000 });
    expect(await loginRefused('cleo', secondPassword)).toBe(true);
    expect(
      await page
        .locator('table.people-table tbody tr', { hasText: 'root' })
        .getByRole('button', { name: 'Disable' })
        .isDisabled(),
    ).toBe(true);
    await saveScreen(page, 'people');

    // devices: the org fingerprint, an enrollment code, a revocation
    await page.getByRole('button', { name: 'Devices', exact: true }).click();
    const fingerprint = (await org.ctx.custody.orgRing()).fingerprint;
    await page.locator('code.fingerprint').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('code.fingerprint').first().textContent()).toBe(fingerprint);
    const codeForm = page.getByRole('form', { name: 'enrollment code' });
    await codeForm.getByLabel('Employee', { exact: true }).selectOption('ada');
    await codeForm.getByRole('button', { name: 'Issue enrollment code' }).click();
    const issued = page.getByRole('region', { name: 'enrollment code' });
    await issued.waitFor({ timeout: 60_000 });
    expect(await issued.locator('code.fingerprint').textContent()).toBe(fingerprint);
    const code = (await issued.locator('code.secret').textContent())!;
    expect(await issued.textContent()).toContain(`sealtime-agent enroll ${org.srv.url} ${code}`);

    const devices = page.locator('table.devices-table tbody tr');
    await expect.poll(() => devices.count()).toBe(2);
    const bobRow = page.locator('table.devices-table tbody tr', { hasText: 'bob-laptop' });
    expect(await bobRow.textContent()).toMatch(/ago|just now/); // it pushed its records: the server saw it
    const bobDevice = (await org.ctx.client.devices('bob'))[0]!;
    await bobRow.getByRole('button', { name: 'Revoke', exact: true }).click();
    await bobRow.getByRole('button', { name: 'Revoke bob-laptop for good' }).click();
    await page.getByRole('status').filter({ hasText: 'revoked' }).waitFor({ timeout: 30_000 });
    await bobRow.getByText('Revoked').waitFor({ timeout: 30_000 });
    expect((await org.ctx.client.devices('bob'))[0]!.revokedAt).toEqual(expect.any(Number));
    expect(bobDevice.revokedAt).toBeNull();
    await saveScreen(page, 'devices');

    expect(consoleProblems(ui.console)).toEqual([]);
  }, 300_000);
});

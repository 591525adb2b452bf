// End to end in Chromium: with the server stopped a reviewer approves a
// correction; the app says it waits to sync (on the item and in the sync
// bar); the server comes back on the same address and the decision arrives
// in the employee's inbox, after which nothing waits any more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pino } from 'pino';
import { startSealtimeServer, type SealtimeServer } from '@sealtime/sync-server/testing';
import { createReviewOrg, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './core/test-support/review-org.js';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

let org: ReviewOrg;
let ui: UiSession | null = null;
let restarted: SealtimeServer | null = null;

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: ['2026-12-01', '2026-12-02'], timeZone: 'UTC' });
}, 240_000);
afterAll(async () => {
  await ui?.close();
  await restarted?.close();
  await org?.close();
});

describe('offline actions in the ui', () => {
  it('approves a correction with the server stopped, shows it waiting, delivers it when the server is back', async () => {
    ui = await openUi();
    const { page } = ui;
    await signInAndUnlock(page, { server: org.srv.url, user: 'root', password: ROOT_PASSWORD, passphrase: PASSPHRASE });
    const bar = page.locator('.sync-bar');
    await expect.poll(() => bar.textContent(), { timeout: 90_000 }).toMatch(/● online · st-org-records · \d+ records/);

    await page.getByRole('button', { name: 'Attendance' }).click();
    await page.getByLabel('date', { exact: true }).fill('2026-12-02');
    const item = page.locator('li.correction', { hasText: 'forgot to clock in' });
    await item.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 60_000 });

    await org.srv.s.close();
    await expect.poll(() => bar.textContent(), { timeout: 90_000 }).toMatch(/○ offline · st-org-records/);
    await item.getByLabel('Reason for the decision').fill('badge reader was broken');
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 30_000 })
      .toBe('Decision saved: waiting to sync');
    await expect.poll(() => item.textContent(), { timeout: 30_000 }).toMatch(/Waiting to sync.*cannot reach/);
    expect(await item.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await expect.poll(() => bar.textContent(), { timeout: 30_000 }).toMatch(/1 waiting to sync/);
    await saveScreen(page, 'offline-queue');

    // the server comes back on the same address: the decision goes, nothing waits
    restarted = await startSealtimeServer({
      dataDir: join(org.srv.dir, 'server'),
      listen: { host: '127.0.0.1', port: Number(new URL(org.srv.url).port) },
      logger: pino({ level: 'silent' }),
    });
    await expect.poll(() => bar.textContent(), { timeout: 120_000 }).not.toMatch(/waiting to sync/);
    // sent: marked so until the employee's device seals its own record of the decision (no agent runs here)
    await expect.poll(() => item.textContent(), { timeout: 30_000 }).toMatch(/Sent: the device has not confirmed yet/);
    expect(await item.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await expect.poll(() => bar.textContent(), { timeout: 60_000 }).toMatch(/● online · st-org-records/);
    await saveScreen(page, 'offline-queue-delivered');
    const doc = await org.ctx.client.getDoc<{
      doc: { decision: { decision: string; comment?: string; decidedBy: string } };
    }>('st-emp-ada-inbox', `correction-decision:${org.correctionRequestId}`);
    expect(doc?.doc.decision).toMatchObject({
      decision: 'approved',
      comment: 'badge reader was broken',
      decidedBy: 'root',
    });
    expect(doc?._rev).toMatch(/^1-/);
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 420_000);
});

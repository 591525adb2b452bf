// End to end, screenshot images: `sealtime-admin ui` in Debian's Chromium
// against a real server with sealed records. The timeline and the gallery
// name thumbnails and full images by links the core serves (no inline image
// data in the messages); a view's thumbnails come in one batch request and
// show through object URLs (kept for the next views, revoked at lock); a full image opens
// without a request, its link serves once; every link ends at lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateOrg, storeOrg, type OrgPlan, type StoredOrg } from '../../test-support/org-fixture/index.js';
import {
  lowParams,
  ROOT_PASSWORD,
  startAdminTestServer,
  type AdminTestServer,
} from './admin/test-support/admin-server.js';
import { consoleProblems, openUi, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

// the org fixture: screenshots sealed by the recorder's code, with their WebP thumbnails (the review org has none)
let srv: AdminTestServer;
let plan: OrgPlan;
let stored: StoredOrg;
let ui: UiSession | null = null;

beforeAll(async () => {
  srv = await startAdminTestServer();
  plan = await generateOrg({ seed: 3, people: 2, days: 1, endDate: '2026-11-27', timeZone: 'UTC' });
  const params = await lowParams();
  stored = await storeOrg(plan, {
    url: srv.url,
    superAdmin: { userId: 'root', password: ROOT_PASSWORD },
    profileDir: await srv.profile(),
    keyParams: { opsLimit: params.opsLimit, memLimitBytes: params.memLimitBytes },
  });
}, 600_000);
afterAll(async () => {
  await ui?.close();
  await srv?.close();
});

/** Status and content type of a same-origin fetch made by the page (its cookies, its origin). */
const pageFetch = (page: Page, src: string) =>
  page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, type: r.headers.get('content-type') ?? '', bytes: (await r.arrayBuffer()).byteLength };
  }, src);

/** Every <img> matching `sel` loaded and decoded with real pixels. */
const allLoaded = (page: Page, sel: string) =>
  page
    .locator(sel)
    .evaluateAll((els) =>
      els.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
    );

/**
 * Clicks the first gallery item (closing an open overlay first) and tells
 * what the overlay showed when it first appeared: the image (its link was at
 * hand) or "Loading…" (it had to ask).
 */
async function firstOverlay(): Promise<{ img: string | null; text: string }> {
  const open = document.querySelector<HTMLElement>('[role=dialog] .overlay-actions button:last-child');
  if (open) {
    open.click();
    await new Promise((r) => setTimeout(r, 100));
  }
  return new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      const dialog = document.querySelector('[role=dialog]');
      if (!dialog) return;
      obs.disconnect();
      resolve({ img: dialog.querySelector('img')?.getAttribute('src') ?? null, text: dialog.textContent ?? '' });
    });
    obs.observe(document.body, { subtree: true, childList: true });
    document.querySelector<HTMLElement>('.gallery-item')!.click();
  });
}

describe('screenshot images in the ui', () => {
  it('shows thumbnails and full images through links, opens a full image without a request, ends links at lock', async () => {
    ui = await openUi({ viewport: { width: 1200, height: 900 } });
    const { page } = ui;
    const base = new URL(ui.url).origin;
    const admin = stored.users.find((u) => u.role === 'admin')!;
    // functions handed to page.evaluate may come wrapped in esbuild's __name(): give the page a no-op one
    await page.evaluate('globalThis.__name ??= (f) => f');
    await signInAndUnlock(page, {
      server: srv.url,
      user: admin.userId,
      password: admin.password,
      passphrase: stored.passphrases.organisation,
    });
    await page.getByLabel('date', { exact: true }).fill(plan.workDates[plan.workDates.length - 1]!);
    await page.getByLabel('person', { exact: true }).selectOption(plan.people[0]!.employeeId);

    // the timeline: the day's thumbnails come in one request (/img-batch) and show through object URLs
    await page.evaluate(() => {
      const w = globalThis as unknown as { __revoked: string[] };
      w.__revoked = [];
      const revoke = URL.revokeObjectURL.bind(URL);
      URL.revokeObjectURL = (u: string) => {
        w.__revoked.push(u);
        revoke(u);
      };
    });
    await page.getByRole('button', { name: 'Timeline', exact: true }).click();
    const thumbs = page.locator('.timeline-thumbs img');
    await thumbs.first().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('.timeline-thumbs .thumb-placeholder').count(), { timeout: 30_000 }).toBe(0);
    const srcs = await thumbs.evaluateAll((els) => els.map((i) => i.getAttribute('src') ?? ''));
    expect(srcs.length).toBeGreaterThan(0);
    expect(srcs.every((s) => s.startsWith(`blob:${base}/`))).toBe(true);
    await expect.poll(() => allLoaded(page, '.timeline-thumbs img'), { timeout: 30_000 }).toBe(true);
    const requested = () =>
      page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    const asked = await requested();
    expect(asked.filter((p) => p === '/img-batch')).toHaveLength(1);
    expect(asked.filter((p) => p.startsWith('/img/'))).toEqual([]); // no thumbnail asked one by one
    // the batch's links serve again (the gallery shows the same thumbnails): each part a WebP, the sealed-in thumbnail
    const batchUrl = await page.evaluate(
      () => performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/img-batch')!.name,
    );
    const again = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const form = await r.formData();
      return {
        status: r.status,
        parts: [...form.values()].map((f) => ({ type: (f as Blob).type, bytes: (f as Blob).size })),
      };
    }, batchUrl);
    expect(again.status).toBe(200);
    expect(again.parts).toHaveLength(srcs.length);
    for (const part of again.parts) {
      expect(part.type).toBe('image/webp');
      expect(part.bytes).toBeGreaterThan(100);
    }

    // the gallery shows the same thumbnails through the same object URLs: no second request, no second decode
    await page.getByRole('button', { name: 'Screenshots', exact: true }).click();
    await page.locator('.gallery-item img').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => allLoaded(page, '.gallery-item img'), { timeout: 30_000 }).toBe(true);
    const gallerySrcs = await page
      .locator('.gallery-item img')
      .evaluateAll((els) => els.map((i) => i.getAttribute('src') ?? ''));
    expect(new Set(gallerySrcs)).toEqual(new Set(srcs));
    // the timeline's and this test's own fetch above
    expect((await requested()).filter((p) => p === '/img-batch')).toHaveLength(2);

    // a full image: its link came with the gallery, so the overlay shows the image in the click's own update
    const inClick = await page.evaluate(firstOverlay);
    expect(inClick.img).toMatch(/^\/img\//);
    expect(inClick.text).not.toContain('Loading and decrypting');
    const full = page.getByRole('dialog').locator('img');
    await expect.poll(() => allLoaded(page, '[role=dialog] img'), { timeout: 30_000 }).toBe(true);
    expect(await full.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    // served once: the page's own second fetch and anyone else's are refused
    expect((await pageFetch(page, inClick.img!)).status).toBe(404);
    expect((await fetch(`${base}${inClick.img}`)).status).toBe(404);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 30_000 });

    // opened again: with the link the app fetched once the first showed, again in the click's own update
    // (should that fetch still be under way, the open asks instead and the next click has it)
    await expect.poll(() => page.evaluate(firstOverlay).then((o) => o.img), { timeout: 30_000 }).toMatch(/^\/img\//);
    const second = await full.getAttribute('src');
    expect(second).not.toBe(inClick.img);
    await expect.poll(() => allLoaded(page, '[role=dialog] img'), { timeout: 30_000 }).toBe(true);
    await page.keyboard.press('Escape');

    // lock: every link ends (the thumbnails' batch too)
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock' }).waitFor({ timeout: 30_000 });
    expect((await pageFetch(page, batchUrl)).status).toBe(403);
    // and the thumbnails' object URLs were revoked
    const revoked = await page.evaluate(() => (globalThis as unknown as { __revoked: string[] }).__revoked);
    expect(srcs.filter((u) => !revoked.includes(u))).toEqual([]);
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 300_000);
});

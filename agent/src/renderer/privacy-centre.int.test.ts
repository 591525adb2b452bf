// The privacy centre, built by Vite and served with the header CSP, in
// Debian's Chromium at 1000 and 420 px, on a bridge fed by a real agent:
// enrolled against the real server, capturing under Xvfb, with a day of
// history sealed by the agent's own recorder; its real status (online, then
// with the server gone) and its real export opened with the employee's key.
// Checks the sentences, local times, the timeline, error and stale states,
// overflow and the console; writes docs/screens/agent-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_MEM_LIMIT_BYTES, MIN_OPS_LIMIT, createKeyring, newPwhashParams, type BoxKeyPair } from '@sealtime/shared';
import { startDisplay, type TestDisplay } from '../../../test-support/xvfb.js';
import { openXterm, type TestWindow } from '../../../test-support/x11.js';
import { startAgentTestServer, waitFor, type AgentTestServer } from '../cli/test-support/agent-server.js';
import { startAgent, type AgentHandle } from '../compose.js';
import { FULL_IMAGES, recordedView } from './privacy-view.js';
import { EMPLOYEE, enrollTestDevice, policyInbox } from './test-support/enrolled-agent.js';
import {
  noOverflow,
  bridgeOf,
  openPage,
  SCREENS,
  shot,
  startPageServer,
  statusAnswer,
  type OpenedPage,
  type PageServer,
} from './test-support/page-harness.js';
import { MIN, TZ, berlinDate, hm, seedDay } from './test-support/seeded-day.js';

const PASSPHRASE = 'correct horse battery staple';

let x: TestDisplay;
let term: TestWindow;
let srv: AgentTestServer;
let dataDir: string;
let agent: AgentHandle;
let employeeKeys: BoxKeyPair;
let pages: PageServer;
/** Set while the test makes the status call fail. */
const failure = { status: null as string | null };
let prevDisplay: string | undefined;

/** What main.ts answers on the privacy centre's four channels, with the real agent behind it. */
const bridge = bridgeOf({
  status: () =>
    failure.status ? { ok: false, error: { code: 'failed', message: failure.status } } : statusAnswer(agent),
  chooseKeyring: () => ({ ok: true, value: { fileName: 'ana-keyring.json' } }),
  loadRecorded: async ([passphrase]) => {
    // the key ring file is main's business (tray/own-data.ts, tested there); here the passphrase gate stands in for it
    if (passphrase !== PASSPHRASE)
      return {
        ok: false,
        error: { code: 'wrong-passphrase', message: 'the key ring does not open: wrong passphrase' },
      };
    return { ok: true, value: recordedView(await agent.exportOwnData([employeeKeys], { newest: FULL_IMAGES })) };
  },
  exportRecorded: () => ({ ok: true, value: { saved: false } }),
});

const open = (file: string, width: number): Promise<OpenedPage> =>
  openPage(pages.browser, `${pages.base}/${file}`, { viewport: { width, height: 900 }, timezoneId: TZ, bridge });

beforeAll(async () => {
  x = await startDisplay();
  prevDisplay = process.env.DISPLAY;
  process.env.DISPLAY = x.display; // the collectors read process.env
  term = await openXterm(x.env, { title: 'quarterly-report.ods' });
  await term.activate();

  srv = await startAgentTestServer();
  dataDir = await enrollTestDevice(srv, 'st-agent-pages-');
  await srv.putInbox(EMPLOYEE, policyInbox(srv));
  // the employee's key ring, wrapped by their passphrase, as people-setup sends it to the inbox
  const ring = createKeyring({
    ownerId: EMPLOYEE,
    role: 'employee',
    passphrase: PASSPHRASE,
    now: Date.now(),
    params: newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES),
  });
  if (!ring.ok) throw new Error(ring.error.message);
  const RING = JSON.parse(JSON.stringify(ring.value.unlocked.doc)) as Record<string, unknown>;
  await srv.putInbox(EMPLOYEE, [
    { id: `keyring:employee:${EMPLOYEE}`, type: 'keyring', target: EMPLOYEE, issuedAt: Date.now(), doc: RING },
  ]);
  await seedDay(srv, dataDir, berlinDate(Date.now() - 24 * 60 * MIN));

  agent = await startAgent({
    dataDir,
    env: x.env,
    screenshotIntervalMs: 5000,
    windowIntervalMs: 300,
    sync: { minRetryMs: 200, maxRetryMs: 1000, reconcileMs: 300 },
  });
  // the ring reached the agent's store through sync: main unlocks it with the passphrase (tray/own-data.ts)
  expect(await waitFor('the key ring in the local inbox', async () => agent.ownKeyring(), 60_000, 250)).toEqual(RING);
  const k = srv.org.employee(EMPLOYEE);
  employeeKeys = { publicKey: k.boxPublicKey, secretKey: k.boxSecretKey };
  await waitFor(
    'capture running and everything uploaded',
    async () => {
      const s = await agent.status();
      return s.capture.state === 'running' && s.connected && s.backlog.count === 0 ? s : null;
    },
    120_000,
    250,
  );
  pages = await startPageServer('st-agent-pages-build-');
}, 300_000);

afterAll(async () => {
  await pages?.close();
  await agent?.stop().catch(() => undefined);
  await srv?.close().catch(() => undefined);
  await term?.close().catch(() => undefined);
  await x?.stop();
  if (prevDisplay === undefined) delete process.env.DISPLAY;
  else process.env.DISPLAY = prevDisplay;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the privacy centre in Chromium', () => {
  it.each([1000, 420])(
    'at %i px: the policy in words with who set it, the status, the records as a day timeline',
    async (width) => {
      const o = await open('privacy-centre.html', width);
      try {
        const { page } = o;
        await page.locator('#policy-sentence').waitFor();
        expect(await page.locator('#policy-sentence').textContent()).toBe(
          'Blurred screenshots about 6 an hour; app names and window titles; keyboard and mouse counts per 10 min, never the keys you press; idle after 5 min without input; kept 90 days, then deleted.',
        );
        const recorded = await page.locator('#recorded li').allTextContents();
        expect(recorded).toContain(
          'Blurred screenshots about 6 an hour; you are told each time. Set by your organisation and the default.',
        );
        expect(recorded).toContain('App names and window titles; no web addresses. Set by your team and the default.');
        expect(recorded).toContain('Kept 90 days, then deleted. Set by your organisation.');
        expect(await page.locator('#headline').textContent()).toBe('Recording, as described below.');
        // capture goes on meanwhile: a fresh item may be on its way up, which the page says as such
        await expect
          .poll(() => page.locator('.fact').allTextContents(), { timeout: 15_000 })
          .toContainEqual(
            expect.stringMatching(
              /^Upload(Everything is uploaded \(last upload \d\d:\d\d\)|\d+ items?( and \d+ screenshot images?)? \(\d+ (B|KB|MB)\) waiting since \d\d:\d\d; uploading now)$/,
            ),
          );
        const body = (await page.locator('body').textContent()) ?? '';
        expect(body).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:|record\(s\)|organisation:acme/);

        // the records, opened with the employee's passphrase (the ring comes from the inbox); a wrong one says so and keeps nothing
        expect(await page.locator('#keyring').textContent()).toBe("from your organisation's server");
        if (width === 420) {
          await page.locator('#choose').click();
          await expect.poll(() => page.locator('#keyring').textContent()).toBe('ana-keyring.json');
        }
        await page.locator('#passphrase').fill('not my passphrase');
        await page.locator('#show').click();
        await expect
          .poll(() => page.locator('#records-message').textContent())
          .toBe('Your records did not open: the key ring does not open: wrong passphrase');
        expect(await page.locator('#passphrase').inputValue()).toBe('');
        await page.locator('#passphrase').fill(PASSPHRASE);
        await page.locator('#show').click();
        await page.locator('#records-summary').waitFor({ timeout: 60_000 });
        expect(await page.locator('#chain').textContent()).toMatch(
          /^Nothing missing or altered: \d+ signatures checked\.$/,
        );
        // today (the live capture) first; then yesterday's history, one day back
        await page.getByRole('button', { name: '← Earlier day with records' }).click();
        await expect.poll(() => page.locator('.timeline-thumbs .thumb').count()).toBe(3);
        const stats = await page.locator('.stats .stat').allTextContents();
        // clocked in 08:55, out 17:05, 30 min break: 7 h 40 min
        expect(stats).toContain('Worked7 h 40 min');
        expect(stats).toContain('Idle29 min');
        expect(stats).toContain('Screenshots3');
        expect(await page.locator('.timeline-hour').count()).toBeGreaterThanOrEqual(23);
        expect(await page.locator('.timeline-apps .chip').allTextContents()).toContain('LibreOffice Calc 1 h 00 min');
        const idleRow = await page.locator('table[aria-labelledby="pd-idle"] tbody tr').first().textContent();
        expect(idleRow).toBe('14:3815:0729 minNo inputKept as work');
        expect(await page.locator('table').first().textContent()).toContain('08:55Clock in');
        await noOverflow(page);
        await shot(page, width === 1000 ? 'agent-privacy-centre' : 'agent-privacy-centre-narrow');
        // raw records folded, one per record of that day, times local
        const raw = page.locator('#raw-records');
        expect(await raw.locator('summary').first().textContent()).toBe('The 60 records of this day, as stored');
        await raw.locator('summary').first().click();
        await raw.locator('.raw-list > li').first().locator('summary').click();
        expect(await raw.locator('.raw-list > li').first().locator('summary').textContent()).toBe(
          '08:55 Clock event: clock-in',
        );
        expect(await raw.locator('.raw-list > li pre').first().textContent()).toContain('"type": "clock-in"');
        await noOverflow(page);

        // a thumbnail opens the full image, decrypted with the employee's key
        await page.locator('.timeline-thumbs .thumb').first().click();
        const full = page.locator('#full-shot');
        await full.waitFor();
        expect(await full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1280);
        expect(await page.locator('.overlay-bar span').textContent()).toMatch(
          /^Screenshot at \w{3} \d{1,2} \w{3}, 09:04, blurred, 1280×800$/,
        );
        if (width === 1000) await page.screenshot({ path: join(SCREENS, 'agent-screenshot-full.png') });
        await page.getByRole('button', { name: 'Close' }).click();
        await noOverflow(page);
        expect(o.problems).toEqual([]);
      } finally {
        await o.close();
      }
    },
    240_000,
  );

  it('says a backlog behind an unreachable server, then marks a failed status as stale', async () => {
    await srv.close();
    // new captures pile up while the server is gone
    const waiting = await waitFor(
      'a backlog and a sync error',
      async () => {
        const s = await agent.status();
        return !s.connected && s.backlog.count > 0 && s.backlog.lastError ? s : null;
      },
      120_000,
      250,
    );
    const o = await open('privacy-centre.html', 1000);
    try {
      const { page } = o;
      await page.locator('.fact.tone-warning').first().waitFor();
      const upload = (await page.locator('.fact', { hasText: 'Upload' }).first().textContent()) ?? '';
      expect(upload).toMatch(
        new RegExp(
          `^Upload\\d+ items? (and \\d+ screenshot images? )?\\(\\d+ (B|KB|MB)\\) waiting since \\d\\d:\\d\\d; server unreachable since ${hm(Date.parse(waiting.lastSyncAt!))}; they upload automatically once it is back$`,
        ),
      );
      const error = page.locator('.fact', { hasText: 'Last upload error' });
      expect(await error.locator('.fact-text').evaluate((e) => e.firstChild?.textContent ?? '')).toMatch(
        /^At \d\d:\d\d: (the server refused the connection \(it may be down or restarting\)|the connection to the server broke off)$/,
      );
      expect(await error.locator('details').getAttribute('open')).toBeNull(); // the raw text is folded
      expect(await error.locator('code').textContent()).toMatch(/ECONNREFUSED|ECONNRESET|fetch failed|socket/);
      expect(await page.locator('#headline').textContent()).toBe(
        'Recording. Some records are waiting to upload: the server cannot be reached right now.',
      );
      await noOverflow(page);
      await shot(page, 'agent-status-offline');

      // the status call fails: no old "Recording" rows under it, the policy marked with its time
      failure.status = 'the agent is not answering (connect ETIMEDOUT)';
      await page.locator('#headline.tone-problem').waitFor({ timeout: 15_000 });
      expect(await page.locator('#headline .headline-text').textContent()).toMatch(
        /^Status unavailable since \d\d:\d\d: the server did not answer in time\.$/,
      );
      expect(await page.locator('.fact').count()).toBe(0);
      expect(await page.getByText('Right now').count()).toBe(0);
      expect(await page.locator('.stale-note').textContent()).toMatch(
        /^Last known at \d\d:\d\d; it may have changed since\.$/,
      );
      await page.setViewportSize({ width: 420, height: 900 });
      await noOverflow(page);
      await shot(page, 'agent-status-stale-narrow');
      expect(o.problems).toEqual([]);
    } finally {
      failure.status = null;
      await o.close();
    }
  }, 240_000);
});

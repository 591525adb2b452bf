// Both agent pages, built by Vite and served with the header CSP, in Debian's
// Chromium at 1000 and 420 px, on a bridge fed by a real agent: enrolled
// against the real server, capturing under Xvfb, with a day of history
// sealed by the agent's own recorder; its real status (online, then with the
// server gone), its real export opened with the employee's key, and a real
// idle decider. Checks the sentences, local times, the timeline, error and
// stale states, overflow and the console; writes docs/screens/agent-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  MIN_MEM_LIMIT_BYTES,
  MIN_OPS_LIMIT,
  createKeyring,
  newPwhashParams,
  type BoxKeyPair,
  type IdlePeriodPayload,
} from '@sealtime/shared';
import { startDisplay, type TestDisplay } from '../../../test-support/xvfb.js';
import { openXterm, type TestWindow } from '../../../test-support/x11.js';
import { startAgentTestServer, waitFor, type AgentTestServer } from '../cli/test-support/agent-server.js';
import { encodeThumbnail } from '../collectors/screenshot/image-encode.js';
import { startAgent, type AgentHandle } from '../compose.js';
import { agentPaths, unlockAgentKeystore } from '../enroll/data-dir.js';
import { enrollDevice } from '../enroll/enroll-device.js';
import { StaticRecipientDirectory } from '../recorder/recipients.js';
import { Recorder } from '../recorder/recorder.js';
import { openAgentStore } from '../store/agent-store.js';
import { APP_ORIGIN, resolveAppRequest } from '../tray/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../tray/content-security-policy.js';
import { IdleDecider } from '../tray/idle-prompt.js';
import { FULL_IMAGES, recordedView } from './privacy-view.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCREENS = join(ROOT, 'docs/screens');
const TZ = 'Europe/Berlin';
const PASSPHRASE = 'correct horse battery staple';
const EMPLOYEE = 'ana';
const MIN = 60_000;

const hm = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
const berlinDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(ms);
/** Epoch ms of a Berlin wall time on a date (the offset found by trying both). */
function berlin(date: string, time: string): number {
  for (const off of ['+01:00', '+02:00']) {
    const ms = Date.parse(`${date}T${time}:00${off}`);
    if (hm(ms) === time && berlinDate(ms) === date) return ms;
  }
  throw new Error(`no Berlin time ${date} ${time}`);
}

let x: TestDisplay;
let term: TestWindow;
let srv: AgentTestServer;
let dataDir: string;
let agent: AgentHandle;
let employeeKeys: BoxKeyPair;
let pagesDir: string;
let http: Server;
let base: string;
let browser: Browser;
let decider: IdleDecider;
let yesterday: string;
const bridge = { statusFailure: null as string | null, loads: 0 };
let prevDisplay: string | undefined;

/** A screenshot-like picture for the history (sharp renders it; the agent's encoder makes its thumbnail). */
async function picture(label: string, hue: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="800"><rect width="1280" height="800" fill="#eef1f5"/><rect x="0" y="0" width="1280" height="48" fill="${hue}"/><rect x="40" y="90" width="760" height="40" fill="#c8d0da"/><rect x="40" y="150" width="1180" height="560" fill="#fff" stroke="#c8d0da"/><text x="60" y="118" font-size="28" font-family="sans-serif" fill="#1c2430">${label}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function seedHistory(): Promise<void> {
  const paths = agentPaths(dataDir);
  const unlocked = await unlockAgentKeystore(paths);
  const store = await openAgentStore(paths.store);
  const org = srv.org;
  const recorder = await Recorder.open({
    store,
    device: unlocked.identity,
    recipients: new StaticRecipientDirectory({
      organisation: org.org.boxPublicKey,
      hr: org.hr.boxPublicKey,
      team: org.team('design').boxPublicKey,
      employee: org.employee(EMPLOYEE).boxPublicKey,
    }),
  });
  const at = (t: string) => berlin(yesterday, t);
  const rec = async (kind: Parameters<Recorder['record']>[0], payload: unknown) => {
    const r = await recorder.record(kind, payload as never);
    if (!r.ok) throw new Error(`${kind}: ${r.error.message}`);
  };
  await rec('attendance', { v: 1, at: at('08:55'), type: 'clock-in', source: 'manual' });
  for (let m = 0; m < 8 * 60; m += 10) {
    const start = at('09:00') + m * MIN;
    const idle = start >= at('14:30') && start < at('15:10');
    const active = idle ? 60 : 300 + ((m * 37) % 290);
    await rec('activity-slot', {
      v: 1,
      start,
      slotSeconds: 600,
      activeSeconds: active,
      keyPresses: idle ? 0 : active * 2,
      clicks: idle ? 0 : Math.round(active / 5),
      mouseMoves: idle ? 3 : active,
      scrolls: idle ? 0 : 12,
    });
  }
  const apps: Array<[string, string, string, string]> = [
    ['09:00', '10:30', 'LibreOffice Calc', 'quarterly-report.ods'],
    ['10:30', '12:00', 'Firefox', 'Sealtime — privacy centre design'],
    ['12:30', '14:38', 'Code', 'MyRecords.tsx — sealtime'],
    ['15:07', '17:00', 'Thunderbird', 'Inbox'],
  ];
  for (const [from, to, app, title] of apps)
    await rec('app-event', { v: 1, start: at(from), durationMs: at(to) - at(from), app, title });
  await rec('attendance', { v: 1, at: at('12:00'), type: 'break-start', source: 'manual' });
  await rec('attendance', { v: 1, at: at('12:30'), type: 'break-end', source: 'manual' });
  await rec('idle-period', { v: 1, start: at('14:38'), end: at('15:07'), cause: 'no-input', decision: 'kept' });
  for (const [t, label, hue, app] of [
    ['09:04', 'quarterly-report.ods', '#2e7d4f', 'LibreOffice Calc'],
    ['11:12', 'Sealtime — privacy centre design', '#b45309', 'Firefox'],
    ['15:40', 'Inbox (3)', '#2f5f98', 'Thunderbird'],
  ] as const) {
    const image = await picture(label, hue);
    const thumb = await encodeThumbnail(image);
    if (!thumb.ok) throw new Error(thumb.error.message);
    const shot = await recorder.recordScreenshot(
      {
        screen: 0,
        width: 1280,
        height: 800,
        format: 'png',
        blurred: true,
        app,
        thumb: thumb.value.thumb,
        takenAt: at(t),
      },
      image,
    );
    if (!shot.ok) throw new Error(shot.error.message);
  }
  await rec('attendance', { v: 1, at: at('17:05'), type: 'clock-out', source: 'manual' });
  await recorder.close();
  await store.close();
}

async function snapshot(): Promise<unknown> {
  if (bridge.statusFailure) return { ok: false, error: { code: 'failed', message: bridge.statusFailure } };
  return {
    ok: true,
    value: { app: { version: '0.1.0', phase: 'running', error: null }, agent: await agent.status(), now: Date.now() },
  };
}

/** What main.ts answers on each of the six channels, with the real agent behind it. */
async function answer(name: string, args: unknown[]): Promise<unknown> {
  switch (name) {
    case 'status':
      return snapshot();
    case 'chooseKeyring':
      return { ok: true, value: { fileName: 'ana-keyring.json' } };
    case 'loadRecorded': {
      bridge.loads++;
      // the key ring file is main's business (tray/own-data.ts, tested there); here the passphrase gate stands in for it
      if (args[0] !== PASSPHRASE)
        return {
          ok: false,
          error: { code: 'wrong-passphrase', message: 'the key ring does not open: wrong passphrase' },
        };
      return { ok: true, value: recordedView(await agent.exportOwnData([employeeKeys], { newest: FULL_IMAGES })) };
    }
    case 'exportRecorded':
      return { ok: true, value: { saved: false } };
    case 'idlePrompt':
      return { ok: true, value: decider.current };
    case 'answerIdle':
      return {
        ok: true,
        value: { accepted: decider.answer(String(args[0]), args[1] === 'discard' ? 'discard' : 'keep') },
      };
    default:
      return { ok: false, error: { code: 'bad-request', message: `no channel ${name}` } };
  }
}

interface Opened {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

async function open(file: string, width: number): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: TZ, locale: 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.exposeFunction('__sealtimeMain', (name: string, args: unknown[]) => answer(name, args));
  await page.addInitScript(() => {
    const call = (name: string, ...args: unknown[]) =>
      (window as unknown as { __sealtimeMain: (n: string, a: unknown[]) => Promise<unknown> }).__sealtimeMain(
        name,
        args,
      );
    (window as unknown as { sealtimeAgent: unknown }).sealtimeAgent = {
      status: () => call('status'),
      chooseKeyring: () => call('chooseKeyring'),
      loadRecorded: (passphrase: string) => call('loadRecorded', passphrase),
      exportRecorded: () => call('exportRecorded'),
      idlePrompt: () => call('idlePrompt'),
      answerIdle: (promptId: string, choice: string) => call('answerIdle', promptId, choice),
    };
  });
  await page.goto(`${base}/${file}`);
  return { page, problems, close: () => context.close() };
}

async function noOverflow(page: Page): Promise<void> {
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(m.scroll, `page is ${m.scroll} px wide in a ${m.client} px window`).toBeLessThanOrEqual(m.client);
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  x = await startDisplay();
  prevDisplay = process.env.DISPLAY;
  process.env.DISPLAY = x.display; // the collectors read process.env
  term = await openXterm(x.env, { title: 'quarterly-report.ods' });
  await term.activate();

  srv = await startAgentTestServer();
  dataDir = mkdtempSync(join(tmpdir(), 'st-agent-pages-'));
  await enrollDevice({
    paths: agentPaths(dataDir),
    serverUrl: srv.url,
    code: await srv.enrollmentCode(EMPLOYEE, 'design'),
  });
  await srv.putInbox(EMPLOYEE, [
    srv.org.recipients(EMPLOYEE, 'design'),
    srv.org.policy(EMPLOYEE, {
      level: 'organisation',
      id: 'acme',
      settings: { screenshots: { enabled: true, perHour: 6, blur: true }, retention: { days: 90 } },
    }),
    srv.org.policy(EMPLOYEE, { level: 'team', id: 'design', settings: { appTracking: { titles: true } } }),
  ]);
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
  yesterday = berlinDate(Date.now() - 24 * 60 * MIN);
  await seedHistory();

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

  decider = new IdleDecider({ discardByDefault: () => false });
  const period: IdlePeriodPayload = {
    v: 1,
    start: berlin(yesterday, '14:38'),
    end: berlin(yesterday, '15:07'),
    cause: 'no-input',
    decision: 'pending',
  };
  void decider.decide(period);

  pagesDir = mkdtempSync(join(tmpdir(), 'st-agent-pages-build-'));
  const vite = await import('vite');
  await vite.build({
    configFile: join(ROOT, 'agent/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: pagesDir, emptyOutDir: true },
  });
  // served as main serves sealtime-app://app: the same allowlist, the header CSP (frame-ancestors included), nosniff
  http = createServer((req, res) => {
    // Chromium asks an http origin for /favicon.ico; the app scheme never is (and the pages name no icon)
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    const file = req.method === 'GET' ? resolveAppRequest(`${APP_ORIGIN}${req.url ?? '/'}`, pagesDir) : null;
    if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    try {
      const body = readFileSync(file.path);
      res
        .writeHead(200, {
          'content-type': file.contentType,
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        })
        .end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await new Promise((r) => (http ? http.close(r) : r(undefined)));
  await agent?.stop().catch(() => undefined);
  await srv?.close().catch(() => undefined);
  await term?.close().catch(() => undefined);
  await x?.stop();
  if (prevDisplay === undefined) delete process.env.DISPLAY;
  else process.env.DISPLAY = prevDisplay;
  for (const d of [dataDir, pagesDir]) if (d) rmSync(d, { recursive: true, force: true });
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
      bridge.statusFailure = 'the agent is not answering (connect ETIMEDOUT)';
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
      bridge.statusFailure = null;
      await o.close();
    }
  }, 240_000);
});

describe('the idle prompt in Chromium', () => {
  it.each([1000, 420])(
    'at %i px: the away range, both answers, the default marked with its real source',
    async (width) => {
      const o = await open('idle-prompt.html', width);
      try {
        const { page } = o;
        await page.locator('#question').waitFor();
        expect(await page.locator('#question').textContent()).toBe(
          'You were away 14:38–15:07 (29 min): no keyboard or mouse input.',
        );
        expect(await page.locator('#keep').textContent()).toBe('Keep as work time (default)');
        expect(await page.locator('#discard').textContent()).toBe('Discard');
        expect(await page.locator('#keep').getAttribute('class')).toBe('primary');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('keep');
        // idle.discardIdle is nobody's setting here: the default, and the page says so
        expect(await page.locator('#default-note').textContent()).toMatch(
          /^Without an answer by \d\d:\d\d, this time is kept as work time \(the default setting\)\.$/,
        );
        await noOverflow(page);
        await shot(page, width === 1000 ? 'agent-idle-prompt' : 'agent-idle-prompt-narrow');
        expect(o.problems).toEqual([]);
      } finally {
        await o.close();
      }
    },
    120_000,
  );

  it('answers through the bridge and says so', async () => {
    const o = await open('idle-prompt.html', 420);
    try {
      const { page } = o;
      const id = decider.current!.promptId;
      await page.locator('#discard').click();
      await expect.poll(() => page.locator('#result').textContent()).toBe('Discarded.');
      expect(decider.current).toBeNull();
      expect(decider.answer(id, 'keep')).toBe(false);
      expect(o.problems).toEqual([]);
    } finally {
      await o.close();
    }
  }, 120_000);
});

// The idle prompt, built by Vite and served with the header CSP, in Debian's
// Chromium at 1000 and 420 px, on a bridge fed by a real idle decider and a
// real agent's status (enrolled against the real server, its policy delivered
// through the inbox, leaving idle.discardIdle at its default). Checks the
// away range, both answers, the default marked with its source, overflow and
// the console; writes docs/screens/agent-idle-prompt*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { IdlePeriodPayload } from '@sealtime/shared';
import { startAgentTestServer, waitFor, type AgentTestServer } from '../cli/test-support/agent-server.js';
import { startAgent, type AgentHandle } from '../compose.js';
import { IdleDecider } from '../tray/idle-prompt.js';
import { EMPLOYEE, enrollTestDevice, policyInbox } from './test-support/enrolled-agent.js';
import {
  noOverflow,
  bridgeOf,
  openPage,
  shot,
  startPageServer,
  statusAnswer,
  type OpenedPage,
  type PageServer,
} from './test-support/page-harness.js';
import { MIN, TZ, berlin, berlinDate } from './test-support/seeded-day.js';

let srv: AgentTestServer;
let dataDir: string;
let agent: AgentHandle;
let pages: PageServer;
let decider: IdleDecider;

/** What main.ts answers on the idle prompt's three channels. */
const bridge = bridgeOf({
  status: () => statusAnswer(agent),
  idlePrompt: () => ({ ok: true, value: decider.current }),
  answerIdle: ([promptId, choice]) => ({
    ok: true,
    value: { accepted: decider.answer(String(promptId), choice === 'discard' ? 'discard' : 'keep') },
  }),
});

const open = (file: string, width: number): Promise<OpenedPage> =>
  openPage(pages.browser, `${pages.base}/${file}`, { viewport: { width, height: 900 }, timezoneId: TZ, bridge });

beforeAll(async () => {
  srv = await startAgentTestServer();
  dataDir = await enrollTestDevice(srv, 'st-agent-idle-');
  await srv.putInbox(EMPLOYEE, policyInbox(srv));
  agent = await startAgent({
    dataDir,
    capture: false,
    sync: { minRetryMs: 200, maxRetryMs: 1000, reconcileMs: 300 },
  });
  // both policy layers applied: idle.discardIdle is set by neither, so its source is the default
  await waitFor('the policy in the agent', async () => (await agent.status()).policy.layers.length === 2, 60_000, 200);

  decider = new IdleDecider({ discardByDefault: () => false });
  const yesterday = berlinDate(Date.now() - 24 * 60 * MIN);
  const period: IdlePeriodPayload = {
    v: 1,
    start: berlin(yesterday, '14:38'),
    end: berlin(yesterday, '15:07'),
    cause: 'no-input',
    decision: 'pending',
  };
  void decider.decide(period);
  pages = await startPageServer('st-agent-idle-build-');
}, 240_000);

afterAll(async () => {
  await pages?.close();
  await agent?.stop().catch(() => undefined);
  await srv?.close().catch(() => undefined);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

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

// The "Other project…" window, built by Vite and served with the header CSP,
// in Debian's Chromium, on a bridge that answers as main.ts does but through
// the real agent's control socket (the `projects` and `track` calls behind
// `sealtime-agent projects` / `track`): an agent enrolled against the real
// server, its projects signed by the organisation and delivered through its
// inbox. Filters, picks with the keyboard, tracks, is refused for a project
// archived meanwhile; no console or CSP problem. Writes
// docs/screens/agent-project-search.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { createProjectDocument, projectDocId, type InboxDoc, type Project } from '@sealtime/shared';
import { startAgentTestServer, waitFor, type AgentTestServer } from '../cli/test-support/agent-server.js';
import { startAgent, type AgentHandle } from '../compose.js';
import { ControlRemoteError, controlRequest } from '../control/control-client.js';
import { agentPaths } from '../enroll/data-dir.js';
import { EMPLOYEE, enrollTestDevice } from './test-support/enrolled-agent.js';
import { openPage, shot, startPageServer, type OpenedPage, type PageServer } from './test-support/page-harness.js';

let srv: AgentTestServer;
let dataDir: string;
let agent: AgentHandle;
let pages: PageServer;
const calls: string[] = [];

const project = (p: Partial<Project> & Pick<Project, 'id' | 'name'>): Project => ({
  colour: '#2f5f98',
  teamIds: ['design'],
  archived: false,
  tasks: [],
  ...p,
});
const apollo = project({
  id: 'apollo',
  name: 'Apollo',
  client: 'Acme',
  tasks: [
    { id: 'design', name: 'Design review', assignees: [EMPLOYEE], status: 'open' },
    { id: 'build', name: 'Build pipeline', assignees: [], status: 'open' },
    { id: 'old', name: 'Kick-off', assignees: [], status: 'done' },
  ],
});
const borealis = project({ id: 'borealis', name: 'Borealis', colour: '#b45309' });
const chronos = project({ id: 'chronos', name: 'Chronos', archived: true });

function signed(p: Project, issuedAt: number): InboxDoc {
  const d = createProjectDocument(p, issuedAt, srv.org.org);
  if (!d.ok) throw new Error(d.error.message);
  return { id: projectDocId(p.id), type: 'project', target: EMPLOYEE, issuedAt, doc: d.value };
}

/** What main.ts answers on the two channels, through the agent's control socket. */
async function answer(name: string, args: unknown[]): Promise<unknown> {
  calls.push(name);
  const socket = agentPaths(dataDir).controlSocket;
  try {
    if (name === 'projects') {
      const r = (await controlRequest(socket, 'projects')) as {
        projects: unknown[];
        tracking: { current: unknown };
      };
      return { ok: true, value: { projects: r.projects, current: r.tracking.current } };
    }
    if (name === 'track') {
      const [projectId, taskId] = args as [string, string | undefined];
      const r = (await controlRequest(socket, 'track', {
        project: projectId,
        ...(taskId ? { task: taskId } : {}),
      })) as { current: unknown };
      return { ok: true, value: { current: r.current } };
    }
    return { ok: false, error: { code: 'bad-request', message: `no channel ${name}` } };
  } catch (err) {
    const code = err instanceof ControlRemoteError ? err.code : 'failed';
    return { ok: false, error: { code, message: (err as Error).message } };
  }
}

const open = (width = 520, height = 460): Promise<OpenedPage> =>
  openPage(pages.browser, `${pages.base}/project-search.html`, {
    viewport: { width, height },
    bridge: { channels: ['projects', 'track'], answer },
  });

const options = (page: Page) => page.locator('[role=option] .choice-label').allInnerTexts();
const selectedText = (page: Page) => page.locator('[role=option][aria-selected=true] .choice-label').innerText();
const tracked = async () => (await agent.status()).tracking?.current ?? null;

beforeAll(async () => {
  srv = await startAgentTestServer();
  dataDir = await enrollTestDevice(srv, 'st-agent-search-');
  const t = Date.now();
  await srv.putInbox(EMPLOYEE, [
    srv.org.recipients(EMPLOYEE, 'design'),
    signed(apollo, t),
    signed(borealis, t),
    signed(chronos, t),
  ]);
  agent = await startAgent({
    dataDir,
    capture: false,
    sync: { minRetryMs: 200, maxRetryMs: 1000, reconcileMs: 300 },
  });
  await waitFor('the projects in the agent', async () => (await agent.projects()).projects.length === 2, 60_000, 200);

  pages = await startPageServer('st-agent-search-build-');
}, 240_000);

afterAll(async () => {
  await pages?.close();
  await agent?.stop();
  await srv?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the "Other project…" search window', () => {
  it('lists the delivered projects and open tasks, filters, picks with the keyboard and tracks through the agent', async () => {
    const { page, problems, close } = await open();
    await page.locator('#project-list').waitFor();
    expect(await page.locator('#search-current').innerText()).toBe('Not tracking a project now.');
    // the archived project and the done task are not offered
    expect(await options(page)).toEqual(['Apollo', 'Apollo — Design review', 'Apollo — Build pipeline', 'Borealis']);
    expect(await page.locator('#choice-0').innerText()).toContain('Acme');
    expect(await page.locator('#choice-1 .tag').innerText()).toBe('assigned to you');
    // the filter box has the focus: typing narrows at once
    await page.keyboard.type('apo');
    expect(await page.locator('[role=option]').count()).toBe(3);
    expect(await selectedText(page)).toBe('Apollo');
    await page.keyboard.press('ArrowDown');
    expect(await selectedText(page)).toBe('Apollo — Design review');
    expect(await page.locator('#project-filter').getAttribute('aria-activedescendant')).toBe('choice-1');
    await shot(page, 'agent-project-search', false);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#search-message').innerText()).toBe('Tracking: Apollo — Design review');
    expect(await tracked()).toMatchObject({ projectId: 'apollo', taskId: 'design' });
    expect(problems).toEqual([]);
    await close();
  });

  it('wraps with the arrows, every typed word must match, and marks what is tracked now', async () => {
    const { page, problems, close } = await open();
    await page.locator('#project-list').waitFor();
    expect(await page.locator('#search-current').innerText()).toBe('Tracking now: Apollo — Design review');
    expect(await page.locator('#choice-1').innerText()).toContain('tracking now');
    await page.keyboard.press('ArrowUp'); // from the first to the last
    expect(await selectedText(page)).toBe('Borealis');
    await page.keyboard.type('apo build');
    expect(await options(page)).toEqual(['Apollo — Build pipeline']);
    await page.keyboard.type('x');
    expect(await page.locator('#search-empty').innerText()).toBe('Nothing matches “apo buildx”.');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#search-message').innerText()).toBe('Tracking: Apollo — Build pipeline');
    expect(await tracked()).toMatchObject({ projectId: 'apollo', taskId: 'build' });
    expect(problems).toEqual([]);
    await close();
  });

  it('says a refusal in the window and tracks nothing else: a project archived since the list was read', async () => {
    const { page, problems, close } = await open();
    await page.locator('#project-list').waitFor();
    await page.keyboard.type('borealis');
    // the organisation archives Borealis while the window is open
    await srv.putInbox(EMPLOYEE, [signed({ ...borealis, archived: true }, Date.now() + 1)]);
    await waitFor('Borealis archived in the agent', async () => (await agent.projects()).projects.length === 1, 60_000);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#search-message').innerText())
      .toBe('Not tracked: project Borealis is archived: time can no longer be tracked on it');
    expect(await page.locator('#search-message').getAttribute('class')).toBe('tone-problem');
    expect(await tracked()).toMatchObject({ projectId: 'apollo', taskId: 'build' });
    expect(await page.locator('#project-filter').isEnabled()).toBe(true);
    expect(problems).toEqual([]);
    expect(calls.filter((c) => c === 'track')).toHaveLength(3);
    await close();
  });
});

/**
 * What the agent's page tests share: the pages built by Vite and served as
 * main serves sealtime-app://app (the same allowlist, the header CSP,
 * nosniff), Debian's Chromium, and a page opened on a bridge that answers the
 * way main.ts does, with every console problem kept.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../../test-support/chromium.js';
import type { AgentHandle } from '../../compose.js';
import { APP_ORIGIN, resolveAppRequest } from '../../tray/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../tray/content-security-policy.js';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const SCREENS = join(ROOT, 'docs/screens');

export interface PageServer {
  /** http://127.0.0.1:port: the built pages, at the paths the app scheme has. */
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the pages (agent/vite.config.ts) into a temporary folder, serves them and launches Chromium. */
export async function startPageServer(tmpPrefix: string): Promise<PageServer> {
  const pagesDir = mkdtempSync(join(tmpdir(), tmpPrefix));
  const vite = await import('vite');
  await vite.build({
    configFile: join(ROOT, 'agent/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: pagesDir, emptyOutDir: true },
  });
  const http = createServer((req, res) => {
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
  const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  const browser = await launchChromium();
  return {
    base,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await new Promise((r) => http.close(r));
      rmSync(pagesDir, { recursive: true, force: true });
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** Console errors and warnings, page errors, failed requests and HTTP errors, in order. */
  problems: string[];
  close(): Promise<void>;
}

export interface PageBridge {
  /** The calls window.sealtimeAgent offers this page (the preload's names). */
  channels: readonly string[];
  /** What main.ts answers on a channel. */
  answer(name: string, args: unknown[]): Promise<unknown>;
}

/** What main.ts answers on each channel a page has; a call of any other channel is answered 'bad-request'. */
export function bridgeOf(handlers: Record<string, (args: unknown[]) => unknown>): PageBridge {
  return {
    channels: Object.keys(handlers),
    async answer(name, args) {
      const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
      return handler ? handler(args) : { ok: false, error: { code: 'bad-request', message: `no channel ${name}` } };
    },
  };
}

/** Opens a page in a fresh context whose window.sealtimeAgent forwards each channel to `bridge.answer`. */
export async function openPage(
  browser: Browser,
  url: string,
  opts: { viewport: { width: number; height: number }; timezoneId?: string; bridge: PageBridge },
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: opts.viewport,
    locale: 'en-GB',
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
  });
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
  await page.exposeFunction('__sealtimeMain', (name: string, args: unknown[]) => opts.bridge.answer(name, args));
  await page.addInitScript((channels: readonly string[]) => {
    const call = (name: string, args: unknown[]) =>
      (window as unknown as { __sealtimeMain: (n: string, a: unknown[]) => Promise<unknown> }).__sealtimeMain(
        name,
        args,
      );
    const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const name of channels) api[name] = (...args: unknown[]) => call(name, args);
    (window as unknown as { sealtimeAgent: unknown }).sealtimeAgent = api;
  }, opts.bridge.channels);
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

/** The page fits its window: no horizontal scrolling. */
export async function noOverflow(page: Page): Promise<void> {
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(m.scroll, `page is ${m.scroll} px wide in a ${m.client} px window`).toBeLessThanOrEqual(m.client);
}

/** Writes docs/screens/<name>.png (the whole page unless `fullPage` is false). */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage });
}

/** main.ts's answer on the status channel, with the real agent behind it. */
export async function statusAnswer(agent: AgentHandle): Promise<unknown> {
  return {
    ok: true,
    value: { app: { version: '0.1.0', phase: 'running', error: null }, agent: await agent.status(), now: Date.now() },
  };
}

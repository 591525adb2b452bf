/**
 * Debian's Chromium for the admin bench (playwright-core): the project's
 * flags, the org's time zone, and the page's instruments installed before
 * the app loads (every API message's arrival time and size, a resource
 * timing buffer large enough for a run's image requests).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BenchBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

export async function openBenchBrowser(timeZone: string): Promise<BenchBrowser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: timeZone });
    // tsx (esbuild keepNames) wraps the functions handed to page.evaluate in __name(): give the page a no-op one
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    // where a navigation's time goes: each API message's arrival and size (page-timing.ts reads them)
    await context.addInitScript({
      content: `(() => { performance.setResourceTimingBufferSize(100000); const add = WebSocket.prototype.addEventListener; WebSocket.prototype.addEventListener = function (type, fn, o) {
        if (type !== 'message') return add.call(this, type, fn, o);
        return add.call(this, type, (ev) => { const m = { t: performance.now(), bytes: String(ev.data).length }; (globalThis.__msgs ??= []).push(m); if (globalThis.__msgs.length > 200) globalThis.__msgs.shift(); fn(ev); }, o); }; })();`,
    });
    return { browser, context, page: await context.newPage() };
  } catch (err) {
    await browser.close().catch(() => undefined);
    throw err;
  }
}

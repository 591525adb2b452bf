/**
 * What the page spent over a stretch of the run. SEALTIME_BENCH_PAGE_PROF=<dir>
 * writes a V8 CPU profile of the page (<name>.cpuprofile); Chromium's own
 * counters (CDP Performance.getMetrics) give the same stretch's time in
 * scripts, style, layout and tasks and the DOM's size, always.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

const COUNTERS = ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'] as const;

async function metrics(cdp: CDPSession): Promise<Map<string, number>> {
  const r = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return new Map(r.metrics.map((m) => [m.name, m.value]));
}

export interface PageStretch {
  /** stops the stretch: writes the profile (when asked) and returns a line of the counters' growth */
  stop(): Promise<string>;
}

export async function startPageStretch(context: BrowserContext, page: Page, name: string): Promise<PageStretch> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = await metrics(cdp);
  const dir = process.env.SEALTIME_BENCH_PAGE_PROF;
  if (dir) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  return {
    async stop() {
      if (dir) {
        const { profile } = await cdp.send('Profiler.stop');
        await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      }
      const after = await metrics(cdp);
      await cdp.detach();
      const grew = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
      const ms = COUNTERS.map((k) => `${k.replace('Duration', '')} ${(grew(k) * 1000).toFixed(0)} ms`);
      return `${name}: ${ms.join(', ')}; layouts ${grew('LayoutCount')}, style recalcs ${grew('RecalcStyleCount')}; DOM nodes now ${after.get('Nodes') ?? '?'}`;
    },
  };
}

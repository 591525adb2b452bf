/**
 * The admin app's UI figures, measured the way a reviewer meets them:
 * `sealtime-admin ui --no-open` as a child process (its own core, an empty
 * replica), Debian's Chromium driven by playwright-core (bench-browser.ts).
 * Every time is taken in the page (page-timing.ts). The page's clock is
 * fixed to the organisation's last working day, so "today" on the dashboard
 * is that day.
 *
 *   cold start   unlock click → the dashboard shows its final figures for all
 *                people (ui-cold-start.ts)
 *   warm views   after the replica is complete: dashboard, person-day
 *                timeline, thumbnail gallery, full screenshots
 *                (review-ui-timings.ts); issue 17's reports (work-ui-timings.ts)
 *   memory       RSS of the core process and of Chromium's renderer(s) from
 *                /proc, the renderer's JS heap from CDP Performance.getMetrics
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { zonedTimeToEpoch } from '@sealtime/shared';
import { startUiProcess } from '@sealtime/admin-desktop/testing';
import type { AdminBenchContext, SlotRow } from './bench-context.js';
import { openBenchBrowser, type BenchBrowser } from './bench-browser.js';
import { startPageStretch } from './page-profile.js';
import { pageBreakdown } from './page-timing.js';
import { coreMemory, logRendererRss, procMemory, rendererMemories, type ProcMemory } from './process-memory.js';
import { measureReviewViews } from './review-ui-timings.js';
import { coldStart } from './ui-cold-start.js';
import { orgRange } from './work-core-timings.js';
import { measureWorkUi } from './work-ui-timings.js';

export interface UiTimingOptions {
  /** The organisation's time zone: the core's and the page's. */
  timeZone: string;
  /** The day the dashboard shows (the org's last working day). */
  date: string;
  /** Records st-org-records holds: the replica is complete at this count. */
  expectedRecords: number;
  /** People whose timeline and gallery are opened (first visit, then repeat). */
  samples?: number;
  /** Full screenshots opened (each from the server, then from the cache). */
  shots?: number;
  /** Calendar days of the organisation (names the memory rows). */
  days: number;
}

function startUi(dataDir: string, timeZone: string): Promise<{ url: string; proc: ChildProcess }> {
  // SEALTIME_BENCH_CORE_PROF=<dir>: a V8 CPU profile of the core, written when it exits
  const prof = process.env.SEALTIME_BENCH_CORE_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SEALTIME_BENCH_CORE_PROF}`]
    : [];
  // the memory breakdown on SIGUSR2 (core-memory-probe.mjs; SEALTIME_BENCH_CORE_HEAP=<dir> adds a heap snapshot)
  const probe = ['--expose-gc', '--import', pathToFileURL(join(import.meta.dirname, 'core-memory-probe.mjs')).href];
  return startUiProcess(dataDir, { TZ: timeZone }, { nodeArgs: [...prof, ...probe], timeoutMs: 180_000 });
}

/** The memory rows once every view was shown: the core's (/proc, then after a full GC) and the renderer's. */
async function memoryRows(
  ui: { proc: ChildProcess },
  b: { context: BrowserContext; page: Page; browser: BenchBrowser['browser'] },
  o: { days: number; coreAtReplica: ProcMemory; log: (m: string) => void },
  add: (metric: string, value: number, unit: string) => void,
): Promise<void> {
  const core = await procMemory(ui.proc.pid!);
  add(`core RSS with the ${o.days}-day replica open (target ≤ 400 MB at 30 days)`, core.rssMb, 'MB');
  add('core RSS: anonymous (heap, buffers, malloc)', core.anonMb, 'MB');
  add('core RSS: file-backed (code, mapped LevelDB tables)', core.fileMb, 'MB');
  add('core peak RSS (VmHWM) during the run', core.hwmMb, 'MB');
  add('core RSS when the replica was complete (before the warm views)', o.coreAtReplica.rssMb, 'MB');
  // where the RSS is: JS heap, buffers outside it (ArrayBuffers among them), or native (LevelDB, code, allocator)
  const mem = await coreMemory(ui.proc);
  if (mem.anon) o.log(`    core anonymous resident memory: ${JSON.stringify(mem.anon)} (MB resident/mapped)`);
  add('core after a full GC: RSS', mem.rss / 1e6, 'MB');
  add('core after a full GC: JS heap used', mem.heapUsed / 1e6, 'MB');
  add('core after a full GC: JS heap reserved (heapTotal)', mem.heapTotal / 1e6, 'MB');
  add('core after a full GC: external (ArrayBuffers included)', mem.external / 1e6, 'MB');
  add('core after a full GC: ArrayBuffers', mem.arrayBuffers / 1e6, 'MB');
  const rss = (await rendererMemories(b.browser)).map((r) => r.rssMb);
  if (rss.length === 0) throw new Error('no Chromium renderer process found over CDP');
  add('renderer RSS (largest renderer process; target ≤ 300 MB)', Math.max(...rss), 'MB');
  const pageCdp = await b.context.newCDPSession(b.page);
  await pageCdp.send('Performance.enable');
  const metrics = (await pageCdp.send('Performance.getMetrics')) as {
    metrics: Array<{ name: string; value: number }>;
  };
  const heap = metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
  if (heap !== undefined) add('renderer JS heap used', heap / 1e6, 'MB');
}

export async function measureUi(ctx: AdminBenchContext, o: UiTimingOptions): Promise<SlotRow[]> {
  const rows: SlotRow[] = [];
  const add = (metric: string, value: number, unit: string) => {
    ctx.log(`  ${metric}: ${value.toFixed(1)} ${unit}`);
    rows.push({ metric, value, unit, higherIsBetter: false });
  };
  const ui = await startUi(join(ctx.workDir, 'ui-core'), o.timeZone);
  let b: BenchBrowser | null = null;
  try {
    b = await openBenchBrowser(o.timeZone);
    const { browser, context, page } = b;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // "today" in the page is the org's last working day (timers keep running)
    await page.clock.setFixedTime(new Date(zonedTimeToEpoch(o.date, '15:00', o.timeZone)));
    await page.goto(ui.url);

    let coreAtReplica: ProcMemory | null = null;
    const cold = await coldStart(
      page,
      { serverUrl: ctx.serverUrl, stored: ctx.stored, expectedRecords: o.expectedRecords, log: ctx.log },
      async () => {
        coreAtReplica = await procMemory(ui.proc.pid!);
      },
    );
    add('ui cold start: unlock → dashboard of the day complete for all people (target ≤ 15 s)', cold.dashboardS, 's');
    add('ui cold start: unlock → replica complete (ui core)', cold.replicaS, 's');
    await logRendererRss(browser, 'after the cold start', ctx.log);

    // warm: the replica is complete; first visits open a person's days, repeats hit the core's index
    const dayViews = await startPageStretch(context, page, 'page');
    await measureReviewViews(page, {
      finalStats: cold.finalStats,
      people: cold.people,
      samples: o.samples ?? 5,
      shots: o.shots ?? 5,
      add,
      afterDayViews: async () => {
        await logRendererRss(browser, 'after the timelines and galleries', ctx.log);
        ctx.log(`    ${await dayViews.stop()}`);
      },
    });
    await logRendererRss(browser, 'after the full screenshots', ctx.log);
    for (const line of await pageBreakdown(page)) ctx.log(`    ${line}`);

    // issue 17: project report, timesheets and productivity in the page, then the core's RSS after them
    rows.push(
      ...(await measureWorkUi(page, context, {
        firstDate: orgRange(ctx.org).from,
        today: o.date,
        days: o.days,
        log: ctx.log,
      })),
    );
    add('core RSS after the project, productivity and timesheet views', (await procMemory(ui.proc.pid!)).rssMb, 'MB');

    // memory with the month's replica open
    await memoryRows(ui, b, { days: o.days, coreAtReplica: coreAtReplica!, log: ctx.log }, add);
    if (errors.length > 0) throw new Error(`page errors: ${errors.slice(0, 3).join('; ')}`);
    return rows;
  } finally {
    await b?.browser.close().catch(() => undefined);
    if (ui.proc.exitCode === null) {
      ui.proc.kill('SIGTERM');
      await new Promise((r) => ui.proc.once('exit', r));
    }
  }
}

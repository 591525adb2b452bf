/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The admin app's UI figures, measured the way a reviewer meets them:
 * `sealtime-admin ui --no-open` as a child process (its own core, an empty
 * replica), Debian's Chromium driven by playwright-core. Every time is taken
 * in the page (performance.now()): from the click that navigates to the
 * moment the view's content is in the DOM, its images decoded, and a frame
 * has been painted after it (requestAnimationFrame, then a task). The page's
 * clock is fixed to the organisation's last working day, so "today" on the
 * dashboard is that day.
 *
 *   cold start   unlock click → the dashboard shows its final figures for all
 *                people (the stats it shows once the replica is complete)
 *   warm views   after the replica is complete: dashboard, person-day
 *                timeline, the day's thumbnail gallery (first visit of a
 *                person and a repeat visit), full screenshot from the server
 *                and again from the core's cache
 *   memory       RSS of the core process and of Chromium's renderer(s) from
 *                /proc, the renderer's JS heap from CDP Performance.getMetrics
 */
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { zonedTimeToEpoch } from '@sealtime/shared';
import { startUiProcess } from '@sealtime/admin-desktop/testing';
import type { AdminBenchContext, SlotRow } from './bench-context.js';
import { orgRange } from './work-core-timings.js';
import { measureWorkUi } from './work-ui-timings.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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

interface CoreMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  anon: { totalMb: number; mappings: number; largestMb: string[] } | null;
}

/** The core's process.memoryUsage() after a full GC (core-memory-probe.mjs answers SIGUSR2 on stderr). */
function coreMemory(proc: ChildProcess, timeoutMs = 600_000): Promise<CoreMemory> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = /\[core-memory\] (\{.*\})\n/.exec(buf);
      if (!m) return;
      done();
      resolve(JSON.parse(m[1]!) as CoreMemory);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('the core did not report its memory'));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      proc.stderr!.off('data', onData);
    };
    proc.stderr!.on('data', onData);
    proc.kill('SIGUSR2');
  });
}

/** kB figures of /proc/<pid>/status, in MB. */
async function procMemory(
  pid: number,
): Promise<{ rssMb: number; shmemMb: number; hwmMb: number; anonMb: number; fileMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  // file-backed: code and libraries, and the LevelDB tables it maps for reading (the kernel can drop those pages)
  return {
    rssMb: kb('VmRSS') / 1024,
    shmemMb: kb('RssShmem') / 1024,
    hwmMb: kb('VmHWM') / 1024,
    anonMb: kb('RssAnon') / 1024,
    fileMb: kb('RssFile') / 1024,
  };
}

type Until =
  | { kind: 'dashboard'; stats: string }
  | { kind: 'timeline'; name: string }
  | { kind: 'gallery'; name: string }
  | { kind: 'fullshot' };

/**
 * Clicks the `index`th element matching `click` and resolves with the
 * in-page milliseconds until `until` holds, its images are decoded and a
 * frame was painted.
 */
function timeNavigation(page: Page, click: string, index: number, until: Until): Promise<number> {
  return page.evaluate(
    async ({ click, index, until }) => {
      const text = (sel: string) => document.querySelector(sel)?.textContent ?? null;
      const images = (sel: string) => [...document.querySelectorAll<HTMLImageElement>(sel)];
      const ready = (): boolean => {
        switch (until.kind) {
          case 'dashboard':
            return (
              text('.dashboard .stats') === until.stats &&
              document.querySelectorAll('.dashboard-row:not(.grid-head)').length > 0
            );
          case 'timeline': {
            if (text('#person-day-title') !== until.name || document.querySelector('.person-day .stats') === null)
              return false;
            // every thumbnail of the day shown (none still a placeholder) and loaded
            const thumbs = document.querySelectorAll('.timeline-thumbs .thumb').length;
            const imgs = images('.timeline-thumbs .thumb img');
            return imgs.length === thumbs && imgs.every((i) => i.complete);
          }
          case 'gallery': {
            if (!(text('#gallery-title') ?? '').endsWith(until.name)) return false;
            const n = /(\d+) screenshots/.exec(text('.gallery .view-header') ?? '');
            if (!n) return false;
            const imgs = images('.gallery-item img');
            return imgs.length === Number(n[1]) && imgs.every((i) => i.complete);
          }
          case 'fullshot': {
            const img = document.querySelector<HTMLImageElement>('[role=dialog] img');
            return !!img && img.complete && img.naturalWidth > 0;
          }
        }
      };
      const target = document.querySelectorAll<HTMLElement>(click)[index];
      if (!target) throw new Error(`nothing to click at ${click} [${index}]`);
      const t0 = performance.now();
      target.click();
      await new Promise<void>((resolve, reject) => {
        let done = false;
        const finish = (err?: Error) => {
          if (done) return;
          done = true;
          obs.disconnect();
          clearInterval(poll);
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (ready()) finish();
        };
        const obs = new MutationObserver(check);
        obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        // an image finishing its load changes no DOM: look again now and then
        const poll = setInterval(check, 5);
        const timer = setTimeout(() => finish(new Error(`${until.kind}: not ready after 120 s`)), 120_000);
      });
      const inDom = performance.now() - t0;
      const msg = (globalThis as unknown as { __lastMsg?: { t: number; bytes: number } }).__lastMsg;
      await Promise.all(
        images(until.kind === 'fullshot' ? '[role=dialog] img' : 'main img').map((i) =>
          i.decode().catch(() => undefined),
        ),
      );
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const total = performance.now() - t0;
      (globalThis as unknown as { __breakdown: string[] }).__breakdown ??= [];
      // every API message and image request of this navigation: when it ended (ms after the click) and its size
      const msgs = ((globalThis as unknown as { __msgs?: Array<{ t: number; bytes: number }> }).__msgs ?? [])
        .filter((m) => m.t > t0 && m.t - t0 <= total)
        .map((m) => `${(m.t - t0).toFixed(0)}:${(m.bytes / 1024).toFixed(0)}k`);
      const fetched = performance
        .getEntriesByType('resource')
        .filter((e): e is PerformanceResourceTiming => e.startTime > t0 && /\/img/.test(e.name))
        .map((e) => `${(e.startTime - t0).toFixed(0)}-${(e.responseEnd - t0).toFixed(0)}`);
      (globalThis as unknown as { __breakdown: string[] }).__breakdown.push(
        `${until.kind}: ${total.toFixed(0)} ms (last message at ${msg && msg.t > t0 ? (msg.t - t0).toFixed(0) : '-'} ms, ${msg?.bytes ?? 0} B; in the DOM at ${inDom.toFixed(0)} ms; messages ${msgs.join(' ')}; images ${fetched.length > 6 ? `${fetched.length} from ${fetched[0]} to ${fetched.at(-1)}` : fetched.join(' ')})`,
      );
      return total;
    },
    { click, index, until },
  );
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function measureUi(ctx: AdminBenchContext, o: UiTimingOptions): Promise<SlotRow[]> {
  const admin = ctx.stored.users.find((u) => u.role === 'admin');
  if (!admin) throw new Error('the stored organisation has no admin');
  const samples = o.samples ?? 5;
  const shots = o.shots ?? 5;
  const rows: SlotRow[] = [];
  const add = (metric: string, value: number, unit: string) => {
    ctx.log(`  ${metric}: ${value.toFixed(1)} ${unit}`);
    rows.push({ metric, value, unit, higherIsBetter: false });
  };
  const ui = await startUi(join(ctx.workDir, 'ui-core'), o.timeZone);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: o.timeZone });
    // tsx (esbuild keepNames) wraps the functions handed to page.evaluate in __name(): give the page a no-op one
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    // where a navigation's time goes: when the last API message before "ready" arrived, and its size
    await context.addInitScript({
      content: `(() => { performance.setResourceTimingBufferSize(100000); const add = WebSocket.prototype.addEventListener; WebSocket.prototype.addEventListener = function (type, fn, o) {
        if (type !== 'message') return add.call(this, type, fn, o);
        return add.call(this, type, (ev) => { const m = { t: performance.now(), bytes: String(ev.data).length }; globalThis.__lastMsg = m; (globalThis.__msgs ??= []).push(m); if (globalThis.__msgs.length > 200) globalThis.__msgs.shift(); fn(ev); }, o); }; })();`,
    });
    const page = await context.newPage();
    // the largest renderer's RSS now: logged at each stage, to see which part of the run grows it
    const rendererRss = async (stage: string) => {
      const cdp = await browser!.newBrowserCDPSession();
      const info = (await cdp.send('SystemInfo.getProcessInfo')) as {
        processInfo: Array<{ type: string; id: number }>;
      };
      await cdp.detach();
      const mems = await Promise.all(
        info.processInfo.filter((p) => p.type === 'renderer').map((p) => procMemory(p.id).catch(() => null)),
      );
      const top = mems.filter((m) => m !== null).sort((a, b) => b.rssMb - a.rssMb)[0];
      if (top)
        ctx.log(
          `    renderer RSS ${stage}: ${top.rssMb.toFixed(0)} MB (anonymous ${top.anonMb.toFixed(0)}, file ${top.fileMb.toFixed(0)}, shared memory ${top.shmemMb.toFixed(0)})`,
        );
    };
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // "today" in the page is the org's last working day (timers keep running)
    await page.clock.setFixedTime(new Date(zonedTimeToEpoch(o.date, '15:00', o.timeZone)));
    await page.goto(ui.url);
    await page.getByLabel('Server').fill(ctx.serverUrl);
    await page.getByLabel('User').fill(admin.userId);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Unlock' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Passphrase').fill(ctx.stored.passphrases.organisation);

    // cold start: every change of the dashboard's figures, timed from the unlock click
    const unlockAt = await page.evaluate(() => {
      const w = window as unknown as { __statsLog: Array<{ t: number; stats: string; people: string }> };
      w.__statsLog = [];
      let last = '';
      const record = () => {
        const stats = document.querySelector('.dashboard .stats')?.textContent ?? '';
        const people = document.querySelector('.dashboard [role=table]')?.getAttribute('aria-label') ?? '';
        if (stats && stats + people !== last) {
          last = stats + people;
          w.__statsLog.push({ t: performance.now(), stats, people });
        }
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
      const t0 = performance.now();
      [...document.querySelectorAll('button')].find((b) => b.textContent === 'Unlock')!.click();
      return t0;
    });
    const syncText = page.locator('.sync-bar');
    const started = Date.now();
    let lastLog = 0;
    for (;;) {
      const m = /st-org-records · (\d+) records/.exec(
        (await syncText.textContent({ timeout: 60_000 }).catch(() => '')) ?? '',
      );
      const n = m ? Number(m[1]) : 0;
      if (n >= o.expectedRecords) break;
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        ctx.log(`  ui core replica: ${n}/${o.expectedRecords} records`);
      }
      if (Date.now() - started > 3_600_000)
        throw new Error(`the ui core's replica stopped at ${n}/${o.expectedRecords}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const replicaDoneAt = await page.evaluate(() => performance.now());
    const coreAtReplica = await procMemory(ui.proc.pid!);
    // the figures once everything is in: stable for 3 s
    let finalStats = '';
    for (let stableSince = Date.now(); Date.now() - stableSince < 3_000;) {
      const s = (await page.locator('.dashboard .stats').textContent({ timeout: 60_000 })) ?? '';
      if (s !== finalStats) {
        finalStats = s;
        stableSince = Date.now();
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const log = await page.evaluate(
      () => (window as unknown as { __statsLog: Array<{ t: number; stats: string; people: string }> }).__statsLog,
    );
    // the last time the figures became the final ones (not an earlier coincidence)
    let reached: { t: number; people: string } | undefined;
    for (let i = log.length - 1; i >= 0 && log[i]!.stats === finalStats; i--) reached = log[i];
    if (!reached) throw new Error('the dashboard never showed its final figures');
    ctx.log(`  dashboard final figures: ${finalStats} (${reached.people})`);
    // how the figures got there: what a late change was (the cold start's reason)
    for (const e of log.slice(-8)) ctx.log(`    ${((e.t - unlockAt) / 1000).toFixed(1)} s: ${e.stats}`);
    add(
      'ui cold start: unlock → dashboard of the day complete for all people (target ≤ 15 s)',
      (reached.t - unlockAt) / 1000,
      's',
    );
    add('ui cold start: unlock → replica complete (ui core)', (replicaDoneAt - unlockAt) / 1000, 's');

    await rendererRss('after the cold start');
    // SEALTIME_BENCH_PAGE_PROF=<dir>: a JS CPU profile of the page over the warm views (page.cpuprofile)
    const pageProf = process.env.SEALTIME_BENCH_PAGE_PROF ? await context.newCDPSession(page) : null;
    if (pageProf) {
      await pageProf.send('Profiler.enable');
      await pageProf.send('Profiler.start');
    }
    // warm: the replica is complete; first visits open a person's days, repeats hit the core's index
    const ids = (
      await page
        .locator('select[aria-label=person] option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    ).filter(Boolean);
    if (ids.length < 2) throw new Error(`the person list has ${ids.length} entries`);
    const names = Array.from(
      { length: Math.min(samples, ids.length - 1) },
      (_, k) => ids[1 + Math.floor((k * (ids.length - 1)) / samples)]!,
    );
    const timeline = { first: [] as number[], again: [] as number[] };
    const gallery = { first: [] as number[], again: [] as number[] };
    const dashboard: number[] = [];
    const tab = (name: string) =>
      `nav[aria-label=screens] button:nth-child(${['Dashboard', 'Timeline', 'Screenshots'].indexOf(name) + 1})`;
    for (const round of ['first', 'again'] as const) {
      for (const name of names) {
        // choosing the person is not timed (it loads nothing on the dashboard); opening their day is
        await page.selectOption('select[aria-label=person]', name);
        timeline[round].push(await timeNavigation(page, tab('Timeline'), 0, { kind: 'timeline', name }));
        gallery[round].push(await timeNavigation(page, tab('Screenshots'), 0, { kind: 'gallery', name }));
        dashboard.push(await timeNavigation(page, tab('Dashboard'), 0, { kind: 'dashboard', stats: finalStats }));
      }
    }
    add(
      `ui team day overview, ${reached.people}, warm (median of ${dashboard.length}; target ≤ 500 ms)`,
      median(dashboard),
      'ms',
    );
    add('ui team day overview, warm (max)', Math.max(...dashboard), 'ms');
    add(`ui person-day timeline, first visit (median of ${samples}; target ≤ 300 ms)`, median(timeline.first), 'ms');
    add('ui person-day timeline, repeat visit (median)', median(timeline.again), 'ms');
    add(
      `ui person-day thumbnail gallery, first visit (median of ${samples}; target ≤ 500 ms)`,
      median(gallery.first),
      'ms',
    );
    add('ui person-day thumbnail gallery, repeat visit (median)', median(gallery.again), 'ms');

    await rendererRss('after the timelines and galleries');
    if (pageProf) {
      const { profile } = await pageProf.send('Profiler.stop');
      await writeFile(join(process.env.SEALTIME_BENCH_PAGE_PROF!, 'page.cpuprofile'), JSON.stringify(profile));
      await pageProf.detach();
    }
    // full screenshots: from the server (first open), then from the core's sealed-image cache
    const first = ids[0]!;
    await page.selectOption('select[aria-label=person]', first);
    await timeNavigation(page, tab('Screenshots'), 0, { kind: 'gallery', name: first });
    const count = await page.locator('.gallery-item').count();
    const picks = Array.from({ length: Math.min(shots, count) }, (_, k) =>
      Math.floor((k * count) / Math.min(shots, count)),
    );
    const full = { server: [] as number[], cached: [] as number[] };
    for (const round of ['server', 'cached'] as const) {
      for (const k of picks) {
        full[round].push(await timeNavigation(page, '.gallery-item', k, { kind: 'fullshot' }));
        await page.keyboard.press('Escape');
        await page.locator('[role=dialog]').waitFor({ state: 'detached', timeout: 30_000 });
      }
    }
    add(
      `ui full screenshot open from the server (median of ${picks.length}; target ≤ 300 ms)`,
      median(full.server),
      'ms',
    );
    add(`ui full screenshot open, cached (median of ${picks.length}; target ≤ 50 ms)`, median(full.cached), 'ms');

    await rendererRss('after the full screenshots');
    for (const line of await page.evaluate(() => (globalThis as unknown as { __breakdown: string[] }).__breakdown))
      ctx.log(`    ${line}`);

    // issue 17: project report, timesheets and productivity in the page, then the core's RSS after them
    rows.push(
      ...(await measureWorkUi(page, { firstDate: orgRange(ctx.org).from, today: o.date, days: o.days, log: ctx.log })),
    );
    add('core RSS after the project, productivity and timesheet views', (await procMemory(ui.proc.pid!)).rssMb, 'MB');

    // memory with the month's replica open
    const core = await procMemory(ui.proc.pid!);
    add(`core RSS with the ${o.days}-day replica open (target ≤ 400 MB at 30 days)`, core.rssMb, 'MB');
    add('core RSS: anonymous (heap, buffers, malloc)', core.anonMb, 'MB');
    add('core RSS: file-backed (code, mapped LevelDB tables)', core.fileMb, 'MB');
    add('core peak RSS (VmHWM) during the run', core.hwmMb, 'MB');
    add('core RSS when the replica was complete (before the warm views)', coreAtReplica.rssMb, 'MB');
    // where the RSS is: JS heap, buffers outside it (ArrayBuffers among them), or native (LevelDB, code, allocator)
    const mem = await coreMemory(ui.proc);
    if (mem.anon) ctx.log(`    core anonymous resident memory: ${JSON.stringify(mem.anon)} (MB resident/mapped)`);
    add('core after a full GC: RSS', mem.rss / 1e6, 'MB');
    add('core after a full GC: JS heap used', mem.heapUsed / 1e6, 'MB');
    add('core after a full GC: JS heap reserved (heapTotal)', mem.heapTotal / 1e6, 'MB');
    add('core after a full GC: external (ArrayBuffers included)', mem.external / 1e6, 'MB');
    add('core after a full GC: ArrayBuffers', mem.arrayBuffers / 1e6, 'MB');
    const cdp = await browser.newBrowserCDPSession();
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
    const renderers = await Promise.all(
      info.processInfo.filter((p) => p.type === 'renderer').map((p) => procMemory(p.id).catch(() => null)),
    );
    const rss = renderers.filter((r) => r !== null).map((r) => r.rssMb);
    if (rss.length === 0) throw new Error('no Chromium renderer process found over CDP');
    add('renderer RSS (largest renderer process; target ≤ 300 MB)', Math.max(...rss), 'MB');
    const pageCdp = await context.newCDPSession(page);
    await pageCdp.send('Performance.enable');
    const metrics = (await pageCdp.send('Performance.getMetrics')) as {
      metrics: Array<{ name: string; value: number }>;
    };
    const heap = metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
    if (heap !== undefined) add('renderer JS heap used', heap / 1e6, 'MB');
    if (errors.length > 0) throw new Error(`page errors: ${errors.slice(0, 3).join('; ')}`);
    return rows;
  } finally {
    await browser?.close().catch(() => undefined);
    if (ui.proc.exitCode === null) {
      ui.proc.kill('SIGTERM');
      await new Promise((r) => ui.proc.once('exit', r));
    }
  }
}

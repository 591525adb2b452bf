/// <reference lib="dom" />
/**
 * Issue 17's views in the page, timed like the other warm views
 * (page-timing.ts): from the click that navigates to the moment the content
 * is in the DOM and a frame was painted after it.
 *
 *   project report   Projects → Report on the largest project (the screen's
 *                    default range: the month to date), then From set to the
 *                    org's first day (the whole range)
 *   timesheets       the Reports screen (everyone, month to date) with its
 *                    productivity panel: a first visit (the core builds every
 *                    person's range), then three warm ones
 *   productivity     the dashboard's "Productivity today" (everyone, a day)
 *
 * The core's own time for the same views is in work-core-timings.ts.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { SlotRow } from './bench-context.js';
import { startPageStretch } from './page-profile.js';
import { median, pageBreakdown, timeInPage, type Action, type Check } from './page-timing.js';

// a first visit opens every person's range in the UI core: at 100 × 30 that is minutes, not seconds
const FIRST_BUILD = { timeoutMs: 1_800_000 };
const timeClick = (page: Page, action: Action, ready: Check[]) => timeInPage(page, action, ready, FIRST_BUILD);

const NAV = 'nav[aria-label=screens] button';
const shift = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The issue-17 views, warm (the replica is complete and the page has shown
 * the dashboard). `firstDate` is the org's first day; the page's "today" is its last working day.
 */
export async function measureWorkUi(
  page: Page,
  context: BrowserContext,
  o: { firstDate: string; today: string; days: number; log: (m: string) => void },
): Promise<SlotRow[]> {
  const rows: SlotRow[] = [];
  const add = (metric: string, value: number) => {
    o.log(`  ${metric}: ${value.toFixed(1)} ms`);
    rows.push({ metric, value, unit: 'ms', higherIsBetter: false });
  };
  const monthStart = `${o.today.slice(0, 8)}01`;
  const mtd = monthStart > o.firstDate ? 'month to date' : `${o.days} days`;

  // the Reports screen: everyone's timesheet rows and the range's productivity panel
  const reportsTab: Action = { click: NAV, text: 'Reports' };
  // the rows, the productivity table, and both charts' bars drawn (recharts draws them after measuring)
  const reportsReady: Check[] = [
    { sel: '.view.reports [aria-label="Report rows"] [role=row]', minCount: 2 },
    {
      sel: 'section.productivity-report[aria-label="Productivity"] table, section.productivity-report[aria-label="Productivity"] [role=table]',
    },
    { sel: '.view.reports figure.chart .recharts-bar-rectangle' },
    { sel: 'section.productivity-report[aria-label="Productivity"] figure.chart .recharts-bar-rectangle' },
  ];
  const dashboardTab: Action = { click: NAV, text: 'Dashboard' };
  const dashboardReady: Check[] = [
    { sel: '.dashboard-row:not(.grid-head)' },
    {
      sel: 'section.productivity-report[aria-label="Productivity today"] table, section.productivity-report[aria-label="Productivity today"] [role=table]',
    },
  ];
  // the first visit builds every person's month in the UI core (minutes at 100 × 30): not a warm figure
  add(
    `ui Reports screen, everyone × ${mtd}, first visit (the core builds every person's range; no target)`,
    await timeClick(page, reportsTab, reportsReady),
  );
  await timeClick(page, dashboardTab, dashboardReady);
  const reports: number[] = [];
  const dash: number[] = [];
  for (let i = 0; i < 3; i++) {
    // what the page spent on each visit: scripts, style, layout, DOM size (and a CPU profile when asked)
    const stretch = await startPageStretch(context, page, `reports-${i + 1}`);
    reports.push(await timeInPage(page, reportsTab, reportsReady, { ...FIRST_BUILD, breakdown: 'reports' }));
    o.log(`    ${await stretch.stop()}`);
    // with the page profiles: what the screen looked like (the charts at this size)
    const dir = process.env.SEALTIME_BENCH_PAGE_PROF;
    if (dir && i === 0) await page.screenshot({ path: join(dir, 'reports.png'), fullPage: true });
    dash.push(await timeClick(page, dashboardTab, dashboardReady));
  }
  for (const line of await pageBreakdown(page)) o.log(`    ${line}`);
  o.log(`    Reports screen, warm: ${reports.map((r) => r.toFixed(0)).join(', ')} ms`);
  add(
    `ui Reports screen (timesheets + productivity), everyone × ${mtd}, warm (median of 3; target ≤ 500 ms)`,
    median(reports),
  );
  add('ui dashboard with its productivity of the day (everyone), warm (median of 3; target ≤ 500 ms)', median(dash));

  // the project report: the largest project (most people in its teams: the first listed with a budget of the most hours)
  await timeClick(page, { click: NAV, text: 'Projects' }, [{ sel: '.projects-table tbody tr' }]);
  const pick = await page.evaluate(() => {
    const rows = [...document.querySelectorAll('.projects-table tbody tr')];
    let best = -1;
    let bestBudget = -1;
    rows.forEach((r, i) => {
      const budget = Number(r.querySelectorAll('td')[2]?.textContent ?? '') || 0;
      if (budget > bestBudget) {
        bestBudget = budget;
        best = i;
      }
    });
    const name = rows[best]?.querySelector('th')?.textContent?.trim() ?? '';
    return { index: best, name, count: rows.length };
  });
  if (pick.index < 0) throw new Error('the Projects screen lists no project');
  const reportReady = (name: string): Check[] => [
    { sel: '#project-report-title', text: name },
    { sel: '.project-report .stats' },
    { sel: '.project-report table.by-person tbody tr' },
  ];
  const open = (index: number, name: string) =>
    timeClick(page, { click: '.projects-table tbody tr td.actions button', text: 'Report', index }, reportReady(name));
  const other = pick.index === 0 ? 1 : 0;
  const otherName = await page.evaluate(
    (i) => document.querySelectorAll('.projects-table tbody tr')[i]?.querySelector('th')?.textContent?.trim() ?? '',
    other,
  );
  const projectMtd: number[] = [];
  for (let i = 0; i < 3; i++) {
    projectMtd.push(await open(pick.index, pick.name));
    if (pick.count > 1) await open(other, otherName);
  }
  o.log(`    project report of ${pick.name}`);
  add(`ui project report, largest project, ${mtd}, warm (median of 3; target ≤ 500 ms)`, median(projectMtd));
  // the whole range: From set to the org's first day (at 7 days the month to date holds it: a week earlier then)
  await open(pick.index, pick.name);
  const header = '.project-report .view-header p.muted';
  const before = (await page.locator(header).textContent()) ?? '';
  const from = monthStart > o.firstDate ? o.firstDate : shift(monthStart, -7);
  const full = await timeClick(page, { input: '.project-report input[type=date]', value: from }, [
    { sel: header, notText: before },
    { sel: '.project-report table.by-person tbody tr' },
  ]);
  add(
    `ui project report, largest project, From changed to ${from} (${mtd === 'month to date' ? `all ${o.days} days` : 'a longer range'})`,
    full,
  );
  return rows;
}

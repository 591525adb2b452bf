/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Issue 17's views in the page, timed like the other warm views
 * (ui-timings.ts): from the click that navigates to the moment the content
 * is in the DOM and a frame was painted after it.
 *
 *   project report   Projects → Report on the largest project (the screen's
 *                    default range: the month to date), then From set to the
 *                    org's first day (the whole range)
 *   timesheets       the Reports screen (everyone, month to date) with its
 *                    productivity panel
 *   productivity     the dashboard's "Productivity today" (everyone, a day)
 *
 * The core's own time for the same views is in work-core-timings.ts.
 */
import type { Page } from 'playwright-core';
import type { SlotRow } from './bench-context.js';

/** What must be in the page: every selector present, with the text when one is given. */
type Ready = Array<{ sel: string; text?: string; notText?: string; minCount?: number }>;

/** Clicks the `index`th `click` (a selector, or a button by its text) and resolves with the in-page ms until `ready` holds and a frame was painted. */
export function timeClick(
  page: Page,
  click: { sel: string; text?: string; index?: number },
  ready: Ready,
  /** sets a date input before the click's turn: [selector, value] instead of clicking */
  input?: { sel: string; value: string },
): Promise<number> {
  return page.evaluate(
    async ({ click, ready, input }) => {
      const ok = () =>
        ready.every((r) => {
          const els = [...document.querySelectorAll(r.sel)];
          if (els.length < (r.minCount ?? 1)) return false;
          if (r.notText !== undefined && els.every((e) => e.textContent === r.notText)) return false;
          return r.text === undefined || els.some((e) => (e.textContent ?? '').includes(r.text!));
        });
      const t0 = performance.now();
      if (input) {
        const el = document.querySelector<HTMLInputElement>(input.sel);
        if (!el) throw new Error(`no input ${input.sel}`);
        // React's onChange listens to 'input': set the value as a user's typing would
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, input.value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      } else {
        const all = [...document.querySelectorAll<HTMLElement>(click.sel)].filter(
          (e) => click.text === undefined || e.textContent?.trim() === click.text,
        );
        const target = all[click.index ?? 0];
        if (!target) throw new Error(`nothing to click at ${click.sel} ${click.text ?? ''}`);
        target.click();
      }
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
          if (ok()) finish();
        };
        const obs = new MutationObserver(check);
        obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        const poll = setInterval(check, 5);
        // a first visit opens every person's range in the UI core: at 100 × 30 that is minutes, not seconds
        const timer = setTimeout(
          () => finish(new Error(`not ready after 30 min: ${JSON.stringify(ready)}`)),
          1_800_000,
        );
      });
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    },
    { click, ready, input },
  );
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const NAV = 'nav[aria-label=screens] button';
const shift = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The issue-17 views, warm (the replica is complete and the page has shown
 * the dashboard). `firstDate` is the org's first day; the page's "today" is its last working day.
 */
export async function measureWorkUi(
  page: Page,
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
  const reports: number[] = [];
  const dash: number[] = [];
  const dashboardReady: Ready = [
    { sel: '.dashboard-row:not(.grid-head)' },
    {
      sel: 'section.productivity-report[aria-label="Productivity today"] table, section.productivity-report[aria-label="Productivity today"] [role=table]',
    },
  ];
  for (let i = 0; i < 3; i++) {
    reports.push(
      await timeClick(page, { sel: NAV, text: 'Reports' }, [
        { sel: '.view.reports [aria-label="Report rows"] [role=row]', minCount: 2 },
        {
          sel: 'section.productivity-report[aria-label="Productivity"] table, section.productivity-report[aria-label="Productivity"] [role=table]',
        },
      ]),
    );
    dash.push(await timeClick(page, { sel: NAV, text: 'Dashboard' }, dashboardReady));
  }
  add(
    `ui Reports screen (timesheets + productivity), everyone × ${mtd}, warm (median of 3; target ≤ 500 ms)`,
    median(reports),
  );
  add('ui dashboard with its productivity of the day (everyone), warm (median of 3; target ≤ 500 ms)', median(dash));

  // the project report: the largest project (most people in its teams: the first listed with a budget of the most hours)
  await timeClick(page, { sel: NAV, text: 'Projects' }, [{ sel: '.projects-table tbody tr' }]);
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
  const reportReady = (name: string): Ready => [
    { sel: '#project-report-title', text: name },
    { sel: '.project-report .stats' },
    { sel: '.project-report table.by-person tbody tr' },
  ];
  const open = (index: number, name: string) =>
    timeClick(page, { sel: '.projects-table tbody tr td.actions button', text: 'Report', index }, reportReady(name));
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
  const full = await timeClick(
    page,
    { sel: 'none' },
    [{ sel: header, notText: before }, { sel: '.project-report table.by-person tbody tr' }],
    { sel: '.project-report input[type=date]', value: from },
  );
  add(
    `ui project report, largest project, From changed to ${from} (${mtd === 'month to date' ? `all ${o.days} days` : 'a longer range'})`,
    full,
  );
  return rows;
}

/**
 * The review screens, warm (the replica is complete): for a few people the
 * person-day timeline, the day's thumbnail gallery and the dashboard (first
 * visit of a person, then a repeat), then full screenshots from the server
 * and again from the core's cache. Each is timed in the page (page-timing.ts)
 * until its content and images are shown.
 */
import type { Page } from 'playwright-core';
import type { SlotRow } from './bench-context.js';
import { median, timeInPage, type Check } from './page-timing.js';

const TAB = (name: 'Dashboard' | 'Timeline' | 'Screenshots') =>
  `nav[aria-label=screens] button:nth-child(${['Dashboard', 'Timeline', 'Screenshots'].indexOf(name) + 1})`;

const dashboardShows = (stats: string): Check[] => [
  { sel: '.dashboard .stats', equals: stats },
  { sel: '.dashboard-row:not(.grid-head)' },
];
// every thumbnail of the day shown (none still a placeholder) and loaded
const timelineShows = (name: string): Check[] => [
  { sel: '#person-day-title', equals: name },
  { sel: '.person-day .stats' },
  { sel: '.timeline-thumbs .thumb img', minCount: 0, countOf: '.timeline-thumbs .thumb', loaded: true },
];
const galleryShows = (name: string): Check[] => [
  { sel: '#gallery-title', endsWith: name },
  {
    sel: '.gallery-item img',
    minCount: 0,
    countFromText: { sel: '.gallery .view-header', pattern: '(\\d+) screenshots' },
    loaded: true,
  },
];
const FULL_SHOT: Check[] = [{ sel: '[role=dialog] img', loaded: 'pixels' }];

const PAGE_IMAGES = { decode: 'main img' };

export async function measureReviewViews(
  page: Page,
  o: {
    /** the dashboard's final figures (ui-cold-start.ts) and its people label */
    finalStats: string;
    people: string;
    samples: number;
    shots: number;
    add: (metric: string, value: number, unit: string) => void;
    /** between the day views and the full screenshots (memory logged, the page profile stopped) */
    afterDayViews: () => Promise<void>;
  },
): Promise<void> {
  const ids = (
    await page
      .locator('select[aria-label=person] option')
      .evaluateAll((os) => os.map((el) => (el as HTMLOptionElement).value))
  ).filter(Boolean);
  if (ids.length < 2) throw new Error(`the person list has ${ids.length} entries`);
  const names = Array.from(
    { length: Math.min(o.samples, ids.length - 1) },
    (_, k) => ids[1 + Math.floor((k * (ids.length - 1)) / o.samples)]!,
  );
  const timeline = { first: [] as number[], again: [] as number[] };
  const gallery = { first: [] as number[], again: [] as number[] };
  const dashboard: number[] = [];
  for (const round of ['first', 'again'] as const) {
    for (const name of names) {
      // choosing the person is not timed (it loads nothing on the dashboard); opening their day is
      await page.selectOption('select[aria-label=person]', name);
      timeline[round].push(
        await timeInPage(page, { click: TAB('Timeline') }, timelineShows(name), {
          ...PAGE_IMAGES,
          breakdown: 'timeline',
        }),
      );
      gallery[round].push(
        await timeInPage(page, { click: TAB('Screenshots') }, galleryShows(name), {
          ...PAGE_IMAGES,
          breakdown: 'gallery',
        }),
      );
      dashboard.push(
        await timeInPage(page, { click: TAB('Dashboard') }, dashboardShows(o.finalStats), {
          ...PAGE_IMAGES,
          breakdown: 'dashboard',
        }),
      );
    }
  }
  o.add(
    `ui team day overview, ${o.people}, warm (median of ${dashboard.length}; target ≤ 500 ms)`,
    median(dashboard),
    'ms',
  );
  o.add('ui team day overview, warm (max)', Math.max(...dashboard), 'ms');
  o.add(`ui person-day timeline, first visit (median of ${o.samples}; target ≤ 300 ms)`, median(timeline.first), 'ms');
  o.add('ui person-day timeline, repeat visit (median)', median(timeline.again), 'ms');
  o.add(
    `ui person-day thumbnail gallery, first visit (median of ${o.samples}; target ≤ 500 ms)`,
    median(gallery.first),
    'ms',
  );
  o.add('ui person-day thumbnail gallery, repeat visit (median)', median(gallery.again), 'ms');
  await o.afterDayViews();

  // full screenshots: from the server (first open), then from the core's sealed-image cache
  const first = ids[0]!;
  await page.selectOption('select[aria-label=person]', first);
  await timeInPage(page, { click: TAB('Screenshots') }, galleryShows(first), PAGE_IMAGES);
  const count = await page.locator('.gallery-item').count();
  const picks = Array.from({ length: Math.min(o.shots, count) }, (_, k) =>
    Math.floor((k * count) / Math.min(o.shots, count)),
  );
  const full = { server: [] as number[], cached: [] as number[] };
  for (const round of ['server', 'cached'] as const) {
    for (const k of picks) {
      full[round].push(
        await timeInPage(page, { click: '.gallery-item', index: k }, FULL_SHOT, {
          decode: '[role=dialog] img',
          breakdown: 'fullshot',
        }),
      );
      await page.keyboard.press('Escape');
      await page.locator('[role=dialog]').waitFor({ state: 'detached', timeout: 30_000 });
    }
  }
  o.add(
    `ui full screenshot open from the server (median of ${picks.length}; target ≤ 300 ms)`,
    median(full.server),
    'ms',
  );
  o.add(`ui full screenshot open, cached (median of ${picks.length}; target ≤ 50 ms)`, median(full.cached), 'ms');
}

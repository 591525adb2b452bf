/// <reference lib="dom" />
/**
 * The cold start as a reviewer meets it: sign in and unlock in the page
 * (empty replica), then every change of the dashboard's figures is logged
 * until the replica holds every record and the figures have stayed the same
 * for 3 s. The figure is the last time they became the final ones.
 */
import type { Page } from 'playwright-core';
import type { StoredOrg } from '../../test-support/org-fixture/index.js';

export interface ColdStart {
  /** unlock click → the dashboard's final figures, in s */
  dashboardS: number;
  /** unlock click → the replica complete, in s */
  replicaS: number;
  /** the dashboard's figures once everything is in */
  finalStats: string;
  /** the people table's label when they were reached */
  people: string;
}

type StatsLog = Array<{ t: number; stats: string; people: string }>;

export async function coldStart(
  page: Page,
  o: { serverUrl: string; stored: StoredOrg; expectedRecords: number; log: (m: string) => void },
  /** called once the replica is complete, before the figures are awaited stable */
  onReplicaComplete?: () => Promise<void>,
): Promise<ColdStart> {
  const admin = o.stored.users.find((u) => u.role === 'admin');
  if (!admin) throw new Error('the stored organisation has no admin');
  await page.getByLabel('Server').fill(o.serverUrl);
  await page.getByLabel('User').fill(admin.userId);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Unlock' }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Passphrase').fill(o.stored.passphrases.organisation);

  // every change of the dashboard's figures, timed from the unlock click
  const unlockAt = await page.evaluate(() => {
    const w = window as unknown as { __statsLog: StatsLog };
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
      o.log(`  ui core replica: ${n}/${o.expectedRecords} records`);
    }
    if (Date.now() - started > 3_600_000) throw new Error(`the ui core's replica stopped at ${n}/${o.expectedRecords}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const replicaDoneAt = await page.evaluate(() => performance.now());
  await onReplicaComplete?.();
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
  const log = await page.evaluate(() => (window as unknown as { __statsLog: StatsLog }).__statsLog);
  // the last time the figures became the final ones (not an earlier coincidence)
  let reached: { t: number; people: string } | undefined;
  for (let i = log.length - 1; i >= 0 && log[i]!.stats === finalStats; i--) reached = log[i];
  if (!reached) throw new Error('the dashboard never showed its final figures');
  o.log(`  dashboard final figures: ${finalStats} (${reached.people})`);
  // how the figures got there: what a late change was (the cold start's reason)
  for (const e of log.slice(-8)) o.log(`    ${((e.t - unlockAt) / 1000).toFixed(1)} s: ${e.stats}`);
  return {
    dashboardS: (reached.t - unlockAt) / 1000,
    replicaS: (replicaDoneAt - unlockAt) / 1000,
    finalStats,
    people: reached.people,
  };
}

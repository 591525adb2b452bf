/**
 * The timesheet report's cells (worked time and activity per person and
 * day), kept per person-day under the person's record-set stamp
 * (day-totals-cache.ts): a report over everyone × a month opens one person's
 * records at a time, and a repeat is an aggregation of kept cells. A day
 * whose figures depend on the clock (a session still open, closed at `now`)
 * is computed again on every build.
 */
import { reportCells, type OpenedRecord, type ReportCell, type ViewPerson } from '@sealtime/shared';
import { DayTotalsCache } from './day-totals-cache.js';
import type { Unlocked } from './unlocked-session.js';

type Kept = { cell: ReportCell; clockBound: boolean };

const cellsBySession = new WeakMap<Unlocked, DayTotalsCache<Kept>>();

const addDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const same = (a: ReportCell, b: ReportCell | undefined): boolean =>
  !!b && a.workedMs === b.workedMs && a.activeSeconds === b.activeSeconds && a.trackedSeconds === b.trackedSeconds;

/** Every cell of `people` over [from, to], in people order then date (as buildReport makes them). */
export async function reportCellsOf(
  u: Unlocked,
  people: readonly ViewPerson[],
  from: string,
  to: string,
  now: number,
): Promise<ReportCell[]> {
  let cache = cellsBySession.get(u);
  if (!cache) cellsBySession.set(u, (cache = new DayTotalsCache()));
  const dates: string[] = [];
  for (let d = from; d <= to && dates.length < 366; d = addDays(d, 1)) dates.push(d);
  const out: ReportCell[] = [];
  for (const p of people) {
    // the stamp before the records are read; the team and zone too: they are in the cell
    const stamp = `${u.index.recordSetStamp(p.id)}|${p.teamId ?? ''}|${p.timeZone}`;
    const kept = await cache.days(
      p.id,
      stamp,
      dates,
      async (missing) => {
        const first = missing[0]!;
        const last = missing[missing.length - 1]!;
        const lo = addDays(first, -1);
        const hi = addDays(last, 1);
        const mine: OpenedRecord[] = [];
        for (const [d, list] of (await u.index.employee(p.id)).days) if (d >= lo && d <= hi) mine.push(...list);
        const withNow = reportCells(p, mine, first, last, now);
        // the same day without the clock: where it differs, the day's figure moves with time
        const without = new Map(reportCells(p, mine, first, last).map((c) => [c.date, c]));
        const byDate = new Map(withNow.map((c) => [c.date, c]));
        return new Map(
          missing.map((d) => {
            const cell = byDate.get(d);
            if (!cell) throw new Error(`no report cell of ${p.id} on ${d}`);
            return [d, { cell, clockBound: !same(cell, without.get(d)) }];
          }),
        );
      },
      (k) => k.clockBound,
    );
    for (const d of dates) out.push(kept.get(d)!.cell);
  }
  return out;
}

/**
 * One person's local day by class: totals, per 10-minute slot (the
 * timeline's grid) and per app, from the same app spans the person-day view
 * shows. The admin core and the agent's own pages build it with this one
 * function and the same signed rule sets, so an employee sees exactly the
 * classification their reviewers see.
 */
import { localDayBounds } from '../attendance/time-zone.js';
import { appSpansOf } from '../views/app-spans.js';
import type { OpenedRecord } from '../views/opened-record.js';
import { slotGrid } from '../views/slot-grid.js';
import type { ProductivityRuleSet } from './productivity-types.js';
import {
  classifySpans,
  productiveShare,
  productivityByApp,
  productivityPerWindow,
  productivityTotals,
  type AppClassRow,
  type ProductivityTotals,
} from './productivity-summary.js';

export type DayProductivity = {
  date: string;
  timeZone: string;
  totals: ProductivityTotals;
  /** productive share of app time, 0–100; null without app time */
  productivePercent: number | null;
  slots: Array<{ label: string; start: number; end: number; totals: ProductivityTotals }>;
  apps: AppClassRow[];
  /** the sets applied, organisation first: "organisation:acme@<issuedAt>" */
  rules: string[];
};

export function buildDayProductivity(input: {
  date: string;
  timeZone: string;
  records: readonly OpenedRecord[];
  chain: readonly ProductivityRuleSet[];
  slotMinutes?: number;
}): DayProductivity {
  const bounds = localDayBounds(input.date, input.timeZone);
  const grid = slotGrid(bounds, input.slotMinutes ?? 10, input.timeZone);
  const spans = classifySpans(
    appSpansOf(input.records).filter((s) => s.end > bounds.start && s.start < bounds.end),
    input.chain,
  );
  const totals = productivityTotals(spans, bounds);
  const perSlot = productivityPerWindow(spans, grid.slots);
  return {
    date: input.date,
    timeZone: input.timeZone,
    totals,
    productivePercent: productiveShare(totals),
    slots: grid.slots.map((s, i) => ({ label: s.label, start: s.start, end: s.end, totals: perSlot[i]! })),
    apps: productivityByApp(spans, bounds),
    rules: input.chain.map((s) => `${s.level}:${s.id}@${s.issuedAt}`),
  };
}

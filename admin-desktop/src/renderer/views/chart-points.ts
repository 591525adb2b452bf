/**
 * What the Reports screen's charts draw. Up to MAX_CHART_BARS groups they
 * draw one bar (set) per row, as the table lists them; past that (a hundred
 * people over a month) they draw one per day of the range, everyone added
 * up, when the range has more than one day: a bar per person was too thin to
 * read, and recharts' render of a few hundred bars was most of the screen's
 * time. Every row stays in the table, the CSV and the printed report.
 */
import type { Report, ReportSeriesPoint } from '@sealtime/shared/views';
import type {
  ClassOrUnclassified,
  ProductivityReport,
  ProductivityTotals,
} from '../../api/contracts/productivity-contract.js';

/** Bars (or stacks) a chart draws before it draws days instead: a month's days fit. */
export const MAX_CHART_BARS = 31;

export interface TimesheetChart {
  /** 'rows': a point per table row; 'day': a point per date, everyone summed */
  by: 'rows' | 'day';
  points: ReportSeriesPoint[];
}

export function timesheetChart(report: Pick<Report, 'groupBy' | 'series' | 'byDay'>): TimesheetChart {
  // grouped by day the rows are the days already
  return report.series.length <= MAX_CHART_BARS || report.byDay.length < 2 || report.groupBy === 'day'
    ? { by: 'rows', points: report.series }
    : { by: 'day', points: report.byDay };
}

export interface ProductivityChart {
  by: 'person' | 'day';
  points: Array<{ key: string; name: string; totals: ProductivityTotals }>;
}

const CLASSES: ClassOrUnclassified[] = ['productive', 'neutral', 'unproductive', 'unclassified'];

export function productivityChart(report: Pick<ProductivityReport, 'rows'>): ProductivityChart {
  const dates = report.rows[0]?.days.map((d) => d.date) ?? [];
  if (report.rows.length <= MAX_CHART_BARS || dates.length < 2)
    return { by: 'person', points: report.rows.map((r) => ({ key: r.employeeId, name: r.name, totals: r.totals })) };
  const byDate = new Map<string, ProductivityTotals>(
    dates.map((d) => [d, { productive: 0, neutral: 0, unproductive: 0, unclassified: 0 }]),
  );
  for (const r of report.rows)
    for (const d of r.days) {
      const t = byDate.get(d.date);
      if (t) for (const c of CLASSES) t[c] += d.totals[c];
    }
  return { by: 'day', points: [...byDate].map(([date, totals]) => ({ key: date, name: date, totals })) };
}

/**
 * The productivity report as CSV: one line per person per day, hours per
 * class (decimal hours, 2 places) and the productive share; then one total
 * line per person. Cells go through the reports' csvCell (formula-safe).
 */
import { csvCell } from '@sealtime/shared/views';
import type { ProductivityReport } from '../../api/contracts/productivity-contract.js';

const h = (ms: number) => (ms / 3_600_000).toFixed(2);

export function productivityCsv(report: ProductivityReport): string {
  const head = ['Person', 'Date', 'Productive h', 'Neutral h', 'Unproductive h', 'Unclassified h', 'Productive %'];
  const lines = [head.map(csvCell).join(',')];
  for (const r of report.rows) {
    const row = (date: string, t: ProductivityReport['totals'], pct: number | null) =>
      [r.name, date, h(t.productive), h(t.neutral), h(t.unproductive), h(t.unclassified), pct ?? '']
        .map((c) => csvCell(c))
        .join(',');
    for (const d of r.days) lines.push(row(d.date, d.totals, d.productivePercent));
    lines.push(row(`${report.from}..${report.to}`, r.totals, r.productivePercent));
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * A report as CSV (RFC 4180: CRLF lines, fields with a comma, quote or line
 * break quoted, quotes doubled). Text cells that a spreadsheet would run as
 * a formula (starting with = + - @, tab or CR) get a leading apostrophe:
 * names and team names are typed by people.
 */
import type { Report, ReportRow } from './report.js';

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const HEADINGS = { person: 'Person', team: 'Team', day: 'Date' } as const;

/** 'h:mm' of a duration, e.g. 8 h 05 → '8:05'. */
export function hoursMinutes(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

export function toCsv(report: Report): string {
  const line = (r: ReportRow) =>
    [r.label, r.hours.toFixed(2), hoursMinutes(r.workedMs), r.activityPercent, r.daysWorked, r.people]
      .map(csvCell)
      .join(',');
  const header = [HEADINGS[report.groupBy], 'Hours', 'Worked (h:mm)', 'Activity %', 'Days worked', 'People']
    .map(csvCell)
    .join(',');
  return [header, ...report.rows.map(line), line(report.totals)].join('\r\n') + '\r\n';
}

/** Timesheet report: hours and activity by person, team or day, a chart, CSV export and print. */
import { memo, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { toCsv, type ManualTotals, type Report, type ReportGroupBy, type ReportManual } from '@sealtime/shared/views';
import { timesheetChart } from './chart-points.js';
import { downloadText } from './csv-download.js';
import { formatDate, formatHm, formatPercent } from './format.js';

export type ReportsViewProps = {
  /** `manual`: manual time beside the tracked figures, never inside them. */
  report: Report & { manual?: ReportManual };
  onGroupBy: (groupBy: ReportGroupBy) => void;
  onPrint: () => void;
  /** saves the CSV; default: a browser download */
  onDownload?: (csv: string, fileName: string) => void;
};

const GROUPS: [ReportGroupBy, string][] = [
  ['person', 'Person'],
  ['team', 'Team'],
  ['day', 'Day'],
];
const ROW_HEIGHT = 40;

/**
 * Memoised: the screen re-renders when its other subscription (the
 * productivity panel) arrives, and a hundred people's chart is the costly part.
 */
export const ReportsView = memo(function ReportsView({
  report,
  onGroupBy,
  onPrint,
  onDownload = downloadText,
}: ReportsViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: report.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 1000, height: 15 * ROW_HEIGHT },
  });
  const fileName = `sealtime-report-${report.groupBy}-${report.from}-${report.to}.csv`;
  const heading = GROUPS.find(([g]) => g === report.groupBy)?.[1] ?? 'Group';
  const chart = useMemo(() => timesheetChart(report), [report]);
  const chartData = useMemo(
    () => chart.points.map((p) => ({ name: p.label, Hours: p.hours, 'Activity %': p.activityPercent ?? 0 })),
    [chart],
  );
  const chartBy = chart.by === 'day' ? 'day' : heading.toLowerCase();
  return (
    <section className="view reports" aria-labelledby="reports-title">
      <header className="view-header">
        <div>
          <h1 id="reports-title">Reports</h1>
          <p className="muted">
            {formatDate(report.from)} – {formatDate(report.to)}
          </p>
        </div>
        <div className="toolbar no-print">
          <fieldset className="segmented">
            <legend className="sr-only">Group by</legend>
            {GROUPS.map(([g, label]) => (
              <button key={g} type="button" aria-pressed={report.groupBy === g} onClick={() => onGroupBy(g)}>
                {label}
              </button>
            ))}
          </fieldset>
          <button type="button" onClick={() => onDownload(toCsv(report), fileName)}>
            Export CSV
          </button>
          <button type="button" onClick={onPrint}>
            Print / PDF
          </button>
        </div>
      </header>

      <dl className="stats">
        <div className="stat">
          <dt>Total worked</dt>
          <dd>{formatHm(report.totals.workedMs)} h</dd>
        </div>
        <div className="stat">
          <dt>Activity</dt>
          <dd>{formatPercent(report.totals.activityPercent)}</dd>
        </div>
        <div className="stat">
          <dt>Tracked</dt>
          <dd>{formatHm(report.totals.trackedSeconds * 1000)} h</dd>
        </div>
        <div className="stat stat-manual-approved">
          <dt>Manual, approved</dt>
          <dd>{formatHm(report.manual?.totals.approved ?? 0)} h</dd>
        </div>
        <div className="stat stat-manual-pending">
          <dt>Manual, pending</dt>
          <dd>{formatHm(report.manual?.totals.pending ?? 0)} h</dd>
        </div>
        <div className="stat">
          <dt>People</dt>
          <dd>{report.totals.people}</dd>
        </div>
        <div className="stat">
          <dt>Person-days worked</dt>
          <dd>{report.totals.daysWorked}</dd>
        </div>
      </dl>

      <figure className="chart" aria-label={`Hours and activity by ${chartBy}`}>
        {chart.by === 'day' && (
          <figcaption className="muted">
            By day, everyone added up: {report.rows.length} {heading.toLowerCase()} rows are too many for one chart
            (each is in the table below).
          </figcaption>
        )}
        <ResponsiveContainer width="100%" height={280} initialDimension={{ width: 900, height: 280 }}>
          <BarChart data={chartData} margin={{ top: 8, right: 24, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 12 }} />
            <YAxis
              yAxisId="hours"
              tick={{ fontSize: 12 }}
              label={{ value: 'hours', angle: -90, position: 'insideLeft', fontSize: 12 }}
            />
            <YAxis yAxisId="pct" orientation="right" domain={[0, 100]} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend />
            <Bar yAxisId="hours" dataKey="Hours" fill="#3b6ea8" isAnimationActive={false} />
            <Bar yAxisId="pct" dataKey="Activity %" fill="#8fbf9f" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>

      <div
        role="table"
        aria-label={`Report by ${heading.toLowerCase()}`}
        aria-rowcount={report.rows.length + 2}
        className="grid-table"
      >
        <div role="rowgroup">
          <div role="row" className="grid-row report-row grid-head">
            <div role="columnheader">{heading}</div>
            <div role="columnheader" className="num">
              Worked
            </div>
            <div role="columnheader" className="num">
              Hours
            </div>
            <div role="columnheader" className="num">
              Activity
            </div>
            <div role="columnheader" className="num">
              Days worked
            </div>
            <div role="columnheader" className="num">
              People
            </div>
            <div role="columnheader" className="num">
              Manual ✓
            </div>
            <div role="columnheader" className="num">
              Manual pending
            </div>
          </div>
        </div>
        <div
          role="rowgroup"
          ref={scrollRef}
          className="grid-scroll report-scroll screen-only"
          tabIndex={0}
          aria-label="Report rows"
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const r = report.rows[item.index]!;
              return (
                <div
                  key={item.key}
                  role="row"
                  className="grid-row report-row"
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: item.size,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  <RowCells report={report} row={r} />
                </div>
              );
            })}
          </div>
        </div>
        {/* printed (PDF) pages show every row: the scrolling list above renders only what is in view */}
        <div className="print-only">
          {report.rows.map((r) => (
            <div key={r.key} className="grid-row report-row">
              <RowCells report={report} row={r} />
            </div>
          ))}
        </div>
        <div role="rowgroup">
          <div role="row" className="grid-row report-row grid-total">
            <div role="cell">Total</div>
            <div role="cell" className="num">
              {formatHm(report.totals.workedMs)}
            </div>
            <div role="cell" className="num">
              {report.totals.hours.toFixed(2)}
            </div>
            <div role="cell" className="num">
              {formatPercent(report.totals.activityPercent)}
            </div>
            <div role="cell" className="num">
              {report.totals.daysWorked}
            </div>
            <div role="cell" className="num">
              {report.totals.people}
            </div>
            <ManualCells t={report.manual?.totals} />
          </div>
        </div>
      </div>
    </section>
  );
});

function ManualCells({ t }: { t: ManualTotals | undefined }) {
  return (
    <>
      <div role="cell" className="num">
        {formatHm(t?.approved ?? 0)}
      </div>
      <div role="cell" className="num">
        {formatHm(t?.pending ?? 0)}
      </div>
    </>
  );
}

function RowCells({ report, row }: { report: ReportsViewProps['report']; row: Report['rows'][number] }) {
  return (
    <>
      <div role="cell">{report.groupBy === 'day' ? formatDate(row.label) : row.label}</div>
      <div role="cell" className="num">
        {formatHm(row.workedMs)}
      </div>
      <div role="cell" className="num">
        {row.hours.toFixed(2)}
      </div>
      <div role="cell" className="num">
        {formatPercent(row.activityPercent)}
      </div>
      <div role="cell" className="num">
        {row.daysWorked}
      </div>
      <div role="cell" className="num">
        {row.people}
      </div>
      <ManualCells t={report.manual?.byRow[row.key]} />
    </>
  );
}

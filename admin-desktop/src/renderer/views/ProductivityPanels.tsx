/**
 * Classified time where reviewers already look: a person-day's bar (per
 * 10-minute slot, coloured by class, with the apps and the rule that
 * decided each) under the timeline, and the productive share per person
 * (chart, table, CSV) under the dashboard and the reports. All computed by
 * the core from the decrypted app spans and the signed rule sets.
 */
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AdminApi } from '../../api/admin-api.js';
import type {
  ClassOrUnclassified,
  DayProductivity,
  ProductivityReport,
  ProductivityTotals,
} from '../../api/contracts/productivity-contract.js';
import { useSubscription } from '../shell/use-subscription.js';
import { productivityChart } from './chart-points.js';
import { downloadText } from './csv-download.js';
import { formatDuration, formatPercent } from './format.js';
import { productivityCsv } from './productivity-csv.js';

export const CLASS_LABEL: Record<ClassOrUnclassified, string> = {
  productive: 'Productive',
  neutral: 'Neutral',
  unproductive: 'Unproductive',
  unclassified: 'Unclassified',
};
export const CLASS_COLOR: Record<ClassOrUnclassified, string> = {
  productive: '#2f8f5b',
  neutral: '#7d8fa3',
  unproductive: '#c0504d',
  unclassified: '#d9dde2',
};
const CLASSES = Object.keys(CLASS_LABEL) as ClassOrUnclassified[];
const sum = (t: ProductivityTotals) => CLASSES.reduce((a, c) => a + t[c], 0);

function Totals({ totals }: { totals: ProductivityTotals }) {
  return (
    <dl className="stats productivity-stats">
      {CLASSES.map((c) => (
        <div className="stat" key={c} data-class={c}>
          <dt>{CLASS_LABEL[c]}</dt>
          <dd>{formatDuration(totals[c])}</dd>
        </div>
      ))}
    </dl>
  );
}

export function DayProductivityView({ day }: { day: DayProductivity }) {
  const max = Math.max(1, ...day.slots.map((s) => s.end - s.start));
  return (
    <section className="view productivity-day" aria-labelledby="productivity-day-title">
      <h2 id="productivity-day-title">
        Productivity {day.productivePercent === null ? '' : `· ${formatPercent(day.productivePercent)} productive`}
      </h2>
      {day.rules.length === 0 && (
        <p className="muted">No productivity rules are published: all app time is unclassified.</p>
      )}
      <Totals totals={day.totals} />
      <div className="productivity-strip" role="img" aria-label="Time by class per 10-minute slot">
        {day.slots.map((s) => (
          <div
            key={s.start}
            className="productivity-slot"
            title={`${s.label}: ${
              CLASSES.filter((c) => s.totals[c] > 0)
                .map((c) => `${CLASS_LABEL[c]} ${formatDuration(s.totals[c])}`)
                .join(', ') || 'no app time'
            }`}
          >
            {CLASSES.map((c) =>
              s.totals[c] > 0 ? (
                <span key={c} style={{ height: `${(100 * s.totals[c]) / max}%`, background: CLASS_COLOR[c] }} />
              ) : null,
            )}
          </div>
        ))}
      </div>
      <table className="productivity-apps" aria-label="Apps by class">
        <thead>
          <tr>
            <th>App</th>
            <th>Site</th>
            <th>Class</th>
            <th>Rule</th>
            <th className="num">Time</th>
          </tr>
        </thead>
        <tbody>
          {day.apps.map((a) => (
            <tr key={`${a.app}|${a.host ?? ''}|${a.class}|${a.rule?.ruleId ?? ''}`} data-class={a.class}>
              <td>{a.app}</td>
              <td>{a.host ?? '—'}</td>
              <td>
                <span className="class-chip" style={{ background: CLASS_COLOR[a.class] }} />
                {CLASS_LABEL[a.class]}
              </td>
              <td>{a.rule ? `${a.rule.level} ${a.rule.setId} · ${a.rule.ruleId}` : '—'}</td>
              <td className="num">{formatDuration(a.ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function DayProductivityPanel({ api, employeeId, date }: { api: AdminApi; employeeId: string; date: string }) {
  const live = useSubscription(api, 'dayProductivity', { employeeId, date });
  if (live.error)
    return (
      <p role="alert" className="error-text">
        {live.error.message}
      </p>
    );
  return live.value ? <DayProductivityView day={live.value} /> : null;
}

/** Memoised: the screens around it re-render for their other subscriptions. */
export const ProductivityReportView = memo(function ProductivityReportView({
  report,
  title,
  onDownload = downloadText,
}: {
  report: ProductivityReport;
  title: string;
  onDownload?: (csv: string, fileName: string) => void;
}) {
  const chart = useMemo(() => productivityChart(report), [report]);
  const data = useMemo(
    () =>
      chart.points.map((p) => ({
        name: p.name,
        ...Object.fromEntries(CLASSES.map((c) => [CLASS_LABEL[c], Math.round((p.totals[c] / 3_600_000) * 100) / 100])),
      })),
    [chart],
  );
  return (
    <section className="view productivity-report" aria-label={title}>
      <header className="view-header">
        <h2>
          {title} {report.productivePercent === null ? '' : `· ${formatPercent(report.productivePercent)} productive`}
        </h2>
        <button
          type="button"
          className="no-print"
          onClick={() => onDownload(productivityCsv(report), `sealtime-productivity-${report.from}-${report.to}.csv`)}
        >
          Export productivity CSV
        </button>
      </header>
      <figure className="chart" aria-label={`Hours by class per ${chart.by}`}>
        {chart.by === 'day' && (
          <figcaption className="muted">
            Per day, everyone added up: {report.rows.length} people are too many for one chart (each is in the table
            below).
          </figcaption>
        )}
        <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 900, height: 220 }}>
          <BarChart data={data} margin={{ top: 8, right: 24, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 12 }} />
            <YAxis
              tick={{ fontSize: 12 }}
              label={{ value: 'hours', angle: -90, position: 'insideLeft', fontSize: 12 }}
            />
            <Tooltip />
            <Legend />
            {CLASSES.map((c) => (
              <Bar key={c} dataKey={CLASS_LABEL[c]} stackId="h" fill={CLASS_COLOR[c]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <table className="productivity-people" aria-label="Productive share per person">
        <thead>
          <tr>
            <th>Person</th>
            {CLASSES.map((c) => (
              <th key={c} className="num">
                {CLASS_LABEL[c]}
              </th>
            ))}
            <th className="num">Productive share</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={r.employeeId}>
              <td>{r.name}</td>
              {CLASSES.map((c) => (
                <td key={c} className="num">
                  {formatDuration(r.totals[c])}
                </td>
              ))}
              <td className="num">
                <span className="share-bar" aria-hidden="true">
                  <span style={{ width: `${r.productivePercent ?? 0}%` }} />
                </span>
                {sum(r.totals) > 0 ? formatPercent(r.productivePercent) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
});

export function ProductivityReportPanel({
  api,
  from,
  to,
  title,
}: {
  api: AdminApi;
  from: string;
  to: string;
  title: string;
}) {
  const live = useSubscription(api, 'productivityReport', { from, to });
  if (live.error)
    return (
      <p role="alert" className="error-text">
        {live.error.message}
      </p>
    );
  return live.value ? <ProductivityReportView report={live.value} title={title} /> : null;
}

/** One project's report: hours by person, task and day (tracked, manual approved, manual pending), budget used, CSV and print. */
import { csvCell, projectReportCsv, type ProjectReport, type ProjectReportRow } from '@sealtime/shared/views';
import { downloadText } from './csv-download.js';
import { formatDate } from './format.js';

export type ProjectReportViewProps = {
  report: ProjectReport;
  onRange: (from: string, to: string) => void;
  onPrint: () => void;
  onDownload?: (csv: string, fileName: string) => void;
};

const h = (n: number) => n.toFixed(2);

function Rows({ title, rows, totals }: { title: string; rows: ProjectReportRow[]; totals: ProjectReportRow }) {
  return (
    <table className={`project-report-table by-${title.toLowerCase()}`}>
      <caption>By {title.toLowerCase()}</caption>
      <thead>
        <tr>
          <th scope="col">{title}</th>
          <th scope="col">Tracked (h)</th>
          <th scope="col">Manual approved (h)</th>
          <th scope="col">Manual pending (h)</th>
          <th scope="col">Total (h)</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={5} className="muted">
              No time on this project in the range.
            </td>
          </tr>
        )}
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{title === 'Day' ? formatDate(r.label) : r.label}</th>
            <td>{h(r.tracked)}</td>
            <td>{h(r.manualApproved)}</td>
            <td>{h(r.manualPending)}</td>
            <td>{h(r.total)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td>{h(totals.tracked)}</td>
          <td>{h(totals.manualApproved)}</td>
          <td>{h(totals.manualPending)}</td>
          <td>{h(totals.total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export function ProjectReportView({ report, onRange, onPrint, onDownload = downloadText }: ProjectReportViewProps) {
  const p = report.project;
  const fileName = `sealtime-project-${p.id}-${report.from}-${report.to}.csv`;
  return (
    <section className="view project-report" aria-labelledby="project-report-title">
      <header className="view-header">
        <div>
          <h2 id="project-report-title">
            <span className="project-swatch" style={{ background: p.colour }} aria-hidden="true" /> {p.name} — report
          </h2>
          <p className="muted">
            {p.client ? `${p.client} · ` : ''}
            {formatDate(report.from)} – {formatDate(report.to)}
            {p.archived ? ' · archived' : ''}
          </p>
        </div>
        <div className="toolbar no-print">
          <label>
            From <input type="date" value={report.from} onChange={(e) => onRange(e.target.value, report.to)} />
          </label>
          <label>
            To <input type="date" value={report.to} onChange={(e) => onRange(report.from, e.target.value)} />
          </label>
          <button type="button" onClick={() => onDownload(projectReportCsv(report, csvCell), fileName)}>
            Export CSV
          </button>
          <button type="button" onClick={onPrint}>
            Print / PDF
          </button>
        </div>
      </header>
      <dl className="stats">
        <div className="stat">
          <dt>Tracked</dt>
          <dd>{h(report.totals.tracked)} h</dd>
        </div>
        <div className="stat">
          <dt>Manual (approved / pending)</dt>
          <dd>
            {h(report.totals.manualApproved)} / {h(report.totals.manualPending)} h
          </dd>
        </div>
        <div className="stat">
          <dt>Budget used</dt>
          <dd>
            {report.budget
              ? `${h(report.budget.usedHours)} of ${report.budget.hours} h (${report.budget.usedPercent} %)`
              : 'no budget'}
          </dd>
        </div>
      </dl>
      <Rows title="Person" rows={report.byPerson} totals={report.totals} />
      <Rows title="Task" rows={report.byTask} totals={report.totals} />
      <Rows title="Day" rows={report.byDay} totals={report.totals} />
    </section>
  );
}

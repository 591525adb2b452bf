// Manual time per person beside the attendance sheet: approved and pending
// hours of the range, never added to the clocked (worked) time above it.
import type { ReportManual } from '@sealtime/shared/views';
import { formatHm } from './format.js';

export function ManualSummary({ manual, names }: { manual: ReportManual; names: ReadonlyMap<string, string> }) {
  const rows = Object.entries(manual.byRow).sort(([a], [b]) => a.localeCompare(b));
  if (rows.length === 0) return null;
  return (
    <section className="view manual-summary" aria-labelledby="manual-summary-title">
      <h2 id="manual-summary-title">Manual time (not in worked time)</h2>
      <table className="manual-table" aria-label="Manual time by person">
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col" className="num">
              Approved
            </th>
            <th scope="col" className="num">
              Pending
            </th>
            <th scope="col" className="num">
              Rejected
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, t]) => (
            <tr key={id} data-person={id}>
              <th scope="row">{names.get(id) ?? id}</th>
              <td className="num">{formatHm(t.approved)}</td>
              <td className="num">{formatHm(t.pending)}</td>
              <td className="num">{formatHm(t.rejected)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

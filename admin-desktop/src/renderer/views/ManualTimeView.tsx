// The manual time queue: entries employees added for time away from the
// computer, pending first; the approver the entry names approves, or rejects
// with a reason. Entries that overlap tracked activity or another manual
// entry are flagged, whoever decides.
import { useState } from 'react';
import type { ManualDecisionValue, ManualTimeQueue, ManualTimeRow } from '../../api/admin-api.js';
import { formatDate, formatDateTime, formatHm, formatTime } from './format.js';

export type ManualTimeViewProps = {
  queue: ManualTimeQueue;
  zone: string;
  onRange: (from: string, to: string) => void;
  /** Resolves to what to tell the reviewer; rejects with the core's error. */
  onDecide: (row: ManualTimeRow, decision: ManualDecisionValue, comment: string) => Promise<string>;
};

const projectOf = (r: ManualTimeRow) =>
  r.project ? `${r.project.projectId}${r.project.taskId ? ` / ${r.project.taskId}` : ''}` : '—';

function Flags({ r }: { r: ManualTimeRow }) {
  return (
    <>
      {r.trackedOverlapSeconds > 0 && (
        <span className="badge badge-warn" title="tracked activity of this person falls inside this entry">
          overlaps {formatHm(r.trackedOverlapSeconds * 1000)} h tracked
        </span>
      )}
      {r.overlapsEntry && (
        <span className="badge badge-warn" title="two manual entries of this person overlap">
          overlaps entry {r.overlapsEntry}
        </span>
      )}
    </>
  );
}

function Decide({ r, onDecide }: { r: ManualTimeRow; onDecide: ManualTimeViewProps['onDecide'] }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const act = async (d: ManualDecisionValue) => {
    if (d === 'rejected' && reason.trim() === '') {
      setSaid({ ok: false, text: 'Give a reason to reject.' });
      return;
    }
    setBusy(true);
    try {
      setSaid({ ok: true, text: await onDecide(r, d, reason.trim()) });
    } catch (err) {
      setSaid({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  if (!r.canDecide) return <span className="muted small">{r.notMine ?? 'not yours to decide'}</span>;
  return (
    <div className="manual-decide">
      <input
        type="text"
        aria-label={`Reason for ${r.personName}'s entry ${r.entryId}`}
        placeholder="reason (required to reject)"
        maxLength={1000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="button" disabled={busy} onClick={() => void act('approved')}>
        Approve
      </button>
      <button type="button" className="danger" disabled={busy} onClick={() => void act('rejected')}>
        Reject
      </button>
      {said && (
        <span role={said.ok ? 'status' : 'alert'} className={said.ok ? 'muted small' : 'error-text'}>
          {said.text}
        </span>
      )}
    </div>
  );
}

export function ManualTimeView({ queue, zone, onRange, onDecide }: ManualTimeViewProps) {
  return (
    <section className="view manual-time" aria-labelledby="manual-title">
      <header className="view-header">
        <div>
          <h1 id="manual-title">Manual time</h1>
          <p className="muted">
            {formatDate(queue.from)} – {formatDate(queue.to)} · {queue.pending} pending
            {queue.decisionsReadAt === null ? ' · decisions not read from the server yet' : ''}
          </p>
        </div>
        <div className="toolbar">
          <label>
            From{' '}
            <input
              type="date"
              value={queue.from}
              onChange={(e) => e.target.value && onRange(e.target.value, queue.to)}
            />
          </label>
          <label>
            To{' '}
            <input
              type="date"
              value={queue.to}
              onChange={(e) => e.target.value && onRange(queue.from, e.target.value)}
            />
          </label>
        </div>
      </header>
      {queue.rows.length === 0 ? (
        <p className="muted">No manual time entries in this range.</p>
      ) : (
        <table className="manual-table" aria-label="Manual time entries">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">When</th>
              <th scope="col" className="num">
                Hours
              </th>
              <th scope="col">Project</th>
              <th scope="col">Note</th>
              <th scope="col">Status</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {queue.rows.map((r) => (
              <tr key={r.recordId} className={`manual-row manual-${r.status}`} data-entry={r.entryId}>
                <th scope="row">{r.personName}</th>
                <td>
                  {formatDateTime(r.start, zone)} – {formatTime(r.end, zone)}
                </td>
                <td className="num">{formatHm(r.end - r.start)}</td>
                <td>{projectOf(r)}</td>
                <td>
                  {r.note} <Flags r={r} />
                </td>
                <td>
                  <span className={`badge status-${r.status}`}>{r.status}</span>
                  {r.queued && <span className="badge badge-queued">waiting to sync</span>}
                  {r.comment && <div className="muted small">“{r.comment}”</div>}
                </td>
                <td>{r.status === 'pending' ? <Decide r={r} onDecide={onDecide} /> : (r.decidedBy ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

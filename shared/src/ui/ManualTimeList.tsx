/**
 * Manual time as its own band, apart from tracked time: each entry with its
 * hours, project, approval status and the approver's reason, and a flag when
 * it overlaps tracked activity. The admin timeline and the employee's own
 * records page show the same list.
 */
import type { ManualEntryView } from '../views/manual-time.js';
import { formatHm, formatTime } from './format.js';

export type ManualTimeListProps = {
  entries: readonly ManualEntryView[];
  timeZone: string;
};

const STATUS_TEXT = { pending: 'Pending approval', approved: 'Approved', rejected: 'Rejected' } as const;

export function ManualTimeList({ entries, timeZone }: ManualTimeListProps) {
  if (entries.length === 0) return null;
  const total = (s: ManualEntryView['status']) =>
    entries.filter((e) => e.status === s).reduce((sum, e) => sum + e.end - e.start, 0);
  return (
    <section aria-labelledby="manual-band" className="manual-band">
      <h2 id="manual-band">Manual time</h2>
      <p className="muted small">
        Approved {formatHm(total('approved'))} h · pending {formatHm(total('pending'))} h · not counted with tracked
        time
      </p>
      <ul className="manual-entries">
        {entries.map((e) => (
          <li key={e.recordId} className={`manual-entry manual-${e.status}`}>
            <span className="manual-when">
              {formatTime(e.start, timeZone)}–{formatTime(e.end, timeZone)} ({formatHm(e.end - e.start)} h)
            </span>{' '}
            {e.project && (
              <span className="manual-project">
                {e.project.projectId}
                {e.project.taskId ? ` / ${e.project.taskId}` : ''}
              </span>
            )}{' '}
            <span className="manual-note">{e.note}</span>{' '}
            <span className={`badge status-${e.status}`}>{STATUS_TEXT[e.status]}</span>
            {e.comment && <span className="manual-reason"> “{e.comment}”</span>}
            {e.trackedOverlapSeconds > 0 && (
              <span className="badge badge-warn">
                {' '}
                overlaps {formatHm(e.trackedOverlapSeconds * 1000)} h of tracked activity
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

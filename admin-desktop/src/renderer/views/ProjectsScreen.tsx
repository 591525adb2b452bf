// The Projects screen wired to the API: the project book (a live
// subscription, so an outbox delivery shows), saving a version, and the
// chosen project's report over a date range.
import { useState } from 'react';
import type { AdminApi } from '../../api/admin-api.js';
import { printReport } from '../shell/print-report.js';
import { useSubscription } from '../shell/use-subscription.js';
import { ProjectReportView } from './ProjectReportView.js';
import { ProjectsView } from './ProjectsView.js';

const today = () => new Date().toISOString().slice(0, 10);
const monthStart = () => `${today().slice(0, 8)}01`;

function Report({ api, projectId }: { api: AdminApi; projectId: string }) {
  const [range, setRange] = useState({ from: monthStart(), to: today() });
  const report = useSubscription(api, 'projectReport', { projectId, ...range });
  if (report.error)
    return (
      <p role="alert" className="error-text">
        {report.error.message}
      </p>
    );
  if (!report.value) return <p className="muted">Loading the report…</p>;
  return (
    <ProjectReportView
      report={report.value}
      onRange={(from, to) => from && to && from <= to && setRange({ from, to })}
      onPrint={() => void printReport()}
    />
  );
}

export function ProjectsScreen({ api }: { api: AdminApi }) {
  const book = useSubscription(api, 'projectBook', {});
  const [reportOf, setReportOf] = useState<string | null>(null);
  if (book.error && !book.value)
    return (
      <p role="alert" className="error-text">
        {book.error.message}
      </p>
    );
  if (!book.value) return <p className="muted">Loading projects…</p>;
  return (
    <>
      <ProjectsView
        book={book.value}
        onSave={async (project) => {
          const r = await api.request('saveProject', { project });
          const to = r.deliveredTo.length === 1 ? '1 person' : `${r.deliveredTo.length} people`;
          return r.status === 'sent'
            ? `Saved ${project.name}; sent to ${to}.`
            : `Signed ${project.name}; waiting to sync (the server does not answer).`;
        }}
        onReport={setReportOf}
      />
      {reportOf && <Report key={reportOf} api={api} projectId={reportOf} />}
    </>
  );
}

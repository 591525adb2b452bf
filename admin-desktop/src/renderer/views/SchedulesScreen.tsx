// The schedules screen wired to the API: the book for a chosen date (a live
// subscription, so an outbox delivery shows), publishing a version or holidays.
import { useState } from 'react';
import type { AdminApi } from '../../api/admin-api.js';
import { useSubscription } from '../shell/use-subscription.js';
import { SchedulesView } from './SchedulesView.js';

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const today = () => new Date().toISOString().slice(0, 10);

export function SchedulesScreen({ api }: { api: AdminApi }) {
  const [date, setDate] = useState(today);
  const book = useSubscription(api, 'scheduleBook', { date });
  const said = (r: { status: 'sent' | 'queued'; docId: string }) =>
    r.status === 'sent' ? `Published ${r.docId}.` : `Signed ${r.docId}; waiting to sync (the server does not answer).`;
  if (book.error && !book.value)
    return (
      <p role="alert" className="error-text">
        {book.error.message}
      </p>
    );
  if (!book.value) return <p className="muted">Loading schedules…</p>;
  return (
    <>
      {book.error && (
        <p role="alert" className="error-text">
          {book.error.message}
        </p>
      )}
      <SchedulesView
        key={`${book.value.date}`}
        book={book.value}
        zone={localZone()}
        onDate={setDate}
        onPublish={async (scope, version) => said(await api.request('publishSchedule', { scope, version }))}
        onPublishHolidays={async (dates) => said(await api.request('publishHolidays', { dates }))}
      />
    </>
  );
}

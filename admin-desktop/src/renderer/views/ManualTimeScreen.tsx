// The manual time queue wired to the API: a live subscription over a date
// range (the last 14 days by default), decisions through the outbox.
import { useState } from 'react';
import type { AdminApi } from '../../api/admin-api.js';
import { useSubscription } from '../shell/use-subscription.js';
import { ManualTimeView } from './ManualTimeView.js';

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const dayOffset = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export function ManualTimeScreen({ api }: { api: AdminApi }) {
  const [range, setRange] = useState(() => ({ from: dayOffset(-14), to: dayOffset(0) }));
  const queue = useSubscription(api, 'manualTime', range);
  if (queue.error && !queue.value)
    return (
      <p role="alert" className="error-text">
        {queue.error.message}
      </p>
    );
  if (!queue.value) return <p className="muted">Loading manual time…</p>;
  return (
    <>
      {queue.error && (
        <p role="alert" className="error-text">
          {queue.error.message}
        </p>
      )}
      <ManualTimeView
        queue={queue.value}
        zone={localZone()}
        onRange={(from, to) => setRange(from <= to ? { from, to } : { from: to, to: from })}
        onDecide={async (row, decision, comment) => {
          const r = await api.request('decideManualTime', {
            employeeId: row.employeeId,
            entryId: row.entryId,
            decision,
            ...(comment ? { comment } : {}),
          });
          const what = decision === 'approved' ? 'Approved' : 'Rejected';
          return r.status === 'sent' ? `${what}.` : `${what}; waiting to sync (the server does not answer).`;
        }}
      />
    </>
  );
}

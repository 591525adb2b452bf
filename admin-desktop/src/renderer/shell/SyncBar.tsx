// The sync status bar: per database online/offline, documents pulled, last sync, last error; the outbox
// (actions waiting to sync, refused ones with the server's reason, send now / discard).
import type { AdminApi } from '../../api/admin-api.js';
import { useSubscription } from './use-subscription.js';

const ago = (t: number | null) => (t === null ? 'never' : new Date(t).toLocaleTimeString());

export function SyncBar({ api }: { api: AdminApi }) {
  const { value } = useSubscription(api, 'sync', {});
  const outbox = useSubscription(api, 'outbox', {});
  if (!value) return <footer className="sync-bar">Sync: starting…</footer>;
  const items = outbox.value?.items ?? [];
  const refused = items.filter((i) => i.state === 'refused');
  return (
    <footer className="sync-bar" aria-label="sync status">
      {value.databases.map((d) => (
        <span key={d.db} className={d.online ? 'online' : 'offline'} title={d.lastError?.message ?? ''}>
          {d.online ? '● online' : '○ offline'} · {d.db} · {d.pulled} records · last sync {ago(d.lastSyncAt)}
          {d.lastError ? ` · ${d.lastError.message}` : ''}
        </span>
      ))}
      {value.cannotOpen > 0 && <span>{value.cannotOpen} records not for your keys</span>}
      {items.length > 0 && (
        <span
          className="outbox-waiting"
          title={items.map((i) => `${i.what}${i.lastError ? ` — ${i.lastError}` : ''}`).join('\n')}
        >
          {items.length} waiting to sync{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => void api.request('outboxRetry', {}).catch(() => undefined)}
          >
            send now
          </button>
        </span>
      )}
      {refused.map((i) => (
        <span key={i.id} className="outbox-refused" role="alert">
          {i.what}: {i.lastError}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => void api.request('outboxDiscard', { id: i.id }).catch(() => undefined)}
          >
            discard
          </button>
        </span>
      ))}
    </footer>
  );
}

// The sync status bar: per database online/offline, documents pulled, last sync, last error; the outbox.
import type { AdminApi } from '../../api/admin-api.js';
import { useSubscription } from './use-subscription.js';

const ago = (t: number | null) => (t === null ? 'never' : new Date(t).toLocaleTimeString());

export function SyncBar({ api }: { api: AdminApi }) {
  const { value } = useSubscription(api, 'sync', {});
  if (!value) return <footer className="sync-bar">Sync: starting…</footer>;
  return (
    <footer className="sync-bar" aria-label="sync status">
      {value.databases.map((d) => (
        <span key={d.db} className={d.online ? 'online' : 'offline'} title={d.lastError?.message ?? ''}>
          {d.online ? '● online' : '○ offline'} · {d.db} · {d.pulled} records · last sync {ago(d.lastSyncAt)}
          {d.lastError ? ` · ${d.lastError.message}` : ''}
        </span>
      ))}
      {value.cannotOpen > 0 && <span>{value.cannotOpen} records not for your keys</span>}
      {value.outbox > 0 && <span>{value.outbox} waiting to sync</span>}
    </footer>
  );
}

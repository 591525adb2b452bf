// The audit log wired to the API: the filter form, the applied query, and the
// pages loaded so far (each next page continues from the last one's cursor).
import { useCallback, useEffect, useState } from 'react';
import type { AdminApi, AuditQuery, AuditRow } from '../../api/admin-api.js';
import { AuditView, type AuditFilterForm } from './AuditView.js';

const PAGE = 50;
const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The last seven days, today included. */
export function defaultAuditForm(now = new Date()): AuditFilterForm {
  const from = new Date(now);
  from.setDate(from.getDate() - 6);
  return { actor: '', action: '', target: '', from: localDate(from), to: localDate(now) };
}

function toQuery(f: AuditFilterForm): AuditQuery {
  const q: AuditQuery = { limit: PAGE };
  if (f.actor.trim()) q.actor = f.actor.trim();
  if (f.action.trim()) q.action = f.action.trim();
  if (f.target.trim()) q.target = f.target.trim();
  if (f.from) q.from = f.from;
  if (f.to) q.to = f.to;
  return q;
}

export function AuditScreen({ api }: { api: AdminApi }) {
  const [form, setForm] = useState<AuditFilterForm>(() => defaultAuditForm());
  const [query, setQuery] = useState<AuditQuery>(() => toQuery(defaultAuditForm()));
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [timeZone, setTimeZone] = useState('UTC');
  const [scanned, setScanned] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (q: AuditQuery, cursor: string | null) => {
      setBusy(true);
      setError(null);
      try {
        const page = await api.request('auditLog', { ...q, ...(cursor ? { cursor } : {}) });
        setRows((r) => (cursor ? [...r, ...page.entries] : page.entries));
        setNext(page.next);
        setTimeZone(page.timeZone);
        setScanned(page.scanned);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      } finally {
        setBusy(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void load(query, null);
  }, [load, query]);

  return (
    <AuditView
      form={form}
      rows={rows}
      timeZone={timeZone}
      hasMore={next !== null}
      busy={busy}
      error={error}
      scanned={scanned}
      onForm={setForm}
      onApply={() => {
        if (form.from && form.to && form.from > form.to) {
          setError('“From” is after “To”: choose a range that starts before it ends.');
          return;
        }
        setQuery(toQuery(form));
      }}
      onMore={() => void load(query, next)}
    />
  );
}

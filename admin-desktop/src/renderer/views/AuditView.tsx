/**
 * Screen 8, the audit log: filters (actor, action, target, dates), readable
 * rows — when (local time), who, what, to what — with the changed fields,
 * origin and details folded; pages load on request. Props in, callbacks out.
 */
import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import type { AuditRow } from '../../api/admin-api.js';

export interface AuditFilterForm {
  actor: string;
  action: string;
  target: string;
  from: string;
  to: string;
}

export interface AuditViewProps {
  form: AuditFilterForm;
  rows: AuditRow[];
  timeZone: string;
  hasMore: boolean;
  busy: boolean;
  error: string | null;
  /** Entries the server read for the last page (filters apply in the core). */
  scanned: number | null;
  onForm: (form: AuditFilterForm) => void;
  onApply: () => void;
  onMore: () => void;
}

/** What an action means, in words; unknown ones show as they are. */
const ACTIONS: Record<string, string> = {
  'login.success': 'signed in',
  'login.failure': 'sign-in refused',
  logout: 'signed out',
  'session.revoke': 'ended a session',
  'session.revoke-all': 'ended all sessions',
  'user.create': 'created an account',
  'user.update': 'changed an account',
  'user.set-password': 'set a password',
  'user.set-password.failure': 'password change refused',
  'enrollment.create': 'issued an enrollment code',
  'enrollment.failure': 'enrollment refused',
  'device.enroll': 'enrolled a device',
  'device.revoke': 'revoked a device',
  'keyring.deliver': 'was handed a key ring',
  'directory.write': 'wrote to the directory',
  'directory.delete': 'deleted from the directory',
  'inbox.write': 'wrote to an inbox',
  'inbox.delete': 'deleted from an inbox',
  'totp.setup': 'started two-factor set-up',
  'totp.enable': 'turned on two-factor sign-in',
  'totp.disable': 'turned off two-factor sign-in',
  'totp.failure': 'one-time code refused',
  'totp.recovery-code-used': 'used a recovery code',
  'employee.erase': 'erased an employee',
  'retention.purge': 'purged expired data',
  'data.backup': 'backed up the data',
  'data.restore': 'restored the data',
};

export const describeAction = (action: string): string => ACTIONS[action] ?? action;

export function formatAuditTime(at: number, timeZone: string): string {
  return format(new TZDate(at, timeZone), 'yyyy-MM-dd HH:mm:ss');
}

function Field({
  id,
  label,
  value,
  type = 'text',
  placeholder,
  onChange,
}: {
  id: keyof AuditFilterForm;
  label: string;
  value: string;
  type?: string;
  placeholder?: string;
  onChange: (v: string) => void;
}) {
  return (
    <label className="audit-field">
      {label}
      <input
        name={id}
        aria-label={label}
        type={type}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

export function AuditView(p: AuditViewProps) {
  const set = (k: keyof AuditFilterForm) => (v: string) => p.onForm({ ...p.form, [k]: v });
  return (
    <section className="view audit" aria-labelledby="audit-title">
      <header className="view-header">
        <div>
          <h1 id="audit-title">Audit log</h1>
          <p className="muted">Everything people and devices did on the server, oldest first. Times in {p.timeZone}.</p>
        </div>
      </header>
      <form
        className="audit-filters"
        aria-label="audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          p.onApply();
        }}
      >
        <Field id="actor" label="Actor" value={p.form.actor} placeholder="user:root" onChange={set('actor')} />
        <Field
          id="action"
          label="Action"
          value={p.form.action}
          placeholder="inbox or inbox.write"
          onChange={set('action')}
        />
        <Field
          id="target"
          label="Target contains"
          value={p.form.target}
          placeholder="policy:team"
          onChange={set('target')}
        />
        <Field id="from" label="From" type="date" value={p.form.from} onChange={set('from')} />
        <Field id="to" label="To" type="date" value={p.form.to} onChange={set('to')} />
        <button type="submit" disabled={p.busy}>
          Apply filters
        </button>
      </form>

      {p.error && (
        <p role="alert" className="error">
          {p.error}
        </p>
      )}
      {p.rows.length === 0 && !p.busy && !p.error && <p className="empty">No entries match these filters.</p>}

      <ol className="audit-list" aria-label="audit entries">
        {p.rows.map((r) => (
          <li key={r.id} className="audit-row">
            <details>
              <summary>
                <time dateTime={new Date(r.at).toISOString()} className="audit-time">
                  {formatAuditTime(r.at, p.timeZone)}
                </time>
                <span className="audit-actor">{r.actor}</span>
                <span className="audit-action" title={r.action}>
                  {describeAction(r.action)}
                </span>
                <span className="audit-target">{r.target}</span>
              </summary>
              <dl className="audit-detail">
                <dt>Action</dt>
                <dd>{r.action}</dd>
                <dt>From</dt>
                <dd>
                  {r.ip ?? 'unknown address'}
                  {r.userAgent ? ` — ${r.userAgent}` : ''}
                </dd>
                {Object.entries(r.details).map(([k, v]) => (
                  <div key={k} className="audit-detail-pair">
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
              {r.diff.length > 0 && (
                <table className="audit-diff" aria-label="changed fields">
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Before</th>
                      <th scope="col">After</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.diff.map((d) => (
                      <tr key={d.path}>
                        <th scope="row">{d.path || '(whole document)'}</th>
                        <td>{d.from ?? '—'}</td>
                        <td>{d.to ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </details>
          </li>
        ))}
      </ol>
      <div className="pager">
        {p.hasMore && (
          <button type="button" disabled={p.busy} onClick={p.onMore}>
            Load more
          </button>
        )}
        {p.busy && <span className="muted">Loading…</span>}
        {p.scanned !== null && (
          <span className="muted small">
            {p.rows.length} shown; the last page read {p.scanned} entries on the server
          </span>
        )}
      </div>
    </section>
  );
}

// Devices: enrollment codes (with the organisation fingerprint the device
// checks), every enrolled device with its last contact, and revocation
// (asked twice: a revoked device cannot be brought back, only re-enrolled).
import { formatDistanceStrict } from 'date-fns';
import { useState } from 'react';
import type { DeviceRow, EnrollmentCodeResult, PeopleAdminView } from '../../api/admin-api.js';
import { CopyButton } from './CopyButton.js';

export interface DevicesViewProps {
  view: PeopleAdminView;
  now: number;
  busy: boolean;
  /** The last code issued on this screen (shown until another is issued). */
  code: EnrollmentCodeResult | null;
  onIssueCode: (employeeId: string, ttlHours: number) => void;
  onRevoke: (deviceId: string) => void;
}

export function lastContact(d: DeviceRow, now: number): string {
  if (d.lastSeenAt === null) return 'never';
  if (now - d.lastSeenAt < 60_000) return 'just now';
  return `${formatDistanceStrict(d.lastSeenAt, now)} ago`;
}

function RevokeButton({ d, busy, onRevoke }: { d: DeviceRow; busy: boolean; onRevoke: (id: string) => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button className="secondary" disabled={busy} onClick={() => setAsking(true)}>
        Revoke
      </button>
    );
  return (
    <span className="people-actions">
      <button className="danger" disabled={busy} onClick={() => onRevoke(d.deviceId)}>
        Revoke {d.name ?? d.deviceId} for good
      </button>
      <button className="secondary" onClick={() => setAsking(false)}>
        Keep
      </button>
    </span>
  );
}

function IssueCodeForm({ view, busy, onIssueCode }: Pick<DevicesViewProps, 'view' | 'busy' | 'onIssueCode'>) {
  const employees = view.teams.flatMap((t) => t.members).sort((a, b) => a.displayName.localeCompare(b.displayName));
  const [employeeId, setEmployeeId] = useState(employees[0]?.employeeId ?? '');
  const [hours, setHours] = useState(24);
  return (
    <form
      className="people-form"
      aria-label="enrollment code"
      onSubmit={(e) => {
        e.preventDefault();
        onIssueCode(employeeId, hours);
      }}
    >
      <label>
        Employee{' '}
        <select aria-label="Employee" value={employeeId} onChange={(e) => setEmployeeId(e.target.value)} required>
          {employees.map((m) => (
            <option key={m.employeeId} value={m.employeeId}>
              {m.displayName === m.employeeId ? m.employeeId : `${m.displayName} (${m.employeeId})`}
            </option>
          ))}
        </select>
      </label>
      <label>
        Valid for (hours){' '}
        <input type="number" min={1} max={720} value={hours} onChange={(e) => setHours(Number(e.target.value) || 1)} />
      </label>
      <button type="submit" disabled={busy || !employeeId}>
        Issue enrollment code
      </button>
    </form>
  );
}

export function DevicesView({ view, now, busy, code, onIssueCode, onRevoke }: DevicesViewProps) {
  const live = view.devices.filter((d) => d.revokedAt === null).length;
  return (
    <section aria-label="devices">
      {view.canManage && (
        <>
          <h2>Enrollment</h2>
          {view.orgFingerprint && (
            <p>
              Organisation key fingerprint: <code className="fingerprint">{view.orgFingerprint}</code>{' '}
              <CopyButton text={view.orgFingerprint} label="Copy fingerprint" />
            </p>
          )}
          <IssueCodeForm view={view} busy={busy} onIssueCode={onIssueCode} />
          {code && (
            <div className="one-time" role="region" aria-label="enrollment code">
              <p>
                Code for <strong>{code.employeeId}</strong>: <code className="secret">{code.code}</code>{' '}
                <CopyButton text={code.code} label="Copy code" />
              </p>
              <p>
                The device checks the fingerprint <code className="fingerprint">{code.fingerprint}</code> before it
                trusts the organisation.
              </p>
              <p>
                On the employee's device: <code>{code.agentCommand}</code>{' '}
                <CopyButton text={code.agentCommand} label="Copy command" />
              </p>
              <p className="muted small">Valid until {new Date(code.expiresAt).toLocaleString()}; it works once.</p>
            </div>
          )}
        </>
      )}
      <h2>
        Devices{' '}
        <span className="muted small">
          {live} active, {view.devices.length - live} revoked
        </span>
      </h2>
      {view.devices.length === 0 ? (
        <p className="empty">No device has enrolled yet.</p>
      ) : (
        <table className="table devices-table">
          <thead>
            <tr>
              <th>Device</th>
              <th>Employee</th>
              <th>Platform</th>
              <th>Last contact</th>
              <th>Status</th>
              {view.canManage && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {view.devices.map((d) => (
              <tr key={d.deviceId} className={d.revokedAt !== null ? 'row-off' : undefined}>
                <th scope="row">
                  {d.name ?? d.deviceId} <span className="muted small">{d.deviceId}</span>
                </th>
                <td>{d.displayName}</td>
                <td>{d.platform ?? '—'}</td>
                <td title={d.lastSeenAt === null ? undefined : new Date(d.lastSeenAt).toISOString()}>
                  {lastContact(d, now)}
                </td>
                <td>
                  {d.revokedAt === null ? (
                    <span className="badge badge-approved">Active</span>
                  ) : (
                    <span className="badge badge-rejected">Revoked</span>
                  )}
                </td>
                {view.canManage && (
                  <td>{d.revokedAt === null && <RevokeButton d={d} busy={busy} onRevoke={onRevoke} />}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// The "People and devices" screen: the peopleAdmin subscription, the admin
// requests, and the one-time secrets they return (shown here once, kept only
// in this component's state until dismissed).
import { useCallback, useState } from 'react';
import type { AdminApi, EnrollmentCodeResult } from '../../api/admin-api.js';
import { CopyButton } from '../views/CopyButton.js';
import { DevicesView } from '../views/DevicesView.js';
import { PeopleView, type InviteForm } from '../views/PeopleView.js';
import { useSubscription } from './use-subscription.js';

interface OneTime {
  title: string;
  items: Array<[string, string]>;
}

export function OneTimeSecrets({ secret, onDismiss }: { secret: OneTime; onDismiss: () => void }) {
  return (
    <div className="one-time" role="region" aria-label="shown once">
      <p>
        <strong>{secret.title}</strong> — shown once: hand it over now, it is kept nowhere.
      </p>
      <dl>
        {secret.items.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code className="secret">{value}</code> <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
            </dd>
          </div>
        ))}
      </dl>
      <button className="secondary" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}

export function PeopleScreen({ api, user }: { api: AdminApi; user: string }) {
  const live = useSubscription(api, 'peopleAdmin', {});
  const [part, setPart] = useState<'people' | 'devices'>('people');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [secret, setSecret] = useState<OneTime | null>(null);
  const [code, setCode] = useState<EnrollmentCodeResult | null>(null);
  const [invited, setInvited] = useState(0);

  /** One request at a time; its outcome in words. */
  const run = useCallback(<T,>(work: () => Promise<T>, done: (r: T) => void) => {
    setBusy(true);
    setNotice(null);
    setFailure(null);
    work().then(
      (r) => {
        setBusy(false);
        done(r);
      },
      (err: unknown) => {
        setBusy(false);
        setFailure(err instanceof Error ? err.message : String(err));
      },
    );
  }, []);

  const invite = (f: InviteForm) =>
    run(
      () =>
        api.request('inviteUser', {
          userId: f.userId,
          role: f.role,
          ...(f.role === 'member' ? { employeeId: f.employeeId || f.userId } : {}),
          ...((f.role === 'member' || f.role === 'manager') && f.teamId ? { teams: [f.teamId] } : {}),
          ...(f.role === 'member' && f.displayName.trim() ? { displayName: f.displayName.trim() } : {}),
        }),
      (r) => {
        setInvited((n) => n + 1);
        setSecret({
          title: `Account ${r.userId} invited`,
          items: [
            ['Temporary password', r.temporaryPassword],
            ...(r.employee
              ? ([
                  ['Key ring passphrase', r.employee.keyringPassphrase],
                  ['Recovery key', r.employee.recoveryKey],
                ] as Array<[string, string]>)
              : []),
          ],
        });
      },
    );

  const value = live.value;
  return (
    <div className="view people-screen">
      <div className="view-header">
        <div>
          <h1>People and devices</h1>
          {value && (
            <p className="muted small">
              {value.canManage ? 'Accounts, teams and devices of the organisation.' : 'Your teams, read-only.'}{' '}
              {value.source === 'kept'
                ? `The server does not answer: as of ${new Date(value.fetchedAt).toLocaleString()}.`
                : ''}
            </p>
          )}
        </div>
        <div className="toolbar">
          <div className="segmented" role="group" aria-label="part">
            <button aria-pressed={part === 'people'} onClick={() => setPart('people')}>
              People
            </button>
            <button aria-pressed={part === 'devices'} onClick={() => setPart('devices')}>
              Devices
            </button>
          </div>
          <button
            className="secondary"
            disabled={busy}
            onClick={() =>
              run(
                () => api.request('refreshPeopleAdmin', {}),
                () => undefined,
              )
            }
          >
            Refresh
          </button>
        </div>
      </div>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {secret && <OneTimeSecrets secret={secret} onDismiss={() => setSecret(null)} />}
      {live.error && (
        <p role="alert" className="error">
          {live.error.message}
        </p>
      )}
      {!value && !live.error && <p className="muted">Loading…</p>}
      {value && part === 'people' && (
        <PeopleView
          view={value}
          self={user}
          inviteKey={invited}
          busy={busy}
          onInvite={invite}
          onSetRole={(userId, role, teams) =>
            run(
              () => api.request('setUserRole', { userId, role, teams }),
              (r) => setNotice(`${r.userId} is now ${r.role}${r.teams.length ? ` (${r.teams.join(', ')})` : ''}`),
            )
          }
          onSetDisabled={(userId, disabled) =>
            run(
              () => api.request('setUserDisabled', { userId, disabled }),
              (r) => setNotice(r.disabled ? `${r.userId} is disabled; their sessions ended` : `${r.userId} is enabled`),
            )
          }
          onResetPassword={(userId) =>
            run(
              () => api.request('resetUserPassword', { userId }),
              (r) =>
                setSecret({
                  title: `New password for ${r.userId} (their sessions ended)`,
                  items: [['Temporary password', r.temporaryPassword]],
                }),
            )
          }
          onRevokeSessions={(userId) =>
            run(
              () => api.request('revokeUserSessions', { userId }),
              (r) => setNotice(`${r.ended} session${r.ended === 1 ? '' : 's'} of ${r.userId} ended`),
            )
          }
          onCreateTeam={(teamId) =>
            run(
              () => api.request('createTeam', { teamId }),
              (r) =>
                setSecret({
                  title: `Team ${r.teamId} created: give its managers the passphrase`,
                  items: [
                    ['Team key ring passphrase', r.passphrase],
                    ['Recovery key', r.recoveryKey],
                  ],
                }),
            )
          }
        />
      )}
      {value && part === 'devices' && (
        <DevicesView
          view={value}
          now={Date.now()}
          busy={busy}
          code={code}
          onIssueCode={(employeeId, ttlHours) =>
            run(() => api.request('issueEnrollmentCode', { employeeId, ttlHours }), setCode)
          }
          onRevoke={(deviceId) =>
            run(
              () => api.request('revokeDevice', { deviceId }),
              (r) => setNotice(`Device ${r.deviceId} revoked: its next request is refused`),
            )
          }
        />
      )}
    </div>
  );
}

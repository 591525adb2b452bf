// People: accounts and their roles, teams and their managers, and the admin
// actions on them. Props in, callbacks out (PeopleScreen.tsx feeds it); a
// manager gets the same tables without any control.
import { useState } from 'react';
import type { AccountRoleName, AccountRow, PeopleAdminView, TeamRow } from '../../api/admin-api.js';
import { ACCOUNT_ROLE_NAMES } from '../../api/contracts/people-admin-contract.js';

export interface InviteForm {
  userId: string;
  role: AccountRoleName;
  employeeId: string;
  teamId: string;
  displayName: string;
}

export interface PeopleViewProps {
  view: PeopleAdminView;
  /** The signed-in account: it cannot disable itself or end its own sessions from here. */
  self: string;
  /** Bumped after a successful invitation: the form starts empty again. */
  inviteKey?: number;
  /** A request is running: controls wait. */
  busy: boolean;
  onInvite: (f: InviteForm) => void;
  onSetRole: (userId: string, role: AccountRoleName, teams: string[]) => void;
  onSetDisabled: (userId: string, disabled: boolean) => void;
  onResetPassword: (userId: string) => void;
  onRevokeSessions: (userId: string) => void;
  onCreateTeam: (teamId: string) => void;
}

const ROLE_LABEL: Record<AccountRoleName, string> = {
  'super-admin': 'Super admin',
  admin: 'Admin',
  manager: 'Manager',
  hr: 'HR',
  member: 'Employee',
};
const teamsText = (teams: string[]) => teams.join(', ');
const parseTeams = (text: string) => text.split(/[\s,]+/).filter((t) => t !== '');

function AccountRowView({
  a,
  canManage,
  busy,
  props,
}: {
  a: AccountRow;
  canManage: boolean;
  busy: boolean;
  props: PeopleViewProps;
}) {
  const [role, setRole] = useState<AccountRoleName>(a.role);
  const [teams, setTeams] = useState(teamsText(a.teams));
  const dirty = role !== a.role || teams !== teamsText(a.teams);
  return (
    <tr className={a.disabled ? 'row-off' : undefined}>
      <th scope="row">
        {a.userId}
        {a.displayName && a.displayName !== a.userId && <span className="muted small"> {a.displayName}</span>}
      </th>
      <td>
        {canManage ? (
          <select
            aria-label={`role of ${a.userId}`}
            value={role}
            disabled={busy}
            onChange={(e) => setRole(e.target.value as AccountRoleName)}
          >
            {ACCOUNT_ROLE_NAMES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        ) : (
          (ROLE_LABEL[a.role] ?? a.role)
        )}
      </td>
      <td>
        {canManage ? (
          <input
            aria-label={`teams of ${a.userId}`}
            value={teams}
            size={12}
            disabled={busy}
            onChange={(e) => setTeams(e.target.value)}
          />
        ) : (
          teamsText(a.teams) || '—'
        )}
      </td>
      <td>{a.employeeId ?? '—'}</td>
      <td>
        <span className={a.disabled ? 'badge badge-rejected' : 'badge badge-approved'}>
          {a.disabled ? 'Disabled' : 'Active'}
        </span>
        {a.totpEnabled && <span className="badge">2FA</span>}
      </td>
      <td className="num">{a.liveSessions === null ? '—' : a.liveSessions}</td>
      {canManage && (
        <td className="people-actions">
          {dirty && (
            <button disabled={busy} onClick={() => props.onSetRole(a.userId, role, parseTeams(teams))}>
              Save
            </button>
          )}
          <button className="secondary" disabled={busy} onClick={() => props.onResetPassword(a.userId)}>
            Reset password
          </button>
          <button
            className="secondary"
            disabled={busy || a.liveSessions === 0 || a.userId === props.self}
            onClick={() => props.onRevokeSessions(a.userId)}
          >
            Revoke sessions
          </button>
          <button
            className="secondary"
            disabled={busy || a.userId === props.self}
            onClick={() => props.onSetDisabled(a.userId, !a.disabled)}
          >
            {a.disabled ? 'Enable' : 'Disable'}
          </button>
        </td>
      )}
    </tr>
  );
}

function InviteFormView({
  teams,
  busy,
  onInvite,
}: {
  teams: TeamRow[];
  busy: boolean;
  onInvite: (f: InviteForm) => void;
}) {
  const [f, setF] = useState<InviteForm>({
    userId: '',
    role: 'member',
    employeeId: '',
    teamId: teams.find((t) => t.teamId)?.teamId ?? '',
    displayName: '',
  });
  const set = (k: keyof InviteForm) => (e: { target: { value: string } }) =>
    setF((x) => ({ ...x, [k]: e.target.value }));
  const employee = f.role === 'member';
  return (
    <form
      className="people-form"
      aria-label="invite"
      onSubmit={(e) => {
        e.preventDefault();
        onInvite(f);
      }}
    >
      <label>
        Account{' '}
        <input
          value={f.userId}
          onChange={set('userId')}
          required
          pattern="[a-z0-9][a-z0-9-]{0,62}"
          placeholder="e.g. dora"
        />
      </label>
      <label>
        Role{' '}
        <select aria-label="Role" value={f.role} onChange={set('role')}>
          {ACCOUNT_ROLE_NAMES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </select>
      </label>
      {employee && (
        <label>
          Employee id{' '}
          <input
            value={f.employeeId}
            onChange={set('employeeId')}
            required
            pattern="[a-z0-9][a-z0-9-]{0,62}"
            placeholder="same as account"
          />
        </label>
      )}
      {employee && (
        <label>
          Name{' '}
          <input value={f.displayName} onChange={set('displayName')} maxLength={100} placeholder="shown to reviewers" />
        </label>
      )}
      {(employee || f.role === 'manager') && (
        <label>
          {employee ? 'Team' : 'Manages'}{' '}
          <select aria-label={employee ? 'Team' : 'Manages'} value={f.teamId} onChange={set('teamId')}>
            <option value="">{employee ? 'no team' : 'no team yet'}</option>
            {teams
              .filter((t) => t.teamId)
              .map((t) => (
                <option key={t.teamId} value={t.teamId}>
                  {t.teamId}
                </option>
              ))}
          </select>
        </label>
      )}
      <button type="submit" disabled={busy}>
        Invite
      </button>
    </form>
  );
}

function CreateTeamForm({ busy, onCreateTeam }: { busy: boolean; onCreateTeam: (teamId: string) => void }) {
  const [teamId, setTeamId] = useState('');
  return (
    <form
      className="people-form"
      aria-label="create team"
      onSubmit={(e) => {
        e.preventDefault();
        onCreateTeam(teamId);
      }}
    >
      <label>
        New team{' '}
        <input
          value={teamId}
          onChange={(e) => setTeamId(e.target.value)}
          required
          pattern="[a-z0-9][a-z0-9-]{0,62}"
          placeholder="e.g. support"
        />
      </label>
      <button type="submit" disabled={busy}>
        Create team
      </button>
    </form>
  );
}

export function PeopleView(props: PeopleViewProps) {
  const { view, busy } = props;
  const { canManage } = view;
  return (
    <section aria-label="people">
      {canManage && (
        <>
          <h2>Invite</h2>
          <p className="muted small">
            A temporary password is shown once; an employee new to the directory also gets a key ring (its passphrase
            and recovery key shown once).
          </p>
          <InviteFormView key={props.inviteKey ?? 0} teams={view.teams} busy={busy} onInvite={props.onInvite} />
          <h2>Accounts</h2>
          <table className="table people-table">
            <thead>
              <tr>
                <th>Account</th>
                <th>Role</th>
                <th>Teams</th>
                <th>Employee</th>
                <th>Status</th>
                <th className="num">Sessions</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {view.accounts.map((a) => (
                // keyed by what the server holds: a saved change resets the row's edits
                <AccountRowView
                  key={`${a.userId}:${a.role}:${teamsText(a.teams)}`}
                  a={a}
                  canManage={canManage}
                  busy={busy}
                  props={props}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>Teams</h2>
      {view.teams.length === 0 ? (
        <p className="empty">No teams yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Team</th>
              <th>Managers</th>
              <th>Members</th>
            </tr>
          </thead>
          <tbody>
            {view.teams.map((t) => (
              <tr key={t.teamId || '-'}>
                <th scope="row">{t.teamId || <span className="muted">No team</span>}</th>
                <td>{t.managers.join(', ') || <span className="muted">none</span>}</td>
                <td>{t.members.map((m) => m.displayName).join(', ') || <span className="muted">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && <CreateTeamForm busy={busy} onCreateTeam={props.onCreateTeam} />}
    </section>
  );
}

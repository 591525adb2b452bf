/**
 * People and devices: the accounts, teams and devices the server and the
 * signed directory hold, and the admin actions on them, each through the
 * admin use-cases the CLI calls (admin/accounts.ts, people-setup.ts,
 * enrollment.ts). The core refuses every change to a role that is not an
 * admin before the server is asked (the server refuses it again); managers
 * get their teams read-only, other roles nothing.
 *
 * The view is fetched from the server, not the replica: accounts and devices
 * are not records. It is kept in the replica's meta for offline starts and
 * re-fetched when older than FRESH_MS or after an action, so a burst of
 * arriving records (each re-publishes every subscription) is not a burst of
 * requests.
 */
import { isAdminError } from '../../admin/admin-error.js';
import {
  inviteAccount,
  oneTimeSecret,
  resetPassword,
  revokeSessions,
  setDisabled,
  setRole,
} from '../../admin/accounts.js';
import { issueEnrollmentCode } from '../../admin/enrollment.js';
import { KeyCustody } from '../../admin/key-custody.js';
import { createTeam, listEmployees, listTeams, type Deps } from '../../admin/people-setup.js';
import type { PublicDevice, PublicUser } from '../../admin/node/server-client.js';
import type {
  AccountRoleName,
  AccountRow,
  DeviceRow,
  PeopleAdminRequests,
  PeopleAdminSubscriptions,
  PeopleAdminView,
  TeamRow,
} from '../../api/contracts/people-admin-contract.js';
import { apiError } from '../core-errors.js';
import { refreshPeople } from '../people-directory.js';
import type { CoreContext, Unlocked } from '../unlocked-session.js';
import type { Feature } from './feature.js';

const FRESH_MS = 15_000;
const META_KEY = 'people-admin';
/** The last fetched view per unlocked session, and the people list it was built with (a manager's comes from the replica). */
const fresh = new WeakMap<Unlocked, { view: PeopleAdminView; people: string }>();
const peopleKey = (u: Unlocked): string => u.people.map((p) => `${p.employeeId}=${p.displayName}`).join('\n');

const isAdminRole = (role: string): boolean => role === 'admin' || role === 'super-admin';

/** The unlocked admin session, or 'forbidden' before anything is sent. */
function needAdmin(ctx: CoreContext): Unlocked {
  const u = ctx.need();
  const role = u.keys.scope.role;
  if (!isAdminRole(role))
    throw apiError('forbidden', `a ${role} account may not change people or devices: ask an admin`);
  return u;
}

function deps(ctx: CoreContext, u: Unlocked): Deps {
  return {
    client: u.client,
    custody: new KeyCustody(u.client, ctx.profile, ctx.ringParams ? { params: ctx.ringParams } : {}),
    now: ctx.now,
  };
}

/** After a change: the next value is fetched again, and every screen shows it. */
async function changed(ctx: CoreContext, u: Unlocked, people = false): Promise<void> {
  fresh.delete(u);
  if (people) await refreshPeople(u);
  ctx.republish();
}

function deviceRow(d: PublicDevice, names: Map<string, string>): DeviceRow {
  return {
    deviceId: d.deviceId,
    employeeId: d.employeeId,
    displayName: names.get(d.employeeId) ?? d.employeeId,
    name: d.name ?? null,
    platform: d.platform ?? null,
    enrolledAt: d.enrolledAt ?? null,
    lastSeenAt: d.lastSeenAt ?? null,
    revokedAt: d.revokedAt,
  };
}

/** Live sessions of each account this admin may see sessions of (an admin may not see a super-admin's). */
async function liveSessions(u: Unlocked, users: PublicUser[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await Promise.all(
    users.map(async (a) => {
      try {
        out.set(a.id, (await u.client.sessions(a.id)).filter((s) => s.state === 'live').length);
      } catch (err) {
        if (!isAdminError(err, 'forbidden')) throw err; // not this admin's to see: shown as unknown
      }
    }),
  );
  return out;
}

async function adminView(ctx: CoreContext, u: Unlocked): Promise<PeopleAdminView> {
  const orgKey = u.keys.orgSignPublicKey;
  if (!orgKey)
    throw apiError(
      'integrity',
      'the organisation key is not known on this computer: unlock once while the server answers',
    );
  const [users, devices, employees, teams, trust] = await Promise.all([
    u.client.users(),
    u.client.devices(),
    listEmployees(u.client, orgKey),
    listTeams(u.client, orgKey),
    ctx.profile.trust(u.client.url),
  ]);
  const names = new Map(employees.map((e) => [e.employeeId, e.displayName ?? e.employeeId]));
  const sessions = await liveSessions(u, users);
  const accounts: AccountRow[] = users
    .map((a) => ({
      userId: a.id,
      role: a.role as AccountRoleName,
      teams: a.teams,
      employeeId: a.employeeId,
      displayName: a.employeeId ? (names.get(a.employeeId) ?? null) : null,
      disabled: a.disabled,
      totpEnabled: a.totpEnabled,
      createdAt: a.createdAt,
      liveSessions: sessions.get(a.id) ?? null,
    }))
    .sort((a, b) => a.userId.localeCompare(b.userId));
  const teamIds = [
    ...new Set([...teams.map((t) => t.teamId), ...employees.flatMap((e) => (e.teamId ? [e.teamId] : []))]),
  ].sort();
  const teamRows: TeamRow[] = teamIds.map((teamId) => ({
    teamId,
    managers: users
      .filter((a) => a.role === 'manager' && a.teams.includes(teamId))
      .map((a) => a.id)
      .sort(),
    members: employees
      .filter((e) => e.teamId === teamId)
      .map((e) => ({ employeeId: e.employeeId, displayName: names.get(e.employeeId)! })),
  }));
  const loose = employees.filter((e) => !e.teamId);
  if (loose.length > 0)
    teamRows.push({
      teamId: '',
      managers: [],
      members: loose.map((e) => ({ employeeId: e.employeeId, displayName: names.get(e.employeeId)! })),
    });
  return {
    canManage: true,
    role: u.keys.scope.role,
    source: 'server',
    fetchedAt: ctx.now(),
    orgFingerprint: trust?.orgFingerprint ?? null,
    accounts,
    teams: teamRows,
    devices: devices
      .map((d) => deviceRow(d, names))
      .sort((a, b) => a.employeeId.localeCompare(b.employeeId) || a.deviceId.localeCompare(b.deviceId)),
  };
}

/** A manager: the people their team databases hold, and those people's devices (the server allows that much). */
async function managerView(ctx: CoreContext, u: Unlocked): Promise<PeopleAdminView> {
  const names = new Map(u.people.map((p) => [p.employeeId, p.displayName]));
  const devices = (await Promise.all(u.people.map((p) => u.client.devices(p.employeeId)))).flat();
  const teamOf = new Map(devices.map((d) => [d.employeeId, d.teamId]));
  const teams: TeamRow[] = u.keys.scope.teams.map((teamId) => ({
    teamId,
    managers: [u.keys.scope.userId],
    members: u.people
      .filter((p) => (p.teamId ?? teamOf.get(p.employeeId)) === teamId)
      .map((p) => ({ employeeId: p.employeeId, displayName: p.displayName })),
  }));
  return {
    canManage: false,
    role: u.keys.scope.role,
    source: 'server',
    fetchedAt: ctx.now(),
    orgFingerprint: null,
    accounts: [],
    teams,
    devices: devices
      .map((d) => deviceRow(d, names))
      .sort((a, b) => a.employeeId.localeCompare(b.employeeId) || a.deviceId.localeCompare(b.deviceId)),
  };
}

export const peopleAdminFeature: Feature<keyof PeopleAdminRequests, keyof PeopleAdminSubscriptions> = {
  requests: {
    inviteUser: async (p, ctx) => {
      const u = needAdmin(ctx);
      const r = await inviteAccount(deps(ctx, u), {
        userId: p.userId,
        role: p.role,
        orgPassphrase: u.passphrase,
        ...(p.teams ? { teams: p.teams } : {}),
        ...(p.employeeId ? { employeeId: p.employeeId } : {}),
        ...(p.displayName ? { displayName: p.displayName } : {}),
      });
      await changed(ctx, u, r.employee !== undefined);
      return {
        userId: r.userId,
        role: r.role,
        temporaryPassword: r.temporaryPassword,
        ...(r.employee
          ? {
              employee: {
                employeeId: r.employee.employeeId,
                keyringPassphrase: r.employee.keyringPassphrase,
                recoveryKey: r.employee.recoveryKey,
              },
            }
          : {}),
      };
    },
    setUserRole: async (p, ctx) => {
      const u = needAdmin(ctx);
      const r = await setRole(deps(ctx, u), p.userId, p.role, p.teams);
      await changed(ctx, u);
      return { userId: r.id, role: r.role, teams: r.teams };
    },
    setUserDisabled: async (p, ctx) => {
      const u = needAdmin(ctx);
      const r = await setDisabled(deps(ctx, u), p.userId, p.disabled);
      await changed(ctx, u);
      return { userId: r.id, disabled: r.disabled };
    },
    resetUserPassword: async (p, ctx) => {
      const u = needAdmin(ctx);
      const r = await resetPassword(deps(ctx, u), p.userId);
      await changed(ctx, u);
      return r;
    },
    revokeUserSessions: async (p, ctx) => {
      const u = needAdmin(ctx);
      const r = await revokeSessions(deps(ctx, u), p.userId);
      await changed(ctx, u);
      return { userId: p.userId, ended: r.ended };
    },
    createTeam: async (p, ctx) => {
      const u = needAdmin(ctx);
      const passphrase = oneTimeSecret();
      const r = await createTeam(deps(ctx, u), {
        teamId: p.teamId,
        orgPassphrase: u.passphrase,
        teamPassphrase: passphrase,
      });
      await changed(ctx, u);
      return { teamId: r.teamId, passphrase, recoveryKey: r.recoveryKey };
    },
    issueEnrollmentCode: async (p, ctx) => {
      const u = needAdmin(ctx);
      const r = await issueEnrollmentCode(deps(ctx, u), {
        employeeId: p.employeeId,
        orgPassphrase: u.passphrase,
        ...(p.ttlHours ? { ttlMs: Math.round(p.ttlHours * 3_600_000) } : {}),
      });
      await changed(ctx, u);
      return r;
    },
    revokeDevice: async (p, ctx) => {
      const u = needAdmin(ctx);
      const r = await u.client.revokeDevice(p.deviceId);
      await changed(ctx, u, true);
      return { deviceId: r.deviceId, revokedAt: r.revokedAt ?? ctx.now() };
    },
    refreshPeopleAdmin: async (_p, ctx) => {
      await changed(ctx, ctx.need());
      return { ok: true };
    },
  },
  subscriptions: {
    peopleAdmin: async (_p, ctx) => {
      const u = ctx.need();
      const role = u.keys.scope.role;
      if (!isAdminRole(role) && role !== 'manager')
        throw apiError('forbidden', `a ${role} account does not see people and devices`);
      const kept = fresh.get(u);
      if (kept && kept.people === peopleKey(u) && ctx.now() - kept.view.fetchedAt < FRESH_MS) return kept.view;
      try {
        const people = peopleKey(u);
        const view = isAdminRole(role) ? await adminView(ctx, u) : await managerView(ctx, u);
        fresh.set(u, { view, people });
        await u.store.putMeta(META_KEY, view);
        return view;
      } catch (err) {
        if (!isAdminError(err, 'unreachable')) throw err;
        const last = await u.store.getMeta<PeopleAdminView>(META_KEY);
        if (!last) throw err;
        return { ...last, source: 'kept' };
      }
    },
  },
};

/**
 * People and devices: accounts and their roles, teams and their managers,
 * enrollment codes, devices. Admins change things; a manager sees their
 * teams' people and devices read-only; every other role is refused.
 * One-time secrets (temporary passwords, a new ring's passphrase and
 * recovery key) come back once in a request's result and are kept nowhere.
 */
import { isArrayOf, isBool, isId, isNum, isObj, isStr, none, type Contract } from './contract-kit.js';

export const ACCOUNT_ROLE_NAMES = ['super-admin', 'admin', 'manager', 'hr', 'member'] as const;
export type AccountRoleName = (typeof ACCOUNT_ROLE_NAMES)[number];

export interface AccountRow {
  userId: string;
  role: AccountRoleName;
  teams: string[];
  employeeId: string | null;
  /** The employee's name from the signed directory, when the account is an employee's. */
  displayName: string | null;
  disabled: boolean;
  totpEnabled: boolean;
  createdAt: number;
  /** null: this admin may not see that account's sessions (a super-admin's). */
  liveSessions: number | null;
}

export interface TeamRow {
  teamId: string;
  /** Manager accounts assigned to the team. */
  managers: string[];
  members: Array<{ employeeId: string; displayName: string }>;
}

export interface DeviceRow {
  deviceId: string;
  employeeId: string;
  displayName: string;
  name: string | null;
  platform: string | null;
  enrolledAt: number | null;
  /** Last authenticated request to the server; null: none yet (or an older server). */
  lastSeenAt: number | null;
  revokedAt: number | null;
}

export interface PeopleAdminView {
  /** Admins may change things here; managers see their teams read-only. */
  canManage: boolean;
  role: string;
  /** 'server': as the server answered at fetchedAt; 'kept': it did not answer, the last copy is shown. */
  source: 'server' | 'kept';
  fetchedAt: number;
  /** The organisation key fingerprint a device checks at enrollment (admins). */
  orgFingerprint: string | null;
  accounts: AccountRow[];
  teams: TeamRow[];
  devices: DeviceRow[];
}

export interface InviteUserResult {
  userId: string;
  role: AccountRoleName;
  temporaryPassword: string;
  employee?: { employeeId: string; keyringPassphrase: string; recoveryKey: string };
}

export interface EnrollmentCodeResult {
  code: string;
  employeeId: string;
  teamId: string | null;
  expiresAt: number;
  fingerprint: string;
  agentCommand: string;
}

export interface PeopleAdminRequests {
  inviteUser: {
    params: { userId: string; role: AccountRoleName; teams?: string[]; employeeId?: string; displayName?: string };
    result: InviteUserResult;
  };
  setUserRole: {
    params: { userId: string; role: AccountRoleName; teams?: string[] };
    result: { userId: string; role: string; teams: string[] };
  };
  setUserDisabled: { params: { userId: string; disabled: boolean }; result: { userId: string; disabled: boolean } };
  resetUserPassword: { params: { userId: string }; result: { userId: string; temporaryPassword: string } };
  revokeUserSessions: { params: { userId: string }; result: { userId: string; ended: number } };
  createTeam: { params: { teamId: string }; result: { teamId: string; passphrase: string; recoveryKey: string } };
  issueEnrollmentCode: { params: { employeeId: string; ttlHours?: number }; result: EnrollmentCodeResult };
  revokeDevice: { params: { deviceId: string }; result: { deviceId: string; revokedAt: number } };
  /** Fetch accounts, teams and devices again now (e.g. for devices' last contact). */
  refreshPeopleAdmin: { params: Record<string, never>; result: { ok: true } };
}

export interface PeopleAdminSubscriptions {
  peopleAdmin: { params: Record<string, never>; value: PeopleAdminView };
}

const isRole = (v: unknown): boolean => (ACCOUNT_ROLE_NAMES as readonly unknown[]).includes(v);
const isTeams = (v: unknown): boolean => isArrayOf(v, isId, 200);
const isName = (v: unknown): boolean => isStr(v, 100) && v.trim().length > 0;
const isSecret = (v: unknown): boolean => isStr(v, 200);
const byUser = { userId: isId };

export const PEOPLE_ADMIN_CONTRACT: Contract<PeopleAdminRequests, PeopleAdminSubscriptions> = {
  requests: {
    inviteUser: {
      spec: { userId: isId, role: isRole, teams: isTeams, employeeId: isId, displayName: isName },
      optional: ['teams', 'employeeId', 'displayName'],
      result: (x) =>
        isObj(x) &&
        isId(x.userId) &&
        isSecret(x.temporaryPassword) &&
        (x.employee === undefined ||
          (isObj(x.employee) && isSecret(x.employee.keyringPassphrase) && isSecret(x.employee.recoveryKey))),
    },
    setUserRole: {
      spec: { userId: isId, role: isRole, teams: isTeams },
      optional: ['teams'],
      result: (x) => isObj(x) && isId(x.userId) && typeof x.role === 'string',
    },
    setUserDisabled: {
      spec: { userId: isId, disabled: isBool },
      result: (x) => isObj(x) && isId(x.userId) && isBool(x.disabled),
    },
    resetUserPassword: { spec: byUser, result: (x) => isObj(x) && isId(x.userId) && isSecret(x.temporaryPassword) },
    revokeUserSessions: { spec: byUser, result: (x) => isObj(x) && isId(x.userId) && isNum(x.ended) },
    createTeam: {
      spec: { teamId: isId },
      result: (x) => isObj(x) && isId(x.teamId) && isSecret(x.passphrase) && isSecret(x.recoveryKey),
    },
    issueEnrollmentCode: {
      spec: { employeeId: isId, ttlHours: (v) => isNum(v) && v > 0 && v <= 24 * 30 },
      optional: ['ttlHours'],
      result: (x) =>
        isObj(x) &&
        isStr(x.code, 200) &&
        isStr(x.fingerprint, 200) &&
        isNum(x.expiresAt) &&
        isStr(x.agentCommand, 4096),
    },
    revokeDevice: { spec: { deviceId: isId }, result: (x) => isObj(x) && isId(x.deviceId) && isNum(x.revokedAt) },
    refreshPeopleAdmin: { spec: none, result: (x) => isObj(x) && x.ok === true },
  },
  subscriptions: {
    peopleAdmin: {
      spec: none,
      value: (x) =>
        isObj(x) &&
        isBool(x.canManage) &&
        isArrayOf(x.accounts, isObj) &&
        isArrayOf(x.teams, isObj) &&
        isArrayOf(x.devices, isObj) &&
        (x.source === 'server' || x.source === 'kept'),
    },
  },
};

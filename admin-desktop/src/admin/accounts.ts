/**
 * Accounts: invite, change role or teams, disable, reset a password, end
 * every session at once. An invitation and a reset hand out a one-time
 * password that is returned to the caller once and kept nowhere (the server
 * stores only its hash); the person changes it at their first sign-in.
 *
 * Inviting a member who has no key ring yet also does what `employee add`
 * does (addEmployee): key ring, signed directory entry, inbox copy. That
 * ring's passphrase is generated here too and, like the recovery key, shown
 * once.
 */
import { AdminError } from './admin-error.js';
import { checkId } from './directory-docs.js';
import { addEmployee, type Deps } from './people-setup.js';
import type { PublicUser } from './ports.js';

export const ACCOUNT_ROLES = ['super-admin', 'admin', 'manager', 'hr', 'member'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

// no 0/o, 1/l/i: read aloud or typed from a screen without mistakes
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Five groups of five (about 123 bits): a temporary password or key ring passphrase. */
export function oneTimeSecret(groups = 5): string {
  return Array.from({ length: groups }, () =>
    Array.from({ length: 5 }, () => ALPHABET[randomIndex(ALPHABET.length)]).join(''),
  ).join('-');
}

/** Uniform in [0, n), n <= 256, from Web Crypto (Node and browsers alike): bytes past the last whole multiple of n are drawn again, so no letter is likelier. */
function randomIndex(n: number): number {
  const limit = 256 - (256 % n);
  const byte = new Uint8Array(1);
  do globalThis.crypto.getRandomValues(byte);
  while (byte[0]! >= limit);
  return byte[0]! % n;
}

export function checkRole(role: unknown): AccountRole {
  if (!(ACCOUNT_ROLES as readonly unknown[]).includes(role))
    throw new AdminError('bad-input', `role must be one of ${ACCOUNT_ROLES.join(', ')}`);
  return role as AccountRole;
}

export interface InviteInput {
  userId: string;
  role: AccountRole;
  /** Managers: the teams they manage. Members: their team. */
  teams?: string[];
  /** Members: the employee they are (created with a key ring when the directory has none). */
  employeeId?: string;
  displayName?: string;
  orgPassphrase: string;
}

export interface InviteResult {
  userId: string;
  role: AccountRole;
  temporaryPassword: string;
  /** Set when this invitation created the employee's key ring: shown once, never kept. */
  employee?: { employeeId: string; keyringPassphrase: string; recoveryKey: string; inboxCopy: boolean };
}

export async function inviteAccount(deps: Deps, input: InviteInput): Promise<InviteResult> {
  const userId = checkId('account', input.userId);
  const role = checkRole(input.role);
  const teams = (input.teams ?? []).map((t) => checkId('team', t));
  if (role === 'member' && !input.employeeId)
    throw new AdminError('bad-input', 'a member account belongs to an employee: give the employee id');
  if (role === 'member' && teams.length > 1) throw new AdminError('bad-input', 'an employee belongs to one team');
  const employeeId = input.employeeId ? checkId('employee', input.employeeId) : null;
  // refused before any key ring is made, so a taken id leaves nothing behind
  if ((await deps.client.users()).some((u) => u.id === userId))
    throw new AdminError('exists', `an account ${userId} exists already`);
  const temporaryPassword = oneTimeSecret();
  if (role === 'member' && employeeId && !(await deps.custody.exists('employee', employeeId))) {
    const keyringPassphrase = oneTimeSecret();
    const r = await addEmployee(deps, {
      employeeId,
      teamId: teams[0] ?? null,
      orgPassphrase: input.orgPassphrase,
      employeePassphrase: keyringPassphrase,
      ...(input.displayName ? { displayName: input.displayName } : {}),
      user: { id: userId, password: temporaryPassword },
    });
    return {
      userId,
      role,
      temporaryPassword,
      employee: { employeeId, keyringPassphrase, recoveryKey: r.recoveryKey, inboxCopy: r.inboxCopy },
    };
  }
  await deps.client.createUser({ id: userId, password: temporaryPassword, role, teams, employeeId });
  return { userId, role, temporaryPassword };
}

/** A new one-time password; the server ends every session of the account with it. */
export async function resetPassword(
  deps: Pick<Deps, 'client'>,
  userId: string,
): Promise<{ userId: string; temporaryPassword: string }> {
  const id = checkId('account', userId);
  const temporaryPassword = oneTimeSecret();
  await deps.client.setPassword(id, temporaryPassword);
  return { userId: id, temporaryPassword };
}

/** Disabling also ends the account's sessions (server side, at once). */
export function setDisabled(deps: Pick<Deps, 'client'>, userId: string, disabled: boolean): Promise<PublicUser> {
  return deps.client.updateUser(checkId('account', userId), { disabled });
}

export function setRole(
  deps: Pick<Deps, 'client'>,
  userId: string,
  role: AccountRole,
  teams?: string[],
): Promise<PublicUser> {
  return deps.client.updateUser(checkId('account', userId), {
    role: checkRole(role),
    ...(teams ? { teams: teams.map((t) => checkId('team', t)) } : {}),
  });
}

export function revokeSessions(deps: Pick<Deps, 'client'>, userId: string): Promise<{ ended: number }> {
  return deps.client.revokeSessions(checkId('account', userId));
}

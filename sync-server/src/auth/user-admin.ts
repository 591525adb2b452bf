/**
 * Creating and changing accounts. Every change is checked against
 * `mayManageUser` and audited with a before/after diff (the password hash is
 * redacted by the diff). Disabling an account or changing its password ends
 * its sessions at once.
 */
import { ROLES, type PublicUser } from '@sealtime/shared';
import type { AuditSink } from '../audit/audit-log.js';
import { isValidEntityId } from '../provisioning/db-names.js';
import { mayManageUser } from './access-rules.js';
import { actorName, actorOrigin, systemActor, type Actor } from './actor.js';
import { AuthError } from './auth-errors.js';
import type { Clock } from './clock.js';
import { passwordProblem, type PasswordHasher } from './password.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import type { Role } from './principal.js';
import { LOGIN_ATTEMPTS_PER_WINDOW, LOGIN_WINDOW_MS, type SessionService } from './sessions.js';
import type { SystemStore, UserRecord } from './system-store.js';

export { ROLES } from '@sealtime/shared';
/** An account as shown to people: everything except the password hash and TOTP secrets (a wire contract). */
export type { PublicUser } from '@sealtime/shared';

export interface NewUser {
  id: string;
  role: Role;
  password: string;
  teams?: string[];
  employeeId?: string | null;
}

export interface UserPatch {
  role?: Role;
  teams?: string[];
  employeeId?: string | null;
  disabled?: boolean;
}

export function publicUser(u: UserRecord): PublicUser {
  const { passwordHash: _omit, totp, totpPending: _pending, ...rest } = u;
  return { ...rest, totpEnabled: !!totp };
}

function checkRole(role: unknown): Role {
  if (!ROLES.includes(role as Role)) throw new AuthError('invalid-input', `role must be one of ${ROLES.join(', ')}`);
  return role as Role;
}

function checkTeams(teams: unknown): string[] {
  if (!Array.isArray(teams) || teams.length > 200 || !teams.every((t) => typeof t === 'string' && isValidEntityId(t))) {
    throw new AuthError('invalid-input', 'teams must be a list of team ids (lowercase letters, digits, dashes)');
  }
  return [...new Set(teams as string[])];
}

function checkEmployee(id: unknown): string | null {
  if (id === null || id === undefined) return null;
  if (typeof id !== 'string' || !isValidEntityId(id))
    throw new AuthError('invalid-input', 'employeeId must be an id (lowercase letters, digits, dashes)');
  return id;
}

export class UserAdmin {
  /** Current-password guesses per account: a stolen session must not become a password oracle. */
  private readonly passwordGate: SlidingWindowLimiter;

  constructor(
    private readonly store: SystemStore,
    private readonly sessions: SessionService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditSink,
    private readonly clock: Clock,
  ) {
    this.passwordGate = new SlidingWindowLimiter({
      limit: LOGIN_ATTEMPTS_PER_WINDOW,
      windowMs: LOGIN_WINDOW_MS,
      clock,
    });
  }

  async createUser(actor: Actor, input: NewUser): Promise<PublicUser> {
    if (typeof input?.id !== 'string' || !isValidEntityId(input.id)) {
      throw new AuthError('invalid-input', 'account id must be 1–63 lowercase letters, digits or dashes');
    }
    const role = checkRole(input.role);
    this.mayTouch(actor, role);
    const teams = checkTeams(input.teams ?? []);
    const employeeId = checkEmployee(input.employeeId);
    const weak = passwordProblem(input.password, input.id);
    if (weak) throw new AuthError('weak-password', weak);
    const now = this.clock.now();
    const user: UserRecord = {
      id: input.id,
      role,
      teams,
      employeeId,
      passwordHash: await this.hasher.hash(input.password),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.createUser(user);
    this.audit.record({
      actor: actorName(actor),
      action: 'user.create',
      target: `user:${user.id}`,
      after: user,
      ...actorOrigin(actor),
    });
    return publicUser(user);
  }

  async updateUser(actor: Actor, id: string, patch: UserPatch): Promise<PublicUser> {
    const current = await this.existing(id);
    this.mayTouch(actor, patch.role === undefined ? current.role : checkRole(patch.role), current.role);
    if (
      actor.kind === 'person' &&
      actor.principal.userId === id &&
      (patch.role !== undefined || patch.disabled === true)
    ) {
      throw new AuthError('forbidden', 'you cannot change your own role or disable yourself');
    }
    const teams = patch.teams === undefined ? undefined : checkTeams(patch.teams);
    const employeeId = patch.employeeId === undefined ? undefined : checkEmployee(patch.employeeId);
    if (patch.disabled !== undefined && typeof patch.disabled !== 'boolean')
      throw new AuthError('invalid-input', 'disabled must be true or false');
    let before: UserRecord = current;
    let changed = false;
    const after = await this.store.updateUser(id, (u) => {
      before = u;
      const next: UserRecord = {
        ...u,
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(teams !== undefined ? { teams } : {}),
        ...(employeeId !== undefined ? { employeeId } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      };
      changed = JSON.stringify(next) !== JSON.stringify(u);
      return changed ? { ...next, updatedAt: this.clock.now() } : null;
    });
    if (changed) {
      this.audit.record({
        actor: actorName(actor),
        action: 'user.update',
        target: `user:${id}`,
        before,
        after,
        ...actorOrigin(actor),
      });
      if (after.disabled && !before.disabled) await this.sessions.revokeAllForUser(systemActor('account-disabled'), id);
    }
    return publicUser(after);
  }

  /**
   * Sets a new password. People changing their own must give the current one;
   * account managers resetting someone else's need not. Ends all sessions.
   */
  async setPassword(actor: Actor, id: string, newPassword: string, currentPassword?: string): Promise<void> {
    const current = await this.existing(id);
    const self = actor.kind === 'person' && actor.principal.userId === id;
    if (self) {
      const fail = (reason: string, extra: Record<string, unknown> = {}) =>
        this.audit.record({
          actor: actorName(actor),
          action: 'user.set-password.failure',
          target: `user:${id}`,
          details: { reason, ...extra },
          ...actorOrigin(actor),
        });
      // counted before any hashing, as logins are
      const gate = this.passwordGate.attempt(id);
      if (!gate.allowed) {
        fail('rate-limited', { retryAfterMs: gate.retryAfterMs });
        throw new AuthError(
          'rate-limited',
          `too many password change attempts; try again in ${Math.ceil(gate.retryAfterMs / 1000)} s`,
          gate.retryAfterMs,
        );
      }
      if (typeof currentPassword !== 'string' || !(await this.hasher.verify(currentPassword, current.passwordHash))) {
        fail('wrong-current-password');
        throw new AuthError('invalid-credentials', 'the current password is wrong');
      }
    } else {
      this.mayTouch(actor, current.role, current.role);
    }
    const weak = passwordProblem(newPassword, id);
    if (weak) throw new AuthError('weak-password', weak);
    const passwordHash = await this.hasher.hash(newPassword);
    const before = current;
    const after = await this.store.updateUser(id, (u) => ({ ...u, passwordHash, updatedAt: this.clock.now() }));
    this.audit.record({
      actor: actorName(actor),
      action: 'user.set-password',
      target: `user:${id}`,
      before,
      after,
      ...actorOrigin(actor),
    });
    await this.sessions.revokeAllForUser(systemActor('password-changed'), id);
  }

  async getUser(id: string): Promise<PublicUser | null> {
    const u = isValidEntityId(id) ? await this.store.getUser(id) : null;
    return u ? publicUser(u) : null;
  }

  async listUsers(): Promise<PublicUser[]> {
    return (await this.store.listUsers()).map(publicUser);
  }

  private async existing(id: string): Promise<UserRecord> {
    const u = typeof id === 'string' && isValidEntityId(id) ? await this.store.getUser(id) : null;
    if (!u) throw new AuthError('not-found', 'no such account');
    return u;
  }

  private mayTouch(actor: Actor, targetRole: Role, currentRole?: Role): void {
    if (actor.kind === 'system') return;
    if (!mayManageUser(actor.principal, targetRole, currentRole)) {
      throw new AuthError(
        'forbidden',
        `a ${actor.principal.role} may not manage ${currentRole ?? targetRole} accounts`,
      );
    }
  }
}

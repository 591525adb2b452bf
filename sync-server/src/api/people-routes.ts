/** People: login, logout, who am I, accounts and sessions (api-contract.md "People"). */
import type { Me } from '@sealtime/shared';
import { mayRevokeSessionsOf } from '../auth/access-rules.js';
import { personActor, type Actor } from '../auth/actor.js';
import { AuthError } from '../auth/auth-errors.js';
import type { PersonPrincipal, Role } from '../auth/principal.js';
import { sessionState } from '../auth/session-rules.js';
import type { SessionRecord } from '../auth/system-store.js';
import { isValidEntityId } from '../provisioning/db-names.js';
import { ok, type ApiRequest, type RouteDef } from './api-types.js';
import { onlyFields, optionalString, requiredString } from './input.js';

const isAdmin = (p: PersonPrincipal): boolean => p.role === 'admin' || p.role === 'super-admin';

/** The person behind a 'person' route (the router guarantees one). */
export function person(r: ApiRequest): PersonPrincipal {
  if (r.principal?.type !== 'person')
    throw new AuthError('forbidden', "this needs a person's session, not a device credential");
  return r.principal;
}

export function actorOf(r: ApiRequest): Actor {
  return personActor(person(r), r.ip, r.userAgent);
}

function bearerToken(r: ApiRequest): string | null {
  const h = r.req.headers.authorization;
  return typeof h === 'string' && /^bearer /i.test(h) ? h.slice(7).trim() : null;
}

function publicSession(s: SessionRecord, state: string): Record<string, unknown> {
  return {
    sessionId: s.id,
    userId: s.userId,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    revokedAt: s.revokedAt,
    ip: s.ip,
    userAgent: s.userAgent,
    state,
  };
}

function optionalList(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new AuthError('invalid-input', `${key} must be a list`);
  return v as string[]; // element syntax is checked by UserAdmin
}

export const peopleRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: 'login',
    auth: 'anonymous',
    async handle(r, d) {
      const b = await r.body();
      onlyFields(b, ['userId', 'password', 'totp', 'recoveryCode']);
      try {
        const second = {
          ...(b.totp !== undefined ? { totp: b.totp } : {}),
          ...(b.recoveryCode !== undefined ? { recoveryCode: b.recoveryCode } : {}),
        };
        return ok(await d.services.sessions.login(b.userId, b.password, r.ip, r.userAgent, second));
      } catch (e) {
        // a flood that ignores Retry-After waits for its refusals (login-tarpit.ts)
        if (e instanceof AuthError && e.code === 'rate-limited') await d.services.tarpit.hold(r.ip, e.retryAfterMs);
        throw e;
      }
    },
  },
  {
    method: 'POST',
    path: 'logout',
    auth: 'person',
    enrolment: true,
    async handle(r, d) {
      person(r);
      await d.services.sessions.logout(bearerToken(r), r.ip, r.userAgent);
      return ok({ ok: true });
    },
  },
  {
    method: 'GET',
    path: 'me',
    auth: 'any',
    enrolment: true,
    async handle(r) {
      const p = r.principal!;
      const me: Me =
        p.type === 'person'
          ? {
              type: 'person',
              userId: p.userId,
              role: p.role,
              teams: [...p.teams],
              employeeId: p.employeeId,
              scope: p.totpEnrolmentOnly ? 'totp-enrolment' : 'full',
            }
          : { type: 'device', deviceId: p.deviceId, employeeId: p.employeeId, teamId: p.teamId };
      return ok(me);
    },
  },
  {
    method: 'GET',
    path: 'users',
    auth: 'person',
    async handle(r, d) {
      if (!isAdmin(person(r))) throw new AuthError('forbidden', 'only admins list accounts');
      return ok({ users: await d.services.users.listUsers() });
    },
  },
  {
    method: 'POST',
    path: 'users',
    auth: 'person',
    async handle(r, d) {
      const actor = actorOf(r);
      const b = await r.body();
      onlyFields(b, ['id', 'password', 'role', 'teams', 'employeeId']);
      const teams = optionalList(b, 'teams');
      const user = await d.services.users.createUser(actor, {
        id: requiredString(b, 'id', 64),
        password: requiredString(b, 'password'),
        role: b.role as Role, // checked by UserAdmin
        ...(teams ? { teams } : {}),
        employeeId: (b.employeeId ?? null) as string | null,
      });
      return ok(user, 201);
    },
  },
  {
    method: 'PATCH',
    path: 'users/:userId',
    auth: 'person',
    async handle(r, d) {
      const actor = actorOf(r);
      const b = await r.body();
      onlyFields(b, ['role', 'teams', 'disabled', 'employeeId']);
      if (Object.keys(b).length === 0)
        throw new AuthError('invalid-input', 'nothing to change: give role, teams, disabled or employeeId');
      const teams = optionalList(b, 'teams');
      return ok(
        await d.services.users.updateUser(actor, r.params.userId!, {
          ...(b.role !== undefined ? { role: b.role as Role } : {}),
          ...(teams ? { teams } : {}),
          ...(b.disabled !== undefined ? { disabled: b.disabled as boolean } : {}),
          ...(b.employeeId !== undefined ? { employeeId: b.employeeId as string | null } : {}),
        }),
      );
    },
  },
  {
    method: 'POST',
    path: 'users/:userId/password',
    auth: 'person',
    async handle(r, d) {
      const actor = actorOf(r);
      const b = await r.body();
      onlyFields(b, ['password', 'currentPassword']);
      const current = optionalString(b, 'currentPassword', 4096);
      await d.services.users.setPassword(actor, r.params.userId!, requiredString(b, 'password'), current);
      return ok({ ok: true });
    },
  },
  {
    method: 'GET',
    path: 'sessions',
    auth: 'person',
    async handle(r, d) {
      const p = person(r);
      const userId = r.query.get('userId') ?? p.userId;
      if (!isValidEntityId(userId)) throw new AuthError('invalid-input', 'userId must be an account id');
      if (userId !== p.userId) {
        const target = await d.services.store.getUser(userId);
        if (!target) throw new AuthError('not-found', 'no such account');
        if (!mayRevokeSessionsOf(p, userId, target.role))
          throw new AuthError('forbidden', "you may not see that account's sessions");
      }
      const now = d.clock.now();
      const sessions = await d.services.store.sessionsOfUser(userId);
      return ok({
        sessions: sessions
          .sort((a, b) => b.createdAt - a.createdAt)
          .map((s) => publicSession(s, sessionState(s, now, d.services.sessions.limits))),
      });
    },
  },
  {
    // every live session of one account at once (the admin app's "revoke sessions"); audited as one entry
    method: 'DELETE',
    path: 'users/:userId/sessions',
    auth: 'person',
    async handle(r, d) {
      const actor = actorOf(r);
      if (!(await d.services.store.getUser(r.params.userId!))) throw new AuthError('not-found', 'no such account');
      return ok({ ended: await d.services.sessions.revokeAllForUser(actor, r.params.userId!) });
    },
  },
  {
    method: 'DELETE',
    path: 'sessions/:sessionId',
    auth: 'person',
    async handle(r, d) {
      await d.services.sessions.revokeSession(actorOf(r), r.params.sessionId!);
      return ok({ ok: true });
    },
  },
];

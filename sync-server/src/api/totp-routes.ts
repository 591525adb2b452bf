/**
 * TOTP second factor over the API (auth/totp.ts; README "Second factor"):
 *
 *   GET    totp                 status of the own account
 *   POST   totp/setup           → { secret, uri }        shown once
 *   POST   totp/enable {code}   → { recoveryCodes }      shown once; an enrolment session becomes full
 *   POST   totp/disable {code | recoveryCode}            the own account
 *   DELETE users/:userId/totp   an account manager resets someone's (lost phone)
 *
 * The first four also work in an enrolment session (policy: TOTP required).
 */
import { AuthError } from '../auth/auth-errors.js';
import type { TotpService } from '../auth/totp.js';
import { actorOf, person } from './people-routes.js';
import { ok, type ApiDeps, type RouteDef } from './api-types.js';
import { onlyFields } from './input.js';

function totpOf(d: ApiDeps): TotpService {
  if (!d.services.totp) throw new AuthError('not-found', 'this server has no second factor configured');
  return d.services.totp;
}

export const totpRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: 'totp',
    auth: 'person',
    enrolment: true,
    async handle(r, d) {
      const user = await d.services.store.getUser(person(r).userId);
      if (!user) throw new AuthError('not-found', 'no such account');
      return ok(totpOf(d).status(user));
    },
  },
  {
    method: 'POST',
    path: 'totp/setup',
    auth: 'person',
    enrolment: true,
    async handle(r, d) {
      onlyFields(await r.body(), []);
      return ok(await totpOf(d).setup(actorOf(r)));
    },
  },
  {
    method: 'POST',
    path: 'totp/enable',
    auth: 'person',
    enrolment: true,
    async handle(r, d) {
      const b = await r.body();
      onlyFields(b, ['code']);
      const { recoveryCodes } = await totpOf(d).enable(actorOf(r), b.code, person(r).sessionId);
      return ok({ enabled: true, recoveryCodes, scope: 'full' });
    },
  },
  {
    method: 'POST',
    path: 'totp/disable',
    auth: 'person',
    async handle(r, d) {
      const b = await r.body();
      onlyFields(b, ['code', 'recoveryCode']);
      const p = person(r);
      await totpOf(d).disable(actorOf(r), p.userId, {
        ...(b.code !== undefined ? { totp: b.code } : {}),
        ...(b.recoveryCode !== undefined ? { recoveryCode: b.recoveryCode } : {}),
      });
      return ok({ enabled: false });
    },
  },
  {
    method: 'DELETE',
    path: 'users/:userId/totp',
    auth: 'person',
    async handle(r, d) {
      await totpOf(d).disable(actorOf(r), r.params.userId!, {});
      return ok({ enabled: false });
    },
  },
];

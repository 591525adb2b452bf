/** Operations: the audit trail and the server status (admins only). */
import type { AuditEntry } from '../audit/audit-log.js';
import { mayManageDevices } from '../auth/access-rules.js';
import { AuthError } from '../auth/auth-errors.js';
import { dbNames } from '../provisioning/db-names.js';
import { ok, type ApiRequest, type RouteDef } from './api-types.js';
import { intQuery } from './input.js';
import { person } from './people-routes.js';
import { collectStatus } from './server-status.js';

function admin(r: ApiRequest, what: string): void {
  if (!mayManageDevices(person(r))) throw new AuthError('forbidden', `only admins read ${what}`);
}

export const opsRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: 'audit',
    auth: 'person',
    async handle(r, d) {
      admin(r, 'the audit trail');
      const since = intQuery(r.query, 'since', 0, 0, 1e15 - 1);
      const limit = intQuery(r.query, 'limit', 100, 1, 1000);
      // what this process recorded so far is readable at once; a slow audit database only delays this read
      await d.audit.flush(1_000).catch(() => undefined);
      // ids begin with the zero-padded time, so a key range is a time range (design docs sort after digits)
      const res = await d.engine.nano.use<AuditEntry>(dbNames.audit).list({
        startkey: String(since).padStart(15, '0'),
        endkey: '999999999999999\ufff0',
        include_docs: true,
        limit,
      });
      return ok({ entries: res.rows.flatMap((row) => (row.doc ? [row.doc as unknown as AuditEntry] : [])) });
    },
  },
  {
    method: 'GET',
    path: 'status',
    auth: 'person',
    async handle(r, d) {
      admin(r, 'the server status');
      return ok(await collectStatus(d));
    },
  },
];

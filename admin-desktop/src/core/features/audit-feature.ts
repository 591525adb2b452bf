/** The audit log screen (admins): the server's trail, filtered and paged in the core (audit-query.ts). */
import { zonedTimeToEpoch } from '@sealtime/shared';
import type { AuditPage } from '../../api/admin-api.js';
import type { AuditRequests, AuditSubscriptions } from '../../api/contracts/audit-contract.js';
import { isAdminError } from '../../admin/admin-error.js';
import { apiError } from '../core-errors.js';
import { cursorTime, scanAudit, toAuditRow, type AuditFilter } from '../audit-query.js';
import type { Feature } from './feature.js';
import { addDays } from './review-feature.js';

export const auditFeature: Feature<keyof AuditRequests, keyof AuditSubscriptions> = {
  requests: {
    auditLog: async (q, ctx) => {
      const u = ctx.need();
      if (u.keys.scope.keyRole !== 'organisation')
        throw apiError('forbidden', `only admins read the audit log, not a ${u.keys.scope.role} account`);
      if (q.from && q.to && q.from > q.to)
        throw apiError('invalid-input', `the range starts (${q.from}) after it ends (${q.to})`);
      if (q.cursor !== undefined && cursorTime(q.cursor) === null)
        throw apiError('invalid-input', 'that page cursor is not one this log gave out');
      const filter: AuditFilter = {
        ...(q.actor ? { actor: q.actor.trim() } : {}),
        ...(q.action ? { action: q.action.trim() } : {}),
        ...(q.target ? { target: q.target.trim() } : {}),
        // whole local days of the reviewer: from 00:00 of `from` to the instant before 00:00 after `to`
        ...(q.from ? { fromMs: zonedTimeToEpoch(q.from, '00:00', ctx.timeZone) } : {}),
        ...(q.to ? { toMs: zonedTimeToEpoch(addDays(q.to, 1), '00:00', ctx.timeZone) - 1 } : {}),
      };
      try {
        const r = await scanAudit({
          filter,
          limit: q.limit ?? 50,
          ...(q.cursor ? { cursor: q.cursor } : {}),
          readPage: async (since, limit) => (await u.client.audit({ since, limit })).entries,
        });
        return {
          entries: r.entries.map(toAuditRow),
          next: r.next,
          scanned: r.scanned,
          timeZone: ctx.timeZone,
        } satisfies AuditPage;
      } catch (err) {
        if (isAdminError(err, 'unreachable'))
          throw apiError(
            'server-unreachable',
            `${err.message}. The audit log is kept on the server: try again when it answers.`,
          );
        throw err;
      }
    },
  },
  subscriptions: {},
};

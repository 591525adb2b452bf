/**
 * Integrity alerts for admins (GET /_sealtime/api/alerts): the gateway's
 * refusals of forged, chain-breaking or forked sealed writes, and stored
 * records that no longer verify. They live in the audit trail as entries with
 * action `integrity.alert` (integrity-gate.ts), so they are as durable and
 * append-only as the audit itself; this reads them back in time order.
 */
import type { IntegrityAlert } from '@sealtime/shared';
import type { AuditEntry } from '../audit/audit-log.js';
import { mayManageDevices } from '../auth/access-rules.js';
import { AuthError } from '../auth/auth-errors.js';
import { INTEGRITY_ALERT_ACTION } from '../gateway/integrity-gate.js';
import { dbNames } from '../provisioning/db-names.js';
import { ok, type RouteDef } from './api-types.js';
import { intQuery } from './input.js';
import { person } from './people-routes.js';

/** Audit entries read per page while looking for alerts among them. */
const PAGE = 1000;
/** At most this many audit entries are scanned per request; `next` says where to go on. */
const SCAN_BUDGET = 20_000;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function toAlert(e: AuditEntry): IntegrityAlert {
  const d = e.details ?? {};
  return {
    id: e._id,
    at: e.at,
    atIso: e.atIso,
    code: text(d.code) ?? 'unknown',
    deviceId: text(d.deviceId),
    employeeId: text(d.employeeId),
    db: text(d.db),
    seq: typeof d.seq === 'number' ? d.seq : null,
    reason: text(d.reason) ?? '',
    outcome: text(d.outcome),
    ip: e.ip,
  };
}

export const alertRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: 'alerts',
    auth: 'person',
    async handle(r, d) {
      if (!mayManageDevices(person(r))) throw new AuthError('forbidden', 'only admins read integrity alerts');
      const since = intQuery(r.query, 'since', 0, 0, 1e15 - 1);
      const limit = intQuery(r.query, 'limit', 100, 1, 1000);
      await d.audit.flush(1_000).catch(() => undefined);
      const db = d.engine.nano.use<AuditEntry>(dbNames.audit);
      const alerts: IntegrityAlert[] = [];
      // ids begin with the zero-padded time: a key range is a time range (design docs sort after digits)
      let startkey = String(since).padStart(15, '0');
      let scanned = 0;
      let next: string | null = null;
      for (;;) {
        const page = await db.list({ startkey, endkey: '999999999999999\ufff0', include_docs: true, limit: PAGE + 1 });
        const rows = page.rows.slice(0, PAGE);
        for (const row of rows) {
          const e = row.doc as unknown as AuditEntry | undefined;
          if (e?.action === INTEGRITY_ALERT_ACTION) alerts.push(toAlert(e));
          if (alerts.length >= limit) break;
        }
        scanned += rows.length;
        const more = page.rows.length > PAGE;
        if (alerts.length >= limit || !more) break;
        startkey = page.rows[PAGE]!.id;
        if (scanned >= SCAN_BUDGET) {
          next = startkey;
          break;
        }
      }
      // `next`: the scan stopped early; ask again with since = the time it names
      return ok({ alerts, ...(next ? { next: Number(next.slice(0, 15)) } : {}) });
    },
  },
];

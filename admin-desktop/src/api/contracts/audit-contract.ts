/**
 * The server's audit trail (admins): who did what to what, when, filtered by
 * actor, action, target and a date range, a page at a time, oldest first.
 * No Node, no Electron: the renderer imports this.
 */
import { isDate, isNum, isObj, isStr, type Contract } from './contract-kit.js';

export interface AuditQuery {
  /** Exact actor, e.g. 'user:root', 'device:d-1', 'anonymous'. */
  actor?: string;
  /** An action or its prefix: 'inbox' matches 'inbox.write' and 'inbox.delete'. */
  action?: string;
  /** Part of the target, e.g. 'policy:team:blue' or 'user:bob'. */
  target?: string;
  /** Local dates (YYYY-MM-DD, the reviewer's time zone), both included. */
  from?: string;
  to?: string;
  /** Where the previous page ended (its `next`). */
  cursor?: string;
  /** Entries per page, 1..200 (default 50). */
  limit?: number;
}

export interface AuditRow {
  id: string;
  at: number;
  actor: string;
  action: string;
  target: string;
  ip: string | null;
  userAgent: string | null;
  /** Changed fields, values as short JSON text (secrets were redacted by the server). */
  diff: Array<{ path: string; from?: string; to?: string }>;
  details: Record<string, string>;
}

export interface AuditPage {
  entries: AuditRow[];
  /** Pass as `cursor` for the next page; null: nothing more in the range. */
  next: string | null;
  /** Entries read on the server to fill this page (filters apply in the core). */
  scanned: number;
  /** The zone `from`/`to` were read in and times are shown in. */
  timeZone: string;
}

export interface AuditRequests {
  auditLog: { params: AuditQuery; result: AuditPage };
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- read on request, page by page
export interface AuditSubscriptions {}

const text = (v: unknown) => isStr(v, 200);

export const AUDIT_CONTRACT: Contract<AuditRequests, AuditSubscriptions> = {
  requests: {
    auditLog: {
      spec: {
        actor: text,
        action: text,
        target: text,
        from: isDate,
        to: isDate,
        cursor: (v) => isStr(v, 100),
        limit: (v) => isNum(v) && Number.isInteger(v) && v >= 1 && v <= 200,
      },
      optional: ['actor', 'action', 'target', 'from', 'to', 'cursor', 'limit'],
      result: (x) =>
        isObj(x) &&
        Array.isArray(x.entries) &&
        (x.next === null || typeof x.next === 'string') &&
        typeof x.timeZone === 'string',
    },
  },
  subscriptions: {},
};

/**
 * Filtering and paging the server's audit trail. The server hands entries out
 * oldest first from a time (`since`, inclusive) and nothing else, so the core
 * reads pages forward and keeps what matches:
 *
 *   ids: 000001764979200000-000007-ab12…  (15-digit ms, sequence, random)
 *   cursor = the id of the last entry looked at; the next read starts at its
 *   millisecond and skips ids ≤ cursor, so entries sharing a millisecond with
 *   a page edge are neither repeated nor lost.
 *
 * When a read holds only entries already seen (the cursor sits deep inside
 * one busy millisecond), the next read asks for more; only a millisecond
 * with more entries than the server's largest page is stepped over.
 *
 * A page stops at `limit` matches, at the end of the range, or after
 * `maxScan` entries (a rare filter over a long range): then `next` says where
 * to go on. Pure apart from the page reader it is given.
 */
import type { AuditRow } from '../api/admin-api.js';
import type { AuditEntryWire } from '../admin/node/server-client.js';

export interface AuditFilter {
  actor?: string;
  /** An action or its dotted prefix. */
  action?: string;
  /** Part of the target, any case. */
  target?: string;
  fromMs?: number;
  /** Inclusive. */
  toMs?: number;
}

export interface AuditScan {
  filter: AuditFilter;
  cursor?: string;
  limit: number;
  /** Reads up to `limit` entries from `since` (ms) on, oldest first. */
  readPage(since: number, limit: number): Promise<AuditEntryWire[]>;
  /** Entries per server read; grown up to maxPageSize when a read holds only entries seen before. */
  pageSize?: number;
  /** The server's largest page (GET audit: 1000). */
  maxPageSize?: number;
  maxScan?: number;
}

const CURSOR = /^(\d{15})-[0-9a-z-]{1,80}$/;

/** The millisecond an entry id (or cursor) starts with; null when it is not one. */
export function cursorTime(cursor: string): number | null {
  const m = CURSOR.exec(cursor);
  return m ? Number(m[1]) : null;
}

export function auditMatches(e: AuditEntryWire, f: AuditFilter): boolean {
  if (f.actor !== undefined && e.actor !== f.actor) return false;
  if (f.action !== undefined && e.action !== f.action && !e.action.startsWith(`${f.action}.`)) return false;
  if (f.target !== undefined && !e.target.toLowerCase().includes(f.target.toLowerCase())) return false;
  if (f.fromMs !== undefined && e.at < f.fromMs) return false;
  if (f.toMs !== undefined && e.at > f.toMs) return false;
  return true;
}

export async function scanAudit(
  s: AuditScan,
): Promise<{ entries: AuditEntryWire[]; next: string | null; scanned: number }> {
  const pageSize = s.pageSize ?? 1000;
  const maxPageSize = Math.max(pageSize, s.maxPageSize ?? 1000);
  let want = pageSize;
  const maxScan = s.maxScan ?? 20_000;
  let after = s.cursor ?? '';
  let since = s.cursor !== undefined ? cursorTime(s.cursor)! : (s.filter.fromMs ?? 0);
  const out: AuditEntryWire[] = [];
  let scanned = 0;
  for (;;) {
    const page = await s.readPage(since, want);
    let moved = false;
    for (const e of page) {
      if (e._id <= after) continue; // read before, at the page edge
      moved = true;
      after = e._id;
      if (s.filter.toMs !== undefined && e.at > s.filter.toMs) return { entries: out, next: null, scanned };
      scanned++;
      if (auditMatches(e, s.filter)) out.push(e);
      if (out.length >= s.limit || scanned >= maxScan) return { entries: out, next: e._id, scanned };
    }
    if (page.length < want) return { entries: out, next: null, scanned };
    if (moved) {
      since = cursorTime(after) ?? since;
      want = pageSize;
    } else if (want < maxPageSize) {
      want = Math.min(want * 2, maxPageSize); // the cursor sits deep in one millisecond: read further into it
    } else {
      // more entries in one millisecond than the server hands out at once: step past it rather than loop
      since += 1;
      want = pageSize;
    }
  }
}

const short = (v: unknown): string => {
  const t = JSON.stringify(v) ?? 'undefined';
  return t.length > 300 ? `${t.slice(0, 299)}…` : t;
};

/** What the screen shows of an entry: values as short JSON text. */
export function toAuditRow(e: AuditEntryWire): AuditRow {
  return {
    id: e._id,
    at: e.at,
    actor: e.actor,
    action: e.action,
    target: e.target,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    diff: (e.diff ?? []).slice(0, 100).map((d) => ({
      path: d.path,
      ...('from' in d ? { from: short(d.from) } : {}),
      ...('to' in d ? { to: short(d.to) } : {}),
    })),
    details: Object.fromEntries(
      Object.entries(e.details ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : short(v)]),
    ),
  };
}

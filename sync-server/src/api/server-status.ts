/**
 * What `GET /_sealtime/api/status` (and `sealtime-server status`) reports:
 * engine reachability, every Sealtime database with its document count,
 * devices, consolidation lag per employee, and the audit log's counters.
 * Each part fails on its own: an unreachable engine gives `reachable: false`
 * and empty lists, not an error.
 */
import type { AuditStats } from '../audit/audit-log.js';
import type { RouteState } from '../provisioning/consolidator.js';
import { parseDbName } from '../provisioning/db-names.js';
import type { ApiDeps } from './api-types.js';

export interface DatabaseStatus {
  name: string;
  docCount: number | null;
  deletedCount: number | null;
}

export interface EmployeeLag {
  /** Changes of the employee's records not yet copied to reviewers' databases (null: the engine does not say). */
  pending: number | null;
  routes: number;
  state: RouteState;
  lastError: string | null;
}

export interface ServerStatus {
  ok: boolean;
  version: string;
  uptimeMs: number;
  engine: { kind: 'embedded' | 'couchdb'; reachable: boolean; error: string | null };
  databases: DatabaseStatus[];
  /** `stale` is not tracked yet (devices' last contact is not recorded): always null. */
  devices: { total: number; live: number; revoked: number; stale: number | null };
  consolidation: { employees: number; lag: Record<string, EmployeeLag> };
  audit: AuditStats;
}

const STATE_RANK: Record<RouteState, number> = { error: 5, retrying: 4, unknown: 3, pending: 2, running: 1, idle: 0 };

async function databases(d: ApiDeps): Promise<DatabaseStatus[]> {
  const names = (await d.engine.nano.db.list()).filter((n) => n.startsWith('st-')).sort();
  return Promise.all(
    names.map(async (name) => {
      try {
        const info = await d.engine.nano.db.get(name);
        return { name, docCount: info.doc_count, deletedCount: info.doc_del_count };
      } catch {
        return { name, docCount: null, deletedCount: null };
      }
    }),
  );
}

async function consolidation(d: ApiDeps): Promise<ServerStatus['consolidation']> {
  const lag: Record<string, EmployeeLag> = {};
  for (const route of await d.consolidator.status()) {
    const db = parseDbName(route.source);
    if (!db || db.kind !== 'employee-records') continue;
    const cur = (lag[db.employeeId] ??= { pending: 0, routes: 0, state: 'idle', lastError: null });
    cur.routes++;
    cur.pending = cur.pending === null || route.pending === null ? null : cur.pending + route.pending;
    if (STATE_RANK[route.state] > STATE_RANK[cur.state]) cur.state = route.state;
    cur.lastError ??= route.lastError;
  }
  return { employees: Object.keys(lag).length, lag };
}

export async function collectStatus(d: ApiDeps): Promise<ServerStatus> {
  let engineError: string | null = null;
  const dbs = await databases(d).catch((e: unknown) => {
    // never show the engine's credential, whatever the error text holds
    engineError = String((e as Error)?.message ?? e)
      .replace(/\/\/[^@/\s]+@/g, '//***@')
      .slice(0, 200);
    return [] as DatabaseStatus[];
  });
  const devices = await d.services.store.listDevices().catch(() => null);
  const cons = await consolidation(d).catch(() => ({ employees: 0, lag: {} }));
  const revoked = devices?.filter((x) => x.revokedAt !== null).length ?? 0;
  const audit = d.audit.stats();
  return {
    ok: engineError === null && devices !== null && !audit.down,
    version: d.version,
    uptimeMs: d.clock.now() - d.startedAt,
    engine: { kind: d.engine.kind, reachable: engineError === null, error: engineError },
    databases: dbs,
    devices: { total: devices?.length ?? 0, live: (devices?.length ?? 0) - revoked, revoked, stale: null },
    consolidation: cons,
    audit,
  };
}

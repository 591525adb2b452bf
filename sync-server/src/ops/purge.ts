/**
 * Retention: removes every sealed record and blob created before a date
 * (optionally of one employee) from the employees' own databases and from
 * the consolidated ones (org, teams, HR). Really removed, not tombstoned
 * (hard-remove.ts), so nothing of them can be replicated again or read from
 * the disk afterwards. Employee databases go first: once a record is gone
 * from its source, consolidation cannot copy it back into a reviewer's.
 */
import { HOUR_MS } from '@sealtime/shared';
import { actorName } from '../auth/actor.js';
import { isValidEntityId, parseDbName } from '../provisioning/db-names.js';
import { hardRemove, sealtimeDatabases, type DocSelector } from './hard-remove.js';
import type { OpsContext } from './ops-context.js';
import { OpsError } from './ops-errors.js';

export interface PurgeOptions {
  /** Records created strictly before this instant are removed. */
  before: Date;
  employeeId?: string;
}

export interface DatabaseCount {
  db: string;
  examined: number;
  removed: number;
}

export interface PurgeResult {
  before: string;
  employeeId: string | null;
  databases: DatabaseCount[];
  removed: number;
}

const SOURCE_KINDS = new Set(['employee-records', 'employee-blobs']);
const CONSOLIDATED_KINDS = new Set(['org-records', 'team-records', 'hr-attendance']);

/** The databases that hold records, employees' own first; of one employee when given. */
export async function recordDatabases(ctx: OpsContext, employeeId: string | null): Promise<string[]> {
  const all = await sealtimeDatabases(ctx.engine);
  const sources = all.filter((n) => {
    const p = parseDbName(n);
    return (
      p !== null &&
      SOURCE_KINDS.has(p.kind) &&
      (employeeId === null || ('employeeId' in p && p.employeeId === employeeId))
    );
  });
  const consolidated = all.filter((n) => CONSOLIDATED_KINDS.has(parseDbName(n)?.kind ?? ''));
  return [...sources, ...consolidated];
}

export async function purgeBefore(ctx: OpsContext, opts: PurgeOptions): Promise<PurgeResult> {
  const before = opts.before.getTime();
  if (!Number.isFinite(before)) throw new OpsError('invalid-input', 'the purge date is not a valid date');
  const employeeId = opts.employeeId ?? null;
  if (employeeId !== null && !isValidEntityId(employeeId))
    throw new OpsError('invalid-input', `invalid employee id ${JSON.stringify(employeeId)}`);

  // a record shows its hour (envelope v2) or, stored before v2, its exact time; an hour is
  // removed only when all of it lies before the date, so retention never takes newer records
  const select: DocSelector = (doc) => {
    const end =
      typeof doc.hour === 'number'
        ? doc.hour + HOUR_MS
        : typeof doc.createdAt === 'number'
          ? doc.createdAt + 1
          : Number.POSITIVE_INFINITY;
    return end <= before && (employeeId === null || doc.employeeId === employeeId);
  };
  const names = await recordDatabases(ctx, employeeId);
  const progress = ctx.progress;
  progress?.start(names.length, 'purge');
  const databases: DatabaseCount[] = [];
  try {
    for (const db of names) {
      progress?.advance(0, db);
      const count = await hardRemove(ctx.engine, db, select);
      databases.push({ db, ...count });
      progress?.advance(1, db);
    }
  } finally {
    progress?.stop();
  }
  const result: PurgeResult = {
    before: opts.before.toISOString(),
    employeeId,
    databases,
    removed: databases.reduce((n, d) => n + d.removed, 0),
  };
  ctx.audit.record({
    actor: actorName(ctx.actor),
    action: 'retention.purge',
    target: employeeId ? `employee:${employeeId}` : 'records:all',
    details: {
      before: result.before,
      removed: result.removed,
      databases: Object.fromEntries(databases.filter((d) => d.removed > 0).map((d) => [d.db, d.removed])),
    },
  });
  return result;
}

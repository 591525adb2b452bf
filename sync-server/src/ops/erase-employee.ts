/**
 * Erasure of one employee (irreversible). In order:
 *
 *   1. revoke their devices and cancel unused enrollment codes, so nothing new arrives;
 *   2. destroy their key material: every key-ring document of theirs, in any
 *      inbox and in st-org-directory, purged (not tombstoned). Records sealed to
 *      their personal key can no longer be opened by anyone: crypto-shredding,
 *      which reaches copies in backups too;
 *   3. stop their consolidation and delete their three databases;
 *   4. purge their records from the consolidated databases (org, teams, HR),
 *      which reviewers' keys could otherwise still open;
 *   5. audit what was done, with counts.
 *
 * Each step is idempotent, so a run interrupted half-way is finished by
 * running it again. On the embedded engine this needs exclusive access (the
 * server stopped): it opens LevelDB directories directly.
 */
import { actorName } from '../auth/actor.js';
import { systemClock } from '../auth/clock.js';
import { EnrollmentService } from '../auth/enrollment.js';
import { SystemStore } from '../auth/system-store.js';
import { consolidationRoutes } from '../provisioning/consolidation-routes.js';
import { createConsolidator } from '../provisioning/create-consolidator.js';
import { dbNames, isValidEntityId, parseDbName } from '../provisioning/db-names.js';
import { Provisioner } from '../provisioning/provision.js';
import { databaseExists, hardRemove, sealtimeDatabases, type DocSelector } from './hard-remove.js';
import type { OpsContext } from './ops-context.js';
import { OpsError } from './ops-errors.js';
import { recordDatabases } from './purge.js';

export interface EraseResult {
  employeeId: string;
  devicesRevoked: number;
  enrollmentsCancelled: number;
  /** Key-ring documents purged, per database. */
  keyringDocs: Record<string, number>;
  /** Their records purged from consolidated databases, per database. */
  consolidatedDocs: Record<string, number>;
  databasesDeleted: string[];
}

type Json = Record<string, unknown>;
const obj = (x: unknown): Json | null =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : null;

/** A key ring of `employeeId`: an inbox/directory entry wrapping one, or a bare KeyringDoc. */
export function isKeyringOf(employeeId: string): DocSelector {
  return (doc) => {
    const inner = obj(doc.doc);
    if (inner?.type === 'keyring' && inner.ownerId === employeeId) return true;
    return doc.type === 'keyring' && (doc.ownerId === employeeId || doc.target === employeeId);
  };
}

export async function eraseEmployee(ctx: OpsContext, employeeId: string): Promise<EraseResult> {
  if (!isValidEntityId(employeeId))
    throw new OpsError('invalid-input', `invalid employee id ${JSON.stringify(employeeId)}`);
  const { engine } = ctx;
  const own = [
    dbNames.employeeRecords(employeeId),
    dbNames.employeeBlobs(employeeId),
    dbNames.employeeInbox(employeeId),
  ];
  const all = await sealtimeDatabases(engine);
  const consolidator = createConsolidator(engine);
  const provisioner = new Provisioner(engine, consolidator);
  const progress = ctx.progress;
  progress?.start(5, 'erase');
  try {
    const spec = all.includes(dbNames.provisioning)
      ? (await provisioner.employees()).find((e) => e.employeeId === employeeId)
      : undefined;
    const store = all.includes(dbNames.system)
      ? await SystemStore.open(engine.nano.use(dbNames.system), { cacheTtlMs: 0 })
      : null;
    const devices = store ? await store.devicesOfEmployee(employeeId) : [];
    if (!spec && devices.length === 0 && !own.some((n) => all.includes(n))) {
      throw new OpsError('not-found', `no employee ${employeeId}: no databases, no registry entry, no devices`);
    }

    // 1. nothing new arrives
    progress?.advance(0, 'revoking devices');
    let devicesRevoked = 0;
    let enrollmentsCancelled = 0;
    if (store) {
      const enrollment = new EnrollmentService({ store, audit: ctx.audit, clock: systemClock });
      devicesRevoked = await enrollment.revokeDevicesOfEmployee(ctx.actor, employeeId);
      const now = systemClock.now();
      for (const code of await store.enrollmentsOfEmployee(employeeId)) {
        if (code.usedAt !== null || code.expiresAt <= now) continue;
        await store.updateEnrollment(code.codeHash, (c) =>
          c.usedAt === null && c.expiresAt > now ? { ...c, expiresAt: now } : null,
        );
        enrollmentsCancelled++;
      }
    }
    progress?.advance(1, 'destroying key material');

    // 2. crypto-shredding: every copy of their wrapped keys
    const keyringDocs: Record<string, number> = {};
    const keyHolders = all.filter((n) => n === dbNames.orgDirectory || parseDbName(n)?.kind === 'employee-inbox');
    for (const db of keyHolders) {
      const { removed } = await hardRemove(engine, db, isKeyringOf(employeeId));
      if (removed > 0) keyringDocs[db] = removed;
    }
    progress?.advance(1, 'stopping consolidation, deleting databases');

    // 3. the embedded consolidator forgets a route's checkpoints only for a feed it runs
    if (spec && consolidator.kind === 'embedded') await consolidator.apply(employeeId, consolidationRoutes(spec));
    const existed: string[] = [];
    for (const n of own) if (await databaseExists(engine, n)) existed.push(n);
    await provisioner.removeEmployee(employeeId);
    await consolidator.close(); // before the consolidated databases are opened directly
    progress?.advance(1, 'purging consolidated copies');

    // 4. what reviewers could still open
    const consolidatedDocs: Record<string, number> = {};
    for (const db of await recordDatabases(ctx, employeeId)) {
      if (own.includes(db)) continue;
      const { removed } = await hardRemove(engine, db, (doc) => doc.employeeId === employeeId);
      if (removed > 0) consolidatedDocs[db] = removed;
    }
    progress?.advance(1, 'audit');

    const result: EraseResult = {
      employeeId,
      devicesRevoked,
      enrollmentsCancelled,
      keyringDocs,
      consolidatedDocs,
      databasesDeleted: existed,
    };
    ctx.audit.record({
      actor: actorName(ctx.actor),
      action: 'employee.erase',
      target: `employee:${employeeId}`,
      details: {
        devicesRevoked,
        enrollmentsCancelled,
        keyringDocs,
        consolidatedDocs,
        databasesDeleted: existed,
      },
    });
    progress?.advance(1);
    return result;
  } finally {
    await consolidator.close();
    progress?.stop();
  }
}

/**
 * Privacy requests (admins only, every one audited):
 *
 *   POST privacy/records/purge  { employeeId, recordIds, blobIds }
 *        removes chosen sealed records (e.g. screenshots) of one employee for
 *        real: `_purge` semantics on every database that holds a copy (their
 *        own records and blobs, the org, team and HR consolidations). Sealed
 *        documents cannot be deleted (validate_doc_update refuses tombstones),
 *        and a tombstone would keep the body until compaction anyway.
 *   POST privacy/erase  { employeeId, confirm }   (confirm repeats the id)
 *        erases a person while the server runs: devices revoked and unused
 *        enrollment codes cancelled, their accounts disabled (sessions end),
 *        every wrapped copy of their key ring purged from the directory and
 *        their inbox, their consolidation stopped and their three databases
 *        deleted, and their records purged from the consolidated databases.
 *
 * Why the records are purged and not only the keys: a record is sealed to the
 * organisation, team and HR keys as well as the employee's own, so shredding
 * the employee's ring alone leaves the reviewers able to open it.
 */
import { mayManageDevices } from '../auth/access-rules.js';
import { actorName } from '../auth/actor.js';
import { AuthError } from '../auth/auth-errors.js';
import { dbNames, isValidEntityId, parseDbName } from '../provisioning/db-names.js';
import { isKeyringOf } from '../ops/erase-employee.js';
import { databaseExists, sealtimeDatabases, type DocSelector } from '../ops/hard-remove.js';
import { purgeLive } from '../ops/live-purge.js';
import { ok, type ApiDeps, type ApiRequest, type RouteDef } from './api-types.js';
import { onlyFields } from './input.js';
import { actorOf, person } from './people-routes.js';

const MAX_IDS = 1000;
// a record id may be a media one (`<deviceId>:m<seq>`, shared recordDocId); blob ids never are
const DOC_ID = /^[a-z0-9][a-z0-9-]{0,62}:\d{12}$/;
const RECORD_ID = /^[a-z0-9][a-z0-9-]{0,62}:m?\d{12}$/;

function admin(r: ApiRequest): void {
  if (!mayManageDevices(person(r))) throw new AuthError('forbidden', 'only admins handle privacy requests');
}

function employeeOf(b: Record<string, unknown>): string {
  const e = b.employeeId;
  if (typeof e !== 'string' || !isValidEntityId(e))
    throw new AuthError('invalid-input', 'employeeId must be an employee id (lowercase letters, digits, dashes)');
  return e;
}

function idList(b: Record<string, unknown>, key: string, form = DOC_ID): string[] {
  const v = b[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > MAX_IDS || !v.every((x) => typeof x === 'string' && form.test(x))) {
    throw new AuthError(
      'invalid-input',
      `${key} must be a list of at most ${MAX_IDS} document ids (<deviceId>:<12-digit seq>${form === RECORD_ID ? ', m before the seq for a screenshot' : ''})`,
    );
  }
  return [...new Set(v as string[])];
}

/** The consolidated databases (org, teams, HR): every reviewer's copy. */
async function consolidated(d: ApiDeps): Promise<string[]> {
  const kinds = new Set(['org-records', 'team-records', 'hr-attendance']);
  return (await sealtimeDatabases(d.engine)).filter((n) => kinds.has(parseDbName(n)?.kind ?? ''));
}

/** Runs the purges with consolidation paused where the engine needs it (embedded: it closes databases). */
function quiet<T>(d: ApiDeps, run: () => Promise<T>): Promise<T> {
  return d.consolidator.exclusive ? d.consolidator.exclusive(run) : run();
}

async function purgeEach(d: ApiDeps, dbs: readonly string[], select: DocSelector): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const db of dbs) {
    const n = (await purgeLive(d.engine, db, select)).removed;
    if (n > 0) removed[db] = n;
  }
  return removed;
}

export const privacyRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: 'privacy/records/purge',
    auth: 'person',
    async handle(r, d) {
      admin(r);
      const b = await r.body();
      onlyFields(b, ['employeeId', 'recordIds', 'blobIds']);
      const employeeId = employeeOf(b);
      const records = new Set(idList(b, 'recordIds', RECORD_ID));
      const blobs = new Set(idList(b, 'blobIds'));
      if (records.size === 0 && blobs.size === 0)
        throw new AuthError('invalid-input', 'name at least one record or blob');
      // the employee's own databases first: once gone from the source, consolidation cannot copy them back
      const ofEmployee =
        (ids: Set<string>): DocSelector =>
        (doc) =>
          ids.has(doc._id) && doc.employeeId === employeeId;
      const targets = await consolidated(d);
      const removed = await quiet(d, async () => ({
        ...(await purgeEach(d, [dbNames.employeeRecords(employeeId)], ofEmployee(records))),
        ...(await purgeEach(d, [dbNames.employeeBlobs(employeeId)], ofEmployee(blobs))),
        ...(await purgeEach(d, targets, ofEmployee(records))),
      }));
      d.audit.record({
        actor: actorName(actorOf(r)),
        action: 'privacy.records.purge',
        target: `employee:${employeeId}`,
        ip: r.ip,
        userAgent: r.userAgent,
        details: { recordIds: [...records], blobIds: [...blobs], removed },
      });
      return ok({ employeeId, removed });
    },
  },
  {
    method: 'POST',
    path: 'privacy/erase',
    auth: 'person',
    async handle(r, d) {
      admin(r);
      const b = await r.body();
      onlyFields(b, ['employeeId', 'confirm']);
      const employeeId = employeeOf(b);
      if (b.confirm !== employeeId)
        throw new AuthError('invalid-input', 'confirm must repeat the employee id exactly: erasure cannot be undone');
      const actor = actorOf(r);
      const { store, enrollment, users } = d.services;
      const devices = await store.devicesOfEmployee(employeeId);
      const own = [
        dbNames.employeeRecords(employeeId),
        dbNames.employeeBlobs(employeeId),
        dbNames.employeeInbox(employeeId),
      ];
      const existing: string[] = [];
      for (const n of own) if (await databaseExists(d.engine, n)) existing.push(n);
      const accounts = (await users.listUsers()).filter((u) => u.employeeId === employeeId);
      if (devices.length === 0 && existing.length === 0 && accounts.length === 0)
        throw new AuthError('not-found', `no employee ${employeeId} on this server`);

      // 1. nothing new arrives, nobody signs in as them
      const devicesRevoked = await enrollment.revokeDevicesOfEmployee(actor, employeeId);
      const now = d.clock.now();
      let enrollmentsCancelled = 0;
      for (const code of await store.enrollmentsOfEmployee(employeeId)) {
        if (code.usedAt !== null || code.expiresAt <= now) continue;
        await store.updateEnrollment(code.codeHash, (c) =>
          c.usedAt === null && c.expiresAt > now ? { ...c, expiresAt: now } : null,
        );
        enrollmentsCancelled++;
      }
      const accountsDisabled: string[] = [];
      for (const u of accounts) {
        if (!u.disabled) await users.updateUser(actor, u.id, { disabled: true });
        accountsDisabled.push(u.id);
      }
      // 2. every wrapped copy of their keys, and their directory entries (team membership, deletion markers)
      const isKeyring = isKeyringOf(employeeId);
      const keyHolders = [dbNames.orgDirectory, ...existing.filter((n) => n === dbNames.employeeInbox(employeeId))];
      const directoryDocs = await quiet(d, () =>
        purgeEach(
          d,
          keyHolders,
          (doc) =>
            isKeyring(doc) ||
            doc._id === `employee:${employeeId}` ||
            (doc.type === 'record-deletion' && doc.employeeId === employeeId),
        ),
      );
      // 3. their consolidation stops (what it buffered is written first) and their databases go
      await d.provisioner.removeEmployee(employeeId);
      // 4. every reviewer's copy of their records
      const targets = await consolidated(d);
      const consolidatedDocs = await quiet(d, () => purgeEach(d, targets, (doc) => doc.employeeId === employeeId));
      const result = {
        employeeId,
        devicesRevoked,
        enrollmentsCancelled,
        accountsDisabled,
        directoryDocs,
        consolidatedDocs,
        databasesDeleted: existing,
      };
      d.audit.record({
        actor: actorName(actor),
        action: 'privacy.erase',
        target: `employee:${employeeId}`,
        ip: r.ip,
        userAgent: r.userAgent,
        details: { ...result },
      });
      return ok(result);
    },
  },
];

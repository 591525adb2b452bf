/**
 * Puts a generated organisation onto a running Sealtime server through its
 * real API, the way its people would:
 *
 *   1. the super admin logs in; `org init`, `team create`, `employee add` and
 *      `enroll-code` run as the admin CLI runs them (admin-desktop/src/admin),
 *      so key rings are passphrase-wrapped in the directory and the admin app
 *      can later sign in with password + passphrase
 *   2. accounts: an admin, HR, a manager per team, a member per employee
 *   3. each device redeems its code at /_sealtime/api/enroll with its own
 *      signing key (the agent's request) and gets its credential
 *   4. each device's records and images are sealed batch by batch and pushed
 *      with its credential through `_bulk_docs` (images before the records
 *      that name them, in chain order, as the agent's replication does)
 *   5. waits until consolidation has copied everything into st-org-records,
 *      the team databases and st-hr-attendance
 */
import { classesFor, KIND_CLASS, type PwhashParams, type ReviewingRole, type RoutingClass } from '@sealtime/shared';
import {
  initOrganisation,
  createTeam,
  addEmployee,
  issueEnrollmentCode,
  login,
  openContext,
  publicPair,
  type AdminContext,
} from '@sealtime/admin-desktop/node';
import type { OrgPlan, PersonPlan, DevicePlan } from './org-plan.js';
import { ScreenPool } from './screen-images.js';
import { enroll, pushBatch, type DirectWriter } from './device-push.js';
import { recipientDirectory, sealDevice } from './seal-device.js';
import { decideManualTime, publishWork } from './publish-work.js';

export interface StoreTarget {
  /** Gateway URL, e.g. http://127.0.0.1:5984 */
  url: string;
  /** An existing super admin (the server's `init` creates one). */
  superAdmin: { userId: string; password: string };
  /** Where the admin profile (session, pinned org fingerprint) is kept. */
  profileDir: string;
  /** Argon2id cost of the new key rings; default the library's. Tests and benches pass the floor. */
  keyParams?: Pick<PwhashParams, 'opsLimit' | 'memLimitBytes'>;
  /** Devices pushed at once (default 2). */
  concurrency?: number;
  /** Records per `_bulk_docs` (default 500). */
  batchSize?: number;
  /**
   * Writes a device's sealed docs straight into its databases, as the
   * agent's replication would (`new_edits: false`, revisions given),
   * instead of pushing them through the gateway: for benches that store
   * hundreds of thousands of records. Default: through the gateway.
   */
  writeDocs?: DirectWriter;
  /** How long to wait for consolidation (default 10 min). */
  consolidationTimeoutMs?: number;
  onProgress?: (p: StoreProgress) => void;
}

export type { DirectWriter } from './device-push.js';

export interface StoreProgress {
  devicesDone: number;
  devices: number;
  records: number;
  blobs: number;
}

export interface FixtureUser {
  userId: string;
  password: string;
  role: 'admin' | 'hr' | 'manager' | 'member';
  teams: string[];
  employeeId: string | null;
}

export interface StoredDevice {
  employeeId: string;
  key: string;
  deviceId: string;
  credential: string;
  records: number;
  blobs: number;
}

export interface StoredOrg {
  orgId: string;
  fingerprint: string;
  users: FixtureUser[];
  passphrases: { organisation: string; hr: string; teams: Record<string, string>; employees: Record<string, string> };
  devices: StoredDevice[];
  /** Documents each consolidated database holds once consolidation caught up. */
  expected: Record<string, number>;
  totals: { records: number; blobs: number; blobBytes: number; byKind: Record<string, number> };
  /** Wall-clock seconds of each phase. */
  seconds: { setup: number; sealAndPush: number; consolidation: number };
  /** Issue 17's documents: projects and rule sets published, decisions signed on the manual entries. */
  work?: { projects: number; ruleSets: number; manual: { approved: number; rejected: number; pending: number } };
}

export const ORG_PASSPHRASE = 'fixture organisation passphrase';
export const HR_PASSPHRASE = 'fixture hr passphrase here';
export const teamPassphrase = (teamId: string): string => `fixture team ${teamId} passphrase`;
export const employeePassphrase = (employeeId: string): string => `fixture employee ${employeeId} passphrase`;
const password = (seed: number, n: number): string => `fixture pw ${seed}.${n} quartz`;

/** Routing classes each consolidated database receives (the server routes by the class a doc shows, never the kind). */
const classesOf = (role: ReviewingRole): ReadonlySet<RoutingClass> => new Set(classesFor(role));

/** doc_count of a database (0 before consolidation created it); it includes the engine's design documents. */
async function docCount(client: AdminContext['client'], db: string): Promise<number> {
  try {
    return (await client.request<{ doc_count: number }>('GET', `/${db}`)).doc_count;
  } catch {
    return 0; // not created yet: consolidation creates it with the first copy
  }
}

/**
 * Records in a database, exactly: the gateway hides design documents from
 * listings but not from doc_count. The ids are counted page by page in the
 * two key ranges either side of `_design/…`, so no page is ever shortened
 * by a hidden document and a short page really is the last one.
 */
export async function recordCount(client: AdminContext['client'], db: string, pageSize = 10_000): Promise<number> {
  const q = (k: string) => encodeURIComponent(JSON.stringify(k));
  let n = 0;
  for (const range of [`&endkey=${q('_design/')}&inclusive_end=false`, `&startkey=${q('_design0')}`]) {
    let from = range;
    for (;;) {
      const page = await client
        .request<{ rows: Array<{ id: string }> }>('GET', `/${db}/_all_docs?limit=${pageSize}${from}`)
        .catch(() => ({ rows: [] }));
      n += page.rows.length;
      if (page.rows.length < pageSize) break;
      const last = page.rows[page.rows.length - 1]!.id;
      from = `${range.startsWith('&endkey') ? range : ''}&startkey=${q(last)}&skip=1`;
    }
  }
  return n;
}

export async function storeOrg(org: OrgPlan, target: StoreTarget): Promise<StoredOrg> {
  const t0 = performance.now();
  const opts = {
    profileDir: target.profileDir,
    server: target.url,
    ...(target.keyParams ? { params: target.keyParams } : {}),
  };
  await login(opts, target.superAdmin.userId, target.superAdmin.password);
  const ctx = await openContext(opts);
  const init = await initOrganisation(ctx, {
    orgId: org.orgId,
    passphrase: ORG_PASSPHRASE,
    hrPassphrase: HR_PASSPHRASE,
  });

  let n = 0;
  const users: FixtureUser[] = [];
  const addUser = async (u: Omit<FixtureUser, 'password'>, create: boolean) => {
    const user: FixtureUser = { ...u, password: password(org.seed, n++) };
    if (create)
      await ctx.client.createUser({
        id: user.userId,
        password: user.password,
        role: user.role,
        teams: user.teams,
        employeeId: user.employeeId,
      });
    users.push(user);
    return user;
  };
  await addUser({ userId: 'admin', role: 'admin', teams: [], employeeId: null }, true);
  await addUser({ userId: 'hr', role: 'hr', teams: [], employeeId: null }, true);
  const passphrases: StoredOrg['passphrases'] = {
    organisation: ORG_PASSPHRASE,
    hr: HR_PASSPHRASE,
    teams: {},
    employees: {},
  };
  for (const team of org.teams) {
    passphrases.teams[team.teamId] = teamPassphrase(team.teamId);
    await createTeam(ctx, {
      teamId: team.teamId,
      orgPassphrase: ORG_PASSPHRASE,
      teamPassphrase: teamPassphrase(team.teamId),
    });
    await addUser({ userId: team.managerUserId, role: 'manager', teams: [team.teamId], employeeId: null }, true);
  }
  for (const person of org.people) {
    passphrases.employees[person.employeeId] = employeePassphrase(person.employeeId);
    const user = await addUser(
      { userId: person.employeeId, role: 'member', teams: [person.teamId], employeeId: person.employeeId },
      false,
    );
    await addEmployee(ctx, {
      employeeId: person.employeeId,
      teamId: person.teamId,
      orgPassphrase: ORG_PASSPHRASE,
      employeePassphrase: employeePassphrase(person.employeeId),
      user: { id: user.userId, password: user.password },
    });
  }

  // the recipients every device of a person seals to: the rings' active public keys
  const { org: orgRing, unlocked: orgUnlocked } = await ctx.custody.unlockOrg(ORG_PASSPHRASE);
  const boxKey = async (role: 'hr' | 'team' | 'employee', id: string) =>
    publicPair(await ctx.custody.requireRing(role, id, orgRing.signPublicKey)).boxPublicKey;
  const hrKey = await boxKey('hr', org.orgId);
  const orgKey = publicPair(orgRing.doc).boxPublicKey;

  const enrolled: Array<{ person: PersonPlan; device: DevicePlan; deviceId: string; credential: string }> = [];
  for (const person of org.people) {
    for (const device of person.devices) {
      const code = await issueEnrollmentCode(ctx, { employeeId: person.employeeId, orgPassphrase: ORG_PASSPHRASE });
      enrolled.push({ person, device, ...(await enroll(target.url, code.code, device)) });
    }
  }
  // projects and rules exist before anyone tracks against them
  const published = await publishWork(ctx, org, orgUnlocked, orgRing.signPublicKey);
  const t1 = performance.now();

  const pool = new ScreenPool();
  const orgClasses = classesOf('organisation');
  const teamClasses = classesOf('team');
  const hrClasses = classesOf('hr');
  const expected: Record<string, number> = { 'st-org-records': 0, 'st-hr-attendance': 0 };
  for (const t of org.teams) expected[`st-team-${t.teamId}-records`] = 0;
  const totals: StoredOrg['totals'] = { records: 0, blobs: 0, blobBytes: 0, byKind: {} };
  const devices: StoredDevice[] = [];
  let next = 0;
  const worker = async () => {
    while (next < enrolled.length) {
      const e = enrolled[next++]!;
      const recipients = recipientDirectory({
        organisation: orgKey,
        hr: hrKey,
        team: await boxKey('team', e.person.teamId),
        employee: await boxKey('employee', e.person.employeeId),
      });
      const stored: StoredDevice = {
        employeeId: e.person.employeeId,
        key: e.device.key,
        deviceId: e.deviceId,
        credential: e.credential,
        records: 0,
        blobs: 0,
      };
      for await (const batch of sealDevice({
        org,
        person: e.person,
        device: e.device,
        deviceId: e.deviceId,
        recipients,
        pool,
        batchSize: target.batchSize ?? 500,
      })) {
        await pushBatch(target.url, e.person, e, batch, target.writeDocs);
        stored.records += batch.records.length;
        stored.blobs += batch.blobs.length;
        for (const r of batch.records) {
          totals.byKind[r.kind] = (totals.byKind[r.kind] ?? 0) + 1;
          const cls = KIND_CLASS[r.kind];
          if (orgClasses.has(cls)) expected['st-org-records']!++;
          if (teamClasses.has(cls)) expected[`st-team-${e.person.teamId}-records`]!++;
          if (hrClasses.has(cls)) expected['st-hr-attendance']!++;
        }
        for (const b of batch.blobs) totals.blobBytes += b.bytes;
        totals.records += batch.records.length;
        totals.blobs += batch.blobs.length;
        target.onProgress?.({
          devicesDone: devices.length,
          devices: enrolled.length,
          records: totals.records,
          blobs: totals.blobs,
        });
      }
      devices.push(stored);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, target.concurrency ?? 2) }, worker));
  const manual = await decideManualTime(ctx, org, orgUnlocked);
  const t2 = performance.now();

  const deadline = Date.now() + (target.consolidationTimeoutMs ?? 600_000);
  for (;;) {
    // doc_count is cheap to poll; the exact count is taken once it says everything may be there
    const counts = await Promise.all(
      Object.keys(expected).map(async (db) => [db, await docCount(ctx.client, db)] as const),
    );
    let behind = counts.filter(([db, c]) => c < expected[db]!);
    if (behind.length === 0) {
      const exact = await Promise.all(
        Object.keys(expected).map(async (db) => [db, await recordCount(ctx.client, db)] as const),
      );
      behind = exact.filter(([db, c]) => c < expected[db]!);
      if (behind.length === 0) break;
    }
    if (Date.now() > deadline)
      throw new Error(
        `consolidation did not catch up: ${behind.map(([db, c]) => `${db} ${c}/${expected[db]}`).join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
  const t3 = performance.now();
  return {
    orgId: org.orgId,
    fingerprint: init.fingerprint,
    users,
    passphrases,
    devices: devices.sort((a, b) => a.key.localeCompare(b.key)),
    expected,
    totals,
    seconds: { setup: (t1 - t0) / 1000, sealAndPush: (t2 - t1) / 1000, consolidation: (t3 - t2) / 1000 },
    work: { ...published, manual },
  };
}

// Role tests on a real server, with key rings delivered by the server (no
// ring file anywhere): a manager's replica holds only their team's database
// and people, HR's only attendance and corrections; and what is hidden is
// also undecryptable: HR's and a manager's unlocked keys are tried on
// records and screenshot blobs fetched as admin, and fail with the crypto
// error, while a record of their own scope opens with the same keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeEnvelope, fromBase64, initSodium, openerKeys, type RecordDoc } from '@sealtime/shared';
import type { SubscriptionName, SubscriptionParams, SubscriptionValue } from '../api/admin-api.js';
import { nextValue } from './test-support/next-value.js';
import { testCores } from './test-support/test-cores.js';
import type { AttendanceSheetView, DashboardView } from '../api/view-types.js';
import { login, openContext } from '../admin/node/admin-context.js';
import { listCorrections } from '../admin/corrections.js';
import { KeyCustody } from '../admin/key-custody.js';
import { reviewDay } from '../admin/review-day.js';
import { ProfileStore } from '../admin/node/profile-store.js';
import { ServerClient } from '../admin/node/server-client.js';
import type { AdminCore } from './admin-core.js';
import { openReplicaDocs } from './record-opening.js';
import { openReplicaStore, type ReplicaDoc } from './replica-store.js';
import { unlockReviewer, type ReviewerKeys } from './reviewer-keys.js';
import {
  createReviewOrg,
  HR_USER,
  MANAGER_USER,
  PASSPHRASE,
  ROOT_PASSWORD,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from './test-support/review-org.js';

const TZ = 'UTC';
const DATE = '2026-12-01';
let org: ReviewOrg;
const cores = testCores('st-roles-', { timeZone: TZ });
const newDir = cores.newDir;

beforeAll(async () => {
  // ada and bob in the manager's team blue, cleo in green
  org = await createReviewOrg({
    people: ['ada', 'bob', 'cleo'],
    dates: [DATE],
    timeZone: TZ,
    teams: { cleo: 'green' },
  });
}, 300_000);
afterAll(async () => {
  await org?.close();
  await cores.cleanup();
});

function next<N extends SubscriptionName>(
  core: AdminCore,
  name: N,
  params: SubscriptionParams<N>,
  accept: (v: SubscriptionValue<N>) => boolean,
  timeoutMs = 60_000,
): Promise<SubscriptionValue<N>> {
  return nextValue(core, name, params, accept, timeoutMs, { waitThroughErrors: true });
}

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message?: string } | null> {
  return p.then(
    () => null,
    (e: unknown) => e as { code?: string; message?: string },
  );
}

/** A core on a fresh data dir, signed in and unlocked with password and passphrase alone. */
async function roleCore(
  user: { id: string; password: string },
  passphrase: string,
): Promise<{ core: AdminCore; dataDir: string }> {
  const dataDir = await newDir();
  const core = await cores.newCore({ dataDir });
  await core.signIn({ serverUrl: org.srv.url, user: user.id, password: user.password });
  return { core, dataDir };
}

/** Every row of the (closed) core's replica. */
async function replicaRows(dataDir: string): Promise<ReplicaDoc[]> {
  const base = join(dataDir, 'replicas');
  const [only, ...more] = await readdir(base);
  expect(more).toEqual([]);
  const store = await openReplicaStore(join(base, only!));
  try {
    return (await store.db.replica.find().exec()).map((d) => d.toMutableJSON());
  } finally {
    await store.close();
  }
}

/** The reviewer's keys exactly as the core unlocks them (server-delivered ring), with their own session. */
async function reviewerKeys(
  user: { id: string; password: string },
  passphrase: string,
): Promise<{ keys: ReviewerKeys; client: ServerClient }> {
  const anon = new ServerClient({ url: org.srv.url });
  const client = anon.withToken((await anon.login(user.id, user.password)).token);
  const store = await openReplicaStore(await newDir());
  try {
    const keys = await unlockReviewer(
      { client, custody: new KeyCustody(client, new ProfileStore(await newDir())), store },
      passphrase,
    );
    return { keys, client };
  } finally {
    await store.close();
  }
}

const admin = () => org.ctx.client;

/** Envelope bytes of a stored document. */
function bytesOf(envelope: string): Uint8Array {
  const b = fromBase64(envelope);
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
}

let orgOpener: ReviewerKeys['opener'] | null = null;

const toRow = (d: RecordDoc & { _id: string }): ReplicaDoc => ({
  id: d._id,
  source: 'st-org-records',
  employeeId: d.employeeId,
  deviceId: d.deviceId,
  seq: d.seq,
  envelope: d.envelope,
  hint: {},
  hour: d.hour,
});

/** A sealed record of that employee and kind from st-org-records, fetched as admin (the kind read from the opened envelope). */
async function orgRecord(employeeId: string, kind: string): Promise<RecordDoc & { _id: string }> {
  const mine = (await admin().allDocs<RecordDoc>('st-org-records')).filter((d) => d.employeeId === employeeId);
  const opened = openReplicaDocs(mine.map(toRow), orgOpener!, () => null).records.filter((r) => r.kind === kind);
  expect(opened.length).toBeGreaterThan(0);
  return mine.find((d) => d._id === opened[0]!.id)!;
}

/** The enrolled signing key of the employee's only device, as admin sees it. */
async function deviceKey(employeeId: string): Promise<Uint8Array> {
  const [dev] = await admin().devices(employeeId);
  const k = fromBase64(dev!.signPublicKey, 32);
  if (!k.ok) throw new Error(k.error.message);
  return k.value;
}

/** The screenshot image envelope (blob) of that employee, fetched as admin from their blobs database. */
async function blobOf(employeeId: string): Promise<Uint8Array> {
  const [blob] = await admin().allDocs<{ envelope: string }>(`st-emp-${employeeId}-blobs`);
  return bytesOf(blob!.envelope);
}

/**
 * Tries the reviewer's secret keys on every wrapped data key of the envelope,
 * ignoring key ids: none may open (crypto_box_seal_open fails for each).
 */
async function anyWrapOpens(keys: ReviewerKeys, envelopeBytes: Uint8Array): Promise<boolean> {
  const s = await initSodium();
  const env = decodeEnvelope(envelopeBytes);
  if (!env.ok) throw new Error(env.error.message);
  expect(env.value.envelope.recipients.length).toBeGreaterThan(0);
  let opened = false;
  for (const r of env.value.envelope.recipients) {
    for (const k of keys.rings.flatMap(openerKeys)) {
      try {
        s.crypto_box_seal_open(r.wrappedKey, k.publicKey, k.secretKey);
        opened = true;
      } catch {
        // expected: not sealed to this key
      }
    }
  }
  return opened;
}

describe('reviewer roles with server-delivered key rings', () => {
  beforeAll(async () => {
    orgOpener = (await reviewerKeys({ id: 'root', password: ROOT_PASSWORD }, PASSPHRASE)).keys.opener;
  }, 120_000);

  it("manager: no ring file; the replica holds only the team database and its people; another team's records and screenshots do not decrypt", async () => {
    const { core, dataDir } = await roleCore(MANAGER_USER, TEAM_PASSPHRASE);
    // what the server consolidated for team blue (ada's and bob's records the team key may read)
    const blueCount = (await admin().allDocs<RecordDoc>('st-team-blue-records')).filter(
      (d) => typeof d.envelope === 'string',
    ).length;
    expect(blueCount).toBeGreaterThan(20);
    try {
      expect(await core.unlock({ passphrase: TEAM_PASSPHRASE })).toMatchObject({
        state: 'unlocked',
        role: 'manager',
        teams: ['blue'],
      });
      await core.awaitInSync();
      const sync = await next(core, 'sync', {}, (v) => v.databases[0]!.pulled >= blueCount);
      expect(sync.databases.map((d) => [d.db, d.pulled])).toEqual([['st-team-blue-records', blueCount]]);
      expect(sync.cannotOpen).toBe(0);
      // the people come from the replica (managers read no directory), once its rows are in
      await expect
        .poll(async () => (await core.request('people', {})).map((p) => p.employeeId), { timeout: 30_000 })
        .toEqual(['ada', 'bob']);
      // every record verified against its device key: activity counts, no 'failed verification' alert
      // attendance is sealed to the team key too: the manager sees their team's worked time (was 0: HR's only)
      const dash = (await next(
        core,
        'dashboard',
        { date: DATE },
        (v) =>
          (v as DashboardView).rows.length === 2 &&
          (v as DashboardView).rows.every((r) => r.activityPercent !== null && r.workedMs > 0),
        30_000,
      )) as DashboardView;
      expect(dash.totals.alerts).toBe(0);
      expect(dash.rows.map((r) => [r.employeeId, r.trackedSeconds, r.workedMs, r.alerts.length])).toEqual([
        ['ada', 7200, 8 * 3_600_000, 0],
        ['bob', 7200, 8 * 3_600_000, 0],
      ]);
      expect(dash.totals.workedMs).toBe(16 * 3_600_000);
    } finally {
      await core.close();
    }
    const rows = await replicaRows(dataDir);
    expect(rows.length).toBe(blueCount);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['st-team-blue-records']));
    expect(new Set(rows.map((r) => r.employeeId))).toEqual(new Set(['ada', 'bob']));

    const { keys, client } = await reviewerKeys(MANAGER_USER, TEAM_PASSPHRASE);
    // control: their own team's activity opens with these keys
    const own = await orgRecord('bob', 'activity-slot');
    const ownOpened = keys.opener.open(bytesOf(own.envelope), await deviceKey('bob'));
    expect(ownOpened.ok).toBe(true);
    // their own team's attendance opens too; another team's does not
    expect(keys.opener.open(bytesOf((await orgRecord('bob', 'attendance')).envelope), await deviceKey('bob')).ok).toBe(
      true,
    );
    const otherAtt = keys.opener.open(
      bytesOf((await orgRecord('cleo', 'attendance')).envelope),
      await deviceKey('cleo'),
    );
    expect(otherAtt.ok ? 'opened' : otherAtt.error.code).toBe('not-a-recipient');
    // another team's activity record and screenshot image: the crypto says no
    const other = await orgRecord('cleo', 'activity-slot');
    const otherBytes = bytesOf(other.envelope);
    const r = keys.opener.open(otherBytes, await deviceKey('cleo'));
    expect(r.ok ? 'opened' : r.error.code).toBe('not-a-recipient');
    expect(await anyWrapOpens(keys, otherBytes)).toBe(false);
    const blob = await blobOf('cleo');
    const b = keys.opener.open(blob, await deviceKey('cleo'));
    expect(b.ok ? 'opened' : b.error.code).toBe('not-a-recipient');
    expect(await anyWrapOpens(keys, blob)).toBe(false);
    expect(keys.opener.open(await blobOf('bob'), await deviceKey('bob')).ok).toBe(true);
    // and the server would not have handed it over anyway
    const [cleoBlob] = await admin().allDocs<{ _id: string }>('st-emp-cleo-blobs');
    expect(await errorOf(client.getDoc('st-emp-cleo-blobs', cleoBlob!._id))).toMatchObject({ code: 'forbidden' });
  }, 300_000);

  it("HR: no ring file; the replica holds attendance and corrections only, verified; activity and screenshots do not decrypt with HR's keys", async () => {
    const { core, dataDir } = await roleCore(HR_USER, PASSPHRASE);
    const expected = 2 * org.people.length + 1; // clock-in + clock-out per person, one correction request
    try {
      expect(await core.unlock({ passphrase: PASSPHRASE })).toMatchObject({ state: 'unlocked', role: 'hr' });
      await core.awaitInSync();
      const sync = await next(core, 'sync', {}, (v) => v.databases[0]!.pulled >= expected);
      expect(sync.databases.map((d) => [d.db, d.pulled])).toEqual([['st-hr-attendance', expected]]);
      expect((await next(core, 'gallery', { employeeId: 'ada', date: DATE }, () => true)).total).toBe(0);
      const sheet = (await next(
        core,
        'attendance',
        { from: DATE, to: DATE },
        (v) =>
          (v as AttendanceSheetView).people.length === org.people.length &&
          (v as AttendanceSheetView).corrections.length > 0,
        30_000,
      )) as AttendanceSheetView;
      expect(sheet.corrections.map((c) => [c.requestId, c.status])).toEqual([[org.correctionRequestId, 'pending']]);
    } finally {
      await core.close();
    }
    const { keys, client } = await reviewerKeys(HR_USER, PASSPHRASE);
    // HR now reads the device keys of the people it reviews, so every record verifies
    const devices = new Map<string, Map<string, Uint8Array>>();
    for (const e of org.people) {
      const list = await client.devices(e);
      expect(list.length).toBe(1);
      devices.set(e, new Map(list.map((d) => [d.deviceId, bytesOf(d.signPublicKey)])));
    }
    const rows = await replicaRows(dataDir);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['st-hr-attendance']));
    const opened = openReplicaDocs(rows, keys.opener, (e) => devices.get(e) ?? null);
    expect({ cannotOpen: opened.cannotOpen, problems: opened.problems }).toEqual({ cannotOpen: 0, problems: [] });
    expect(opened.records.length).toBe(expected);
    expect(new Set(opened.records.map((r) => r.kind))).toEqual(new Set(['attendance', 'correction-request']));
    expect(opened.records.every((r) => r.integrity === 'ok')).toBe(true);

    // control: an attendance record fetched as admin opens with HR's keys
    const att = await orgRecord('ada', 'attendance');
    expect(keys.opener.open(bytesOf(att.envelope), await deviceKey('ada')).ok).toBe(true);
    for (const kind of ['activity-slot', 'screenshot', 'app-event']) {
      const rec = await orgRecord('ada', kind);
      const bytes = bytesOf(rec.envelope);
      const r = keys.opener.open(bytes, await deviceKey('ada'));
      expect([kind, r.ok ? 'opened' : r.error.code]).toEqual([kind, 'not-a-recipient']);
      expect(await anyWrapOpens(keys, bytes)).toBe(false);
    }
    const blob = await blobOf('ada');
    const b = keys.opener.open(blob, await deviceKey('ada'));
    expect(b.ok ? 'opened' : b.error.code).toBe('not-a-recipient');
    expect(await anyWrapOpens(keys, blob)).toBe(false);
  }, 300_000);

  it("the CLI's use-cases too: HR lists corrections and a manager reviews a day with no --keyring-file", async () => {
    const asUser = async (u: { id: string; password: string }) => {
      const copts = { profileDir: await org.srv.profile(), server: org.srv.url };
      await login(copts, u.id, u.password);
      return openContext(copts);
    };
    const hr = await asUser(HR_USER);
    const rows = await listCorrections(hr, { passphrase: PASSPHRASE });
    // verified: HR reads the device key the request was signed with
    expect(rows.map((r) => [r.requestId, r.status, r.verified])).toEqual([[org.correctionRequestId, 'pending', true]]);
    const mgr = await asUser(MANAGER_USER);
    const day = await reviewDay(mgr, { employeeId: 'bob', date: DATE, timeZone: TZ, passphrase: TEAM_PASSPHRASE });
    expect(day.db).toBe('st-team-blue-records');
    expect(day.records.opened).toBeGreaterThan(0);
    expect({ failed: day.records.failed, unverified: day.records.unverified }).toEqual({ failed: [], unverified: 0 });
  }, 300_000);

  it('a wrong passphrase, and a role whose ring does not exist, fail in words and lose nothing', async () => {
    const { core } = await roleCore(MANAGER_USER, TEAM_PASSPHRASE);
    try {
      expect(await errorOf(core.request('unlock', { passphrase: 'not the team passphrase' }))).toMatchObject({
        code: 'wrong-passphrase',
      });
      expect(await core.request('unlock', { passphrase: TEAM_PASSPHRASE })).toMatchObject({ state: 'unlocked' });
    } finally {
      await core.close();
    }
    await admin().createUser({ id: 'rex', password: 'red team lead secret 1', role: 'manager', teams: ['red'] });
    const red = await roleCore({ id: 'rex', password: 'red team lead secret 1' }, 'x');
    try {
      const err = await errorOf(red.core.request('unlock', { passphrase: 'anything at all' }));
      expect(err).toMatchObject({ code: 'not-found' });
      expect(err?.message).toMatch(/no key ring of team red/);
    } finally {
      await red.core.close();
    }
  }, 300_000);
});

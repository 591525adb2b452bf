// Each role's core against the shared org fixture (test-support/org-fixture:
// sealed by the recorder's own functions, stored through the server's API):
// the replica holds exactly the consolidated database the role may read, and
// what opens matches the role's keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOrg, storeOrg, type OrgPlan, type StoredOrg } from '../../../test-support/org-fixture/index.js';
import type { SubscriptionName, SubscriptionParams, SubscriptionValue } from '../api/admin-api.js';
import { nextValue } from './test-support/next-value.js';
import type { PersonDayView } from '../api/view-types.js';
import { DIRECTORY_DB, keyringDocId } from '../admin/directory-docs.js';
import { openContext } from '../admin/node/admin-context.js';
import {
  lowParams,
  ROOT_PASSWORD,
  startAdminTestServer,
  type AdminTestServer,
} from '../admin/test-support/admin-server.js';
import { AdminCore } from './admin-core.js';

const TZ = 'Europe/Berlin';
let srv: AdminTestServer;
let plan: OrgPlan;
let stored: StoredOrg;
let tmp: string;
const ringFiles: Record<string, string> = {};

beforeAll(async () => {
  srv = await startAdminTestServer();
  tmp = await mkdtemp(join(tmpdir(), 'st-core-roles-'));
  plan = await generateOrg({ seed: 7, people: 3, days: 2, endDate: '2026-11-27', timeZone: TZ });
  const params = await lowParams();
  const profileDir = await srv.profile();
  stored = await storeOrg(plan, {
    url: srv.url,
    superAdmin: { userId: 'root', password: ROOT_PASSWORD },
    profileDir,
    keyParams: { opsLimit: params.opsLimit, memLimitBytes: params.memLimitBytes },
  });
  // the hand-over an admin does with `keyring export`
  const ctx = await openContext({ profileDir });
  for (const [role, owner] of [['hr', stored.orgId], ...plan.teams.map((t) => ['team', t.teamId])] as Array<
    ['hr' | 'team', string]
  >) {
    const {
      _id: _i,
      _rev: _r,
      ...doc
    } = (await ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, keyringDocId(role, owner)))!;
    ringFiles[`${role}:${owner}`] = join(tmp, `${role}-${owner}.json`);
    await writeFile(ringFiles[`${role}:${owner}`]!, JSON.stringify(doc));
  }
}, 600_000);
afterAll(async () => {
  await srv?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
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

async function roleCore(userId: string, passphrase: string, keyringFile?: string): Promise<AdminCore> {
  const dir = await mkdtemp(join(tmp, 'core-'));
  const core = new AdminCore({
    dataDir: dir,
    timeZone: TZ,
    ...(keyringFile ? { keyringFile } : {}),
    sync: { minRetryMs: 200, maxRetryMs: 1000 },
  });
  await core.start();
  const user = stored.users.find((u) => u.userId === userId)!;
  await core.signIn({ serverUrl: srv.url, user: user.userId, password: user.password });
  await core.unlock({ passphrase });
  await core.awaitInSync();
  return core;
}

/** A thumbnail link the admin's core handed out: no other core serves it. */
let adminThumbLink = '';

describe('admin core per role on the org fixture', () => {
  it('admin: all of st-org-records, every record opens, thumbnails are links to the sealed-in thumbnails', async () => {
    const core = await roleCore('admin', stored.passphrases.organisation);
    try {
      const sync = await next(core, 'sync', {}, (v) => v.databases[0]!.pulled >= stored.expected['st-org-records']!);
      expect(sync.databases.map((d) => [d.db, d.pulled])).toEqual([
        ['st-org-records', stored.expected['st-org-records']],
      ]);
      expect(sync.cannotOpen).toBe(0);
      const two = plan.people.find((p) => p.devices.length === 2)!;
      const days: PersonDayView[] = [];
      for (const date of ['2026-11-26', '2026-11-27'])
        days.push(
          (await next(
            core,
            'personDay',
            { employeeId: two.employeeId, date },
            (v) => (v as PersonDayView).screenshots.length > 0,
          )) as PersonDayView,
        );
      const shots = days.flatMap((d) => d.screenshots);
      expect(new Set(shots.map((s) => s.deviceId)).size).toBe(2); // both devices' records open under one person
      // the views name images by links, not inline data; a link serves the thumbnail sealed in with the record
      const exported = JSON.parse(
        (await core.request('privacyExport', { employeeId: two.employeeId, includeThumbnails: true })).json,
      ) as { records: Array<{ id: string; payload: { thumb?: string } }> };
      const sealedThumb = new Map(exported.records.map((r) => [r.id, r.payload.thumb]));
      for (const s of shots) {
        expect(s.thumb).toMatch(/^\/img\/[A-Za-z0-9_-]{20,}$/);
        expect(s.fullUrl).toMatch(/^\/img\/[A-Za-z0-9_-]{20,}$/);
        const want = sealedThumb.get(s.recordId)!.replace(/^data:image\/webp;base64,/, '');
        for (let i = 0; i < 2; i++) {
          const served = await core.takeImage(s.thumb!.slice(5));
          expect(served.contentType).toBe('image/webp');
          expect(Buffer.from(served.bytes).toString('base64')).toBe(want);
        }
      }
      const full = await core.takeImage(shots[0]!.fullUrl!.slice(5));
      expect(full.bytes.length).toBeGreaterThan(1000);
      await expect(core.takeImage(shots[0]!.fullUrl!.slice(5))).rejects.toMatchObject({ code: 'not-found' }); // once
      // the slots list the same shots under the same links
      const inSlots = days.flatMap((d) => d.slots.flatMap((sl) => sl.screenshots));
      expect(new Set(inSlots.map((s) => s.thumb))).toEqual(new Set(shots.map((s) => s.thumb)));
      expect(days.every((d) => d.attendance.events.length > 0)).toBe(true);
      adminThumbLink = shots[0]!.thumb!.slice(5);
      await core.lock();
      await expect(Promise.resolve().then(() => core.takeImage(adminThumbLink))).rejects.toMatchObject({
        code: 'locked',
      });
    } finally {
      await core.close();
    }
  }, 300_000);

  it('manager: only the team database, opened with the team key', async () => {
    const team = plan.teams[0]!;
    const core = await roleCore(
      team.managerUserId,
      stored.passphrases.teams[team.teamId]!,
      ringFiles[`team:${team.teamId}`],
    );
    try {
      const db = `st-team-${team.teamId}-records`;
      const sync = await next(core, 'sync', {}, (v) => v.databases[0]!.pulled >= stored.expected[db]!);
      expect(sync.databases.map((d) => [d.db, d.pulled])).toEqual([[db, stored.expected[db]]]);
      expect(sync.cannotOpen).toBe(0);
      // the admin's image link means nothing here
      expect(adminThumbLink).not.toBe('');
      await expect(core.takeImage(adminThumbLink)).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      await core.close();
    }
  }, 300_000);

  it('HR: only st-hr-attendance, nothing else to open', async () => {
    const core = await roleCore('hr', stored.passphrases.hr, ringFiles[`hr:${stored.orgId}`]);
    try {
      const sync = await next(core, 'sync', {}, (v) => v.databases[0]!.pulled >= stored.expected['st-hr-attendance']!);
      expect(sync.databases.map((d) => [d.db, d.pulled])).toEqual([
        ['st-hr-attendance', stored.expected['st-hr-attendance']],
      ]);
      expect(stored.expected['st-hr-attendance']).toBeLessThan(stored.expected['st-org-records']!);
      const gallery = await next(
        core,
        'gallery',
        { employeeId: plan.people[0]!.employeeId, date: '2026-11-27' },
        () => true,
      );
      expect(gallery.total).toBe(0);
    } finally {
      await core.close();
    }
  }, 300_000);
});

// The admin core against a real server with sealed, consolidated records:
// the replica holds exactly what the role may read, views answer from it,
// a restart resumes from the checkpoint, and with the server stopped the
// core keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvelopeOpener, openerKeys, validateKeyringDoc } from '@sealtime/shared';
import { readFile } from 'node:fs/promises';
import type { SubscriptionName, SubscriptionParams, SubscriptionValue } from '../api/admin-api.js';
import type { AttendanceSheetView, DashboardView, GalleryView, PersonDayView } from '../api/view-types.js';
import { unlockRing } from '../admin/key-custody.js';
import { AdminCore, type AdminCoreOptions } from './admin-core.js';
import { openReplicaDocs } from './record-opening.js';
import { createReviewOrg, HR_USER, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './test-support/review-org.js';
import { nextValue } from './test-support/next-value.js';

const TZ = 'UTC';
let org: ReviewOrg;
const dirs: string[] = [];

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: ['2026-11-30', '2026-12-01'], timeZone: TZ });
}, 180_000);
afterAll(async () => {
  await org?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'st-core-'));
  dirs.push(d);
  return d;
}

/**
 * Counts documents the replica's pull received (a pass-through around the real fetch): every doc in a
 * `_changes` or `_all_docs` answer (the cold start reads by id ranges first), and the distinct ids among them.
 */
function countingFetch(): { fetch: typeof fetch; received: () => number; distinct: () => number } {
  let n = 0;
  const ids = new Set<string>();
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await fetch(input, init);
    if (/\/_changes|\/_all_docs/.test(String(input))) {
      const body = (await res
        .clone()
        .json()
        .catch(() => null)) as {
        results?: Array<{ doc?: { _id?: string } }>;
        rows?: Array<{ doc?: { _id?: string } }>;
      } | null;
      for (const r of [...(body?.results ?? []), ...(body?.rows ?? [])]) {
        if (!r.doc?._id) continue;
        n++;
        ids.add(r.doc._id);
      }
    }
    return res;
  }) as typeof fetch;
  return { fetch: f, received: () => n, distinct: () => ids.size };
}

function next<N extends SubscriptionName>(
  core: AdminCore,
  name: N,
  params: SubscriptionParams<N>,
  accept?: (v: SubscriptionValue<N>) => boolean,
  timeoutMs = 20_000,
): Promise<SubscriptionValue<N>> {
  return nextValue(core, name, params, accept, timeoutMs);
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect((err as { code?: string } | null)?.code).toBe(code);
}

describe('admin core', () => {
  it('admin: replica of st-org-records, views, one-time images, restart resumes, offline keeps answering', async () => {
    const dataDir = await newDir();
    const counting = countingFetch();
    const opts: AdminCoreOptions = {
      dataDir,
      timeZone: TZ,
      sync: { minRetryMs: 200, maxRetryMs: 1000, baseFetch: counting.fetch },
    };
    let core = new AdminCore(opts);
    await core.start();
    expect(core.session()).toEqual({ state: 'signed-out' });
    await expectCode(core.request('people', {}), 'not-signed-in');
    await expectCode(
      core.signIn({ serverUrl: org.srv.url, user: 'root', password: 'not the password' }),
      'wrong-credentials',
    );
    expect(await core.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD })).toMatchObject({
      state: 'locked',
      user: 'root',
      role: 'super-admin',
    });
    await expectCode(core.request('people', {}), 'locked');
    await expectCode(core.unlock({ passphrase: 'not the passphrase' }), 'wrong-passphrase');
    expect(await core.unlock({ passphrase: PASSPHRASE })).toMatchObject({
      state: 'unlocked',
      orgId: 'acme',
      role: 'super-admin',
    });
    await core.awaitInSync();

    const total = [...org.pushed.values()].reduce((a, b) => a + b, 0);
    const sync = await next(core, 'sync', {}, (v) => v.databases[0]!.pulled >= total);
    expect(sync.databases.map((d) => d.db)).toEqual(['st-org-records']);
    expect(sync.databases[0]).toMatchObject({ online: true, lastError: null });
    expect(sync.cannotOpen).toBe(0);
    expect(counting.distinct()).toBe(total);
    expect((await core.request('people', {})).map((p) => p.employeeId)).toEqual(['ada', 'bob']);

    const dash = (await next(core, 'dashboard', { date: '2026-12-01' }, (v) =>
      (v as DashboardView).rows.every((p) => p.workedMs > 0),
    )) as DashboardView;
    expect(dash.rows.map((p) => [p.employeeId, p.workedMs, p.alerts.length])).toEqual([
      ['ada', 8 * 3_600_000, 0],
      ['bob', 8 * 3_600_000, 0],
    ]);
    expect(dash.rows[0]!.activityPercent).toBeGreaterThan(0);
    const day = (await next(core, 'personDay', { employeeId: 'ada', date: '2026-11-30' })) as PersonDayView;
    expect(day.activity.trackedSeconds).toBe(12 * 600);
    expect(day.apps.map((a) => [a.app, a.ms])).toEqual([
      ['Browser', 3_600_000],
      ['Editor', 3_600_000],
    ]);
    expect(day.attendance.events.map((e) => e.type)).toEqual(['clock-in', 'clock-out']);
    expect(day.screenshots).toHaveLength(1);
    const gallery = (await next(core, 'gallery', { employeeId: 'bob', date: '2026-11-30' })) as GalleryView;
    const shots = gallery.hours.flatMap((h) => h.shots);
    expect(shots.map((s) => s.recordId)).toEqual([org.screenshots.get('bob')![0]]);

    // the image: decrypted once per token, verified against its record's hash
    const { url } = await core.request('screenshotUrl', { recordId: shots[0]!.recordId, size: 'full' });
    const token = url.replace('/img/', '');
    const img = await core.takeImage(token);
    expect(img.contentType).toBe('image/png');
    expect(Buffer.from(img.bytes).subarray(1, 4).toString()).toBe('PNG');
    await expectCode(core.takeImage(token), 'not-found');

    // restart: the checkpoint resumes, nothing is pulled again
    await core.close();
    const before = counting.received();
    core = new AdminCore(opts);
    await core.start();
    expect(core.session()).toMatchObject({ state: 'locked', user: 'root' });
    await core.unlock({ passphrase: PASSPHRASE });
    await core.awaitInSync();
    expect(counting.received() - before).toBe(0);
    const again = (await next(
      core,
      'dashboard',
      { date: '2026-11-30' },
      (v) => (v as DashboardView).rows.length === 2,
    )) as DashboardView;
    expect(again.rows.map((p) => p.workedMs)).toEqual([8 * 3_600_000, 8 * 3_600_000]);

    // the server stops: the core still answers from the replica, and says it is offline
    await core.close();
    await org.srv.s.close();
    core = new AdminCore(opts);
    await core.start();
    await core.unlock({ passphrase: PASSPHRASE }); // the wrapped ring and role were kept at the last online unlock
    const offline = (await next(
      core,
      'dashboard',
      { date: '2026-12-01' },
      (v) => (v as DashboardView).rows.length === 2,
    )) as DashboardView;
    expect(offline.rows.map((p) => [p.employeeId, p.workedMs])).toEqual([
      ['ada', 8 * 3_600_000],
      ['bob', 8 * 3_600_000],
    ]);
    const status = await next(core, 'sync', {}, (v) => v.databases[0]!.lastError !== null);
    expect(status.databases[0]!.online).toBe(false);
    expect(status.databases[0]!.lastError!.message).toMatch(/unreachable/);
    // the image fetched before is cached sealed: it still shows
    const cachedUrl = await core.request('screenshotUrl', { recordId: shots[0]!.recordId, size: 'full' });
    expect((await core.takeImage(cachedUrl.url.replace('/img/', ''))).bytes.length).toBe(img.bytes.length);
    await core.close();
  }, 180_000);
});

describe('admin core, HR', () => {
  it('replicates st-hr-attendance only: attendance and corrections, no activity or screenshots', async () => {
    // a fresh server run of the same data: the first test stopped its server
    const hrOrg = await createReviewOrg({ people: ['cleo'], dates: ['2026-12-01'], timeZone: TZ });
    try {
      const core = new AdminCore({
        dataDir: await newDir(),
        timeZone: TZ,
        keyringFile: hrOrg.hrRingFile,
        sync: { minRetryMs: 200, maxRetryMs: 1000 },
      });
      await core.start();
      await core.signIn({ serverUrl: hrOrg.srv.url, user: HR_USER.id, password: HR_USER.password });
      expect(await core.unlock({ passphrase: PASSPHRASE })).toMatchObject({ state: 'unlocked', role: 'hr' });
      await core.awaitInSync();
      const sync = await next(core, 'sync', {}, (v) => v.databases[0]!.pulled >= 3);
      expect(sync.databases.map((d) => d.db)).toEqual(['st-hr-attendance']);
      expect(sync.databases[0]!.pulled).toBe(3); // clock-in, clock-out, the correction request
      // HR reads the device keys of the people it reviews, so its records verify and the views count them
      const sheet = (await next(
        core,
        'attendance',
        { scope: { employeeId: 'cleo' }, from: '2026-12-01', to: '2026-12-01' },
        (v) => (v as AttendanceSheetView).people.length > 0,
      )) as AttendanceSheetView;
      expect(sheet.people.map((p) => p.employeeId)).toEqual(['cleo']);
      const gallery = (await next(core, 'gallery', { employeeId: 'cleo', date: '2026-12-01' })) as GalleryView;
      expect(gallery.total).toBe(0);
      await expectCode(
        core.request('screenshotUrl', { recordId: hrOrg.screenshots.get('cleo')![0]!, size: 'full' }),
        'not-found',
      );

      // and HR's key cannot open a screenshot record even when handed one
      const shot = (await hrOrg.ctx.client.getDoc<Record<string, unknown>>(
        'st-org-records',
        hrOrg.screenshots.get('cleo')![0]!,
      ))!;
      const ring = validateKeyringDoc(JSON.parse(await readFile(hrOrg.hrRingFile, 'utf8')));
      if (!ring.ok) throw new Error(ring.error.message);
      const opener = new EnvelopeOpener(openerKeys(unlockRing(ring.value, PASSPHRASE)));
      const opened = openReplicaDocs(
        [
          {
            id: String(shot._id),
            source: 'st-org-records',
            employeeId: 'cleo',
            deviceId: String(shot.deviceId),
            seq: Number(shot.seq),
            envelope: String(shot.envelope),
            hint: {},
          },
        ],
        opener,
        () => null,
      );
      expect(opened).toMatchObject({ records: [], cannotOpen: 1, problems: [] });
      await core.close();
    } finally {
      await hrOrg.close();
    }
  }, 180_000);
});

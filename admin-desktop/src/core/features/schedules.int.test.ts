// Work schedules through the admin core against a real server (createReviewOrg):
// an admin publishes organisation and person schedules and holidays, signed by
// the organisation key; HR's core reads and verifies them by name and measures
// attendance against them in the schedule's zone (late, absent, holiday); a
// tampered and a forged schedule are refused (listed, never used); HR cannot
// publish; a schedule published with the server down waits in the outbox,
// counts at once, and reaches the directory when the server is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  createScheduleDocument,
  newSeed,
  personKeysFromSeed,
  verifyScheduleDocument,
  type WorkSchedule,
} from '@sealtime/shared';
import { startSealtimeServer, type SealtimeServer } from '@sealtime/sync-server/testing';
import { DIRECTORY_DB } from '../../admin/directory-docs.js';
import { waitFor } from '../../admin/test-support/admin-server.js';
import type {
  AttendanceSheetView,
  ScheduleBook,
  SubscriptionName,
  SubscriptionParams,
  SubscriptionValue,
} from '../../api/admin-api.js';
import { AdminCore } from '../admin-core.js';
import {
  createReviewOrg,
  HR_USER,
  MANAGER_USER,
  PASSPHRASE,
  ROOT_PASSWORD,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from '../test-support/review-org.js';
import { nextValue as next } from '../test-support/next-value.js';
import { errorOf, FAST_RETRY, testCores } from '../test-support/test-cores.js';

const H = 3_600_000;
const MIN = 60_000;
const BER = 'Europe/Berlin';
let org: ReviewOrg;
let admin: AdminCore;
let hr: AdminCore;
let orgKey: Uint8Array;
let skew = 0; // moves the cores' clock past the schedule book's few seconds of reuse
let restarted: SealtimeServer | null = null;

const day = [{ start: '09:00', end: '17:00' }];
const office: WorkSchedule = {
  effectiveFrom: '2026-01-01',
  timeZone: BER,
  week: [[], day, day, day, day, day, []],
  breakMinutes: 30,
  graceMinutes: 5,
};
const late: WorkSchedule = {
  ...office,
  effectiveFrom: '2026-12-01',
  week: [[], ...Array.from({ length: 5 }, () => [{ start: '10:00', end: '18:00' }]), []],
};

// one core at a time per process (the replica's RxDB name): the admin's is closed while HR's runs, then reopened on its data
let adminDir = '';
const cores = testCores('st-schedules-', { now: () => Date.now() + skew, outbox: FAST_RETRY });
const newCore = (dataDir?: string) => cores.newCore(dataDir ? { dataDir } : {});

const RANGE = { from: '2026-11-30', to: '2026-12-03' };
const sheetOf = (core: AdminCore, accept: (s: AttendanceSheetView) => boolean) =>
  next(core, 'attendance', RANGE, (v) => accept(v as AttendanceSheetView)) as Promise<AttendanceSheetView>;
const rows = (s: AttendanceSheetView, who: string) =>
  s.people
    .find((p) => p.employeeId === who)!
    .days.map((d) => [d.date, d.workedMs, d.expectedMs, d.lateMs, d.absent, d.holiday, d.scheduleSource ?? null]);

beforeAll(async () => {
  // records in UTC: ada 08:00–16:00 (09:00–17:00 in Berlin), bob 09:00–17:00 (10:00–18:00 in Berlin), Mon 30 Nov and Tue 1 Dec
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: ['2026-11-30', '2026-12-01'], timeZone: 'UTC' });
  orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
  admin = await openAdmin();
}, 240_000);

async function openAdmin(): Promise<AdminCore> {
  adminDir ||= await cores.newDir();
  const c = await newCore(adminDir);
  await c.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
  await c.unlock({ passphrase: PASSPHRASE });
  return c;
}
afterAll(async () => {
  await hr?.close();
  await admin?.close();
  await restarted?.close();
  await org?.close();
  await cores.cleanup();
});

describe('schedules', () => {
  it('an admin publishes signed schedules and holidays; a bad one is refused with the field named', async () => {
    expect(
      await admin.request('publishSchedule', { scope: { level: 'organisation', id: 'acme' }, version: office }),
    ).toMatchObject({ status: 'sent', docId: 'schedule:organisation:acme' });
    expect(
      await admin.request('publishSchedule', { scope: { level: 'employee', id: 'bob' }, version: late }),
    ).toMatchObject({ status: 'sent' });
    expect(await admin.request('publishHolidays', { dates: ['2026-12-03'] })).toMatchObject({
      status: 'sent',
      docId: 'holidays:acme',
    });

    const bad = await errorOf(
      admin.request('publishSchedule', {
        scope: { level: 'team', id: 'blue' },
        version: { ...office, timeZone: 'Mars/Base' },
      }),
    );
    expect(bad).toMatchObject({ code: 'invalid-input' });
    expect(bad?.message).toMatch(/timeZone: 'Mars\/Base' is not an IANA time zone/);
    expect(
      await errorOf(admin.request('publishSchedule', { scope: { level: 'team', id: 'nope' }, version: office })),
    ).toMatchObject({ code: 'not-found' });

    // what the server holds verifies under the organisation key, history kept
    const stored = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, 'schedule:employee:bob'))!;
    const { _id, _rev, ...body } = stored;
    expect(verifyScheduleDocument(_id, body, [orgKey])).toMatchObject({
      ok: true,
      value: { level: 'employee', id: 'bob', versions: [late] },
    });

    const book = await next(admin, 'scheduleBook', { date: '2026-11-30' });
    expect(book).toMatchObject({
      orgId: 'acme',
      canEdit: true,
      teams: ['blue'],
      holidays: { dates: ['2026-12-03'] },
      refused: [],
      readFrom: 'server',
    });
    expect(book.effective.map((e) => [e.employeeId, e.source && `${e.source.level}:${e.source.id}`])).toEqual([
      ['ada', 'organisation:acme'],
      ['bob', 'organisation:acme'],
    ]);
    const dec1 = await next(admin, 'scheduleBook', { date: '2026-12-01' });
    expect(dec1.effective.find((e) => e.employeeId === 'bob')).toMatchObject({
      teamId: 'blue',
      source: { level: 'employee', id: 'bob' },
      schedule: { week: late.week },
    });
    await admin.close();
  }, 60_000);

  it('HR reads and verifies them and sees lateness, absence and holidays in the schedule’s zone', async () => {
    hr = await newCore();
    await hr.signIn({ serverUrl: org.srv.url, user: HR_USER.id, password: HR_USER.password });
    expect(await hr.unlock({ passphrase: PASSPHRASE })).toMatchObject({ role: 'hr' });
    await hr.awaitInSync();
    const sheet = await sheetOf(hr, (s) => s.people.length === 2 && s.people.every((p) => p.days[0]!.workedMs > 0));
    // HR's people list has no teams; the signed directory entries give them
    for (const p of sheet.people)
      expect(p).toMatchObject({ teamId: 'blue', timeZone: BER, zoneSource: 'schedule', hasSchedule: true });
    // ada 09–17 Berlin against 09–17: on time, 8 h of 7.5 h; Wed nothing: absent; Thu a holiday
    expect(rows(sheet, 'ada')).toEqual([
      ['2026-11-30', 8 * H, 7.5 * H, 0, false, false, 'organisation:acme'],
      ['2026-12-01', 8 * H, 7.5 * H, 0, false, false, 'organisation:acme'],
      ['2026-12-02', 0, 7.5 * H, 0, true, false, 'organisation:acme'],
      ['2026-12-03', 0, 0, 0, false, true, 'organisation:acme'],
    ]);
    // bob 10–18 Berlin: an hour late against the organisation's 09:00, on time once his own 10:00 schedule applies
    expect(rows(sheet, 'bob')).toEqual([
      ['2026-11-30', 8 * H, 7.5 * H, 60 * MIN, false, false, 'organisation:acme'],
      ['2026-12-01', 8 * H, 7.5 * H, 0, false, false, 'employee:bob'],
      ['2026-12-02', 0, 7.5 * H, 0, true, false, 'employee:bob'],
      ['2026-12-03', 0, 0, 0, false, true, 'employee:bob'],
    ]);
    expect(sheet.people.find((p) => p.employeeId === 'ada')!.days[0]).toMatchObject({
      firstInLabel: '09:00',
      lastOutLabel: '17:00',
    });

    const book = await next(hr, 'scheduleBook', { date: '2026-12-01' });
    expect(book).toMatchObject({ canEdit: false, refused: [], holidays: { dates: ['2026-12-03'] } });
    expect(book.effective.map((e) => [e.employeeId, e.teamId, e.source?.level])).toEqual([
      ['ada', 'blue', 'organisation'],
      ['bob', 'blue', 'employee'],
    ]);
    // HR reads; only the organisation key signs
    expect(
      await errorOf(hr.request('publishSchedule', { scope: { level: 'employee', id: 'ada' }, version: office })),
    ).toMatchObject({ code: 'forbidden' });
  }, 180_000);

  it('a tampered and a forged schedule are refused, listed and not used', async () => {
    const wire = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, 'schedule:organisation:acme'))!;
    const versions = wire.versions as WorkSchedule[];
    // the server operator widens the grace and keeps the signature
    const tampered = { ...wire, versions: [{ ...versions[0]!, graceMinutes: 120 }] };
    // and signs a 07:00 start for ada with a key of its own
    const intruder = personKeysFromSeed(newSeed());
    const forged = createScheduleDocument(
      {
        level: 'employee',
        id: 'ada',
        issuedAt: Date.now(),
        versions: [
          { ...office, week: [[], ...Array.from({ length: 5 }, () => [{ start: '07:00', end: '15:00' }]), []] },
        ],
      },
      intruder,
    );
    if (!forged.ok) throw new Error(forged.error.message);
    await org.ctx.client.bulkDocs(DIRECTORY_DB, [tampered, { _id: 'schedule:employee:ada', ...forged.value }]);

    skew += 60_000;
    const sheet = await sheetOf(hr, (s) => s.refusedSchedules.length === 2);
    expect(sheet.refusedSchedules.map((r) => [r.id, r.reason]).sort()).toEqual([
      ['schedule:employee:ada', expect.stringMatching(/not a trusted key/)],
      ['schedule:organisation:acme', expect.stringMatching(/changed after signing/)],
    ]);
    // ada: no schedule she can be held to (neither the tampered nor the forged one), so nothing late or absent
    expect(sheet.people.find((p) => p.employeeId === 'ada')).toMatchObject({ hasSchedule: false });
    expect(rows(sheet, 'ada').map((r) => [r[0], r[3], r[4]])).toEqual([
      ['2026-11-30', 0, false],
      ['2026-12-01', 0, false],
      ['2026-12-02', 0, false],
      ['2026-12-03', 0, false],
    ]);
    // bob keeps his own genuine schedule from 1 Dec
    expect(rows(sheet, 'bob').map((r) => r[6])).toEqual([null, 'employee:bob', 'employee:bob', 'employee:bob']);
    await hr.close();
    admin = await openAdmin();
    const adminBook = await next(admin, 'scheduleBook', { date: '2026-12-01' });
    expect(adminBook.refused.map((r) => r.id).sort()).toEqual(['schedule:employee:ada', 'schedule:organisation:acme']);
  }, 120_000);

  it('with the server down a schedule is signed and queued, counts at once, and is delivered when it is back', async () => {
    await org.srv.s.close();
    const r = await admin.request('publishSchedule', {
      scope: { level: 'team', id: 'blue' },
      version: { ...office, effectiveFrom: '2026-11-01', graceMinutes: 0 },
    });
    expect(r).toMatchObject({ status: 'queued', docId: 'schedule:team:blue' });
    const offline: ScheduleBook = await next(admin, 'scheduleBook', { date: '2026-12-01' });
    expect(offline.readFrom).toBe('cache');
    expect(offline.layers.find((l) => l.level === 'team')).toMatchObject({ id: 'blue', waiting: true });
    // ada's own document is the forged one (refused), so the team's applies to her
    expect(offline.effective.find((e) => e.employeeId === 'ada')).toMatchObject({
      source: { level: 'team', id: 'blue' },
    });

    restarted = await startSealtimeServer({
      dataDir: join(org.srv.dir, 'server'),
      listen: { host: '127.0.0.1', port: Number(new URL(org.srv.url).port) },
      logger: pino({ level: 'silent' }),
    });
    await waitFor(
      'the schedule in the directory',
      async () =>
        (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, 'schedule:team:blue').catch(() => null)) ??
        null,
      60_000,
      250,
    );
    const stored = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, 'schedule:team:blue'))!;
    const { _id, _rev, ...body } = stored;
    expect(verifyScheduleDocument(_id, body, [orgKey])).toMatchObject({ ok: true, value: { issuedAt: r.issuedAt } });
    skew += 60_000;
    const online = await next(admin, 'scheduleBook', { date: '2026-12-01' }, (b) => b.readFrom === 'server');
    expect(online.layers.find((l) => l.level === 'team')).toMatchObject({ id: 'blue', waiting: false });
  }, 120_000);

  it('a manager reads their team’s and people’s schedules, and measures their attendance against them', async () => {
    await admin.close();
    const manager = await newCore();
    try {
      await manager.signIn({ serverUrl: org.srv.url, user: MANAGER_USER.id, password: MANAGER_USER.password });
      expect(await manager.unlock({ passphrase: TEAM_PASSPHRASE })).toMatchObject({ role: 'manager' });
      await manager.awaitInSync();
      // the team named by the team database the records came from; ada's own document is the refused forgery
      const book = await next(manager, 'scheduleBook', { date: '2026-12-01' }, (b) => b.effective.length === 2);
      expect(book).toMatchObject({ canEdit: false });
      expect(
        book.effective.map((e) => [e.employeeId, e.teamId, e.source && `${e.source.level}:${e.source.id}`]),
      ).toEqual([
        ['ada', 'blue', 'team:blue'],
        ['bob', 'blue', 'employee:bob'],
      ]);
      expect(book.refused.map((r) => r.id)).toEqual(['schedule:employee:ada']);
      const sheet = await sheetOf(manager, (s) => s.people.length === 2);
      // attendance is sealed to the team key too: the manager's sheet holds the clock records and is
      // measured against the same schedules HR sees (8 h worked of 7.5 h expected; bob an hour late on
      // the Monday against the organisation's 09:00, on time once his own 10:00 schedule applies)
      const days = Object.fromEntries(
        sheet.people.map((p) => [
          p.employeeId,
          p.days
            .filter((d) => d.date <= '2026-12-01')
            .map((d) => [d.date, d.workedMs, d.expectedMs, d.absent, d.lateMs]),
        ]),
      );
      expect(days).toEqual({
        ada: [
          ['2026-11-30', 8 * H, 7.5 * H, false, 0],
          ['2026-12-01', 8 * H, 7.5 * H, false, 0],
        ],
        bob: [
          ['2026-11-30', 8 * H, 7.5 * H, false, H],
          ['2026-12-01', 8 * H, 7.5 * H, false, 0],
        ],
      });
    } finally {
      await manager.close();
    }
  }, 120_000);
});

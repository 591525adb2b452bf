// Privacy requests through the admin core against a real server (embedded
// engine) holding sealed, consolidated records of three people: export,
// screenshot deletion (one and a date range) and erasure of a person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fromBase64, type RecordDoc } from '@sealtime/shared';
import type { SubscriptionName, SubscriptionParams, SubscriptionValue } from '../../api/admin-api.js';
import type { GalleryView } from '../../api/view-types.js';
import { DIRECTORY_DB, keyringDocId } from '../../admin/directory-docs.js';
import { KeyCustody } from '../../admin/key-custody.js';
import { deletedLinks } from '../../admin/privacy-requests.js';
import { chainStatus } from '../../admin/record-reader.js';
import { reviewDay } from '../../admin/review-day.js';
import type { AdminCore } from '../admin-core.js';
import { testCores } from '../test-support/test-cores.js';
import { openReplicaStore } from '../replica-store.js';
import {
  createReviewOrg,
  HR_USER,
  MANAGER_USER,
  PASSPHRASE,
  ROOT_PASSWORD,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from '../test-support/review-org.js';
import { nextValue } from '../test-support/next-value.js';

const TZ = 'UTC';
const DATES = ['2026-11-30', '2026-12-01'];
let org: ReviewOrg;
let core: AdminCore;
let dataDir: string;
let closed = false;
const cores = testCores('st-privacy-', { timeZone: TZ });

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob', 'cy'], dates: DATES, timeZone: TZ });
  dataDir = await cores.newDir();
  core = await cores.newCore({ dataDir });
  await core.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
  await core.unlock({ passphrase: PASSPHRASE });
  await core.awaitInSync();
}, 300_000);
afterAll(async () => {
  if (!closed) await core?.close();
  await org?.close();
  await cores.cleanup();
});

function next<N extends SubscriptionName>(
  name: N,
  params: SubscriptionParams<N>,
  accept: (v: SubscriptionValue<N>) => boolean,
  timeoutMs?: number,
): Promise<SubscriptionValue<N>> {
  return nextValue(core, name, params, accept, timeoutMs);
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: { code?: string }) => e.code,
  );
}

const engine = () => org.srv.s.server.engine;
async function docsOf(db: string): Promise<Array<Record<string, unknown> & { _id: string }>> {
  const res = await engine().nano.use(db).list({ include_docs: true });
  return res.rows
    .filter((r) => !r.id.startsWith('_design/'))
    .map((r) => r.doc as unknown as Record<string, unknown> & { _id: string });
}
async function serverHas(db: string, id: string): Promise<boolean> {
  return (await org.ctx.client.getDoc(db, id)) !== null;
}

describe('privacy requests (admin core, real server)', () => {
  it("exports exactly one person's records, decrypted", async () => {
    const e = await core.request('privacyExport', { employeeId: 'ada' });
    const doc = JSON.parse(e.json) as {
      employeeId: string;
      records: Array<{ id: string; kind: string; deviceId: string; payload: Record<string, unknown> }>;
    };
    expect(doc.employeeId).toBe('ada');
    expect(e.records).toBe(org.pushed.get('ada'));
    const onServer = (await docsOf('st-emp-ada-records')).map((d) => d._id).sort();
    expect(doc.records.map((r) => r.id).sort()).toEqual(onServer);
    expect(new Set(doc.records.map((r) => r.kind))).toEqual(
      new Set(['attendance', 'activity-slot', 'app-event', 'screenshot', 'correction-request']),
    );
    // decrypted: the payloads are the values the device sealed
    expect(doc.records.filter((r) => r.kind === 'app-event').map((r) => r.payload.app)).toContain('Editor');
    expect(
      doc.records
        .filter((r) => r.kind === 'screenshot')
        .every((r) => typeof r.payload.blobId === 'string' && r.payload.thumb === undefined),
    ).toBe(true);
    expect(e.json).not.toContain('"bob"');
    expect(await codeOf(core.request('privacyExport', { employeeId: 'nobody' }))).toBe('not-found');
  }, 60_000);

  it('deletes one screenshot: purged on the server, gone from replica and cache, the chain check bridges it', async () => {
    const shotId = org.screenshots.get('ada')![0]!;
    const record = (await org.ctx.client.getDoc<RecordDoc>('st-emp-ada-records', shotId))!;
    const gallery = (await next(
      'gallery',
      { employeeId: 'ada', date: DATES[0]! },
      (v) => (v as GalleryView).total === 1,
    )) as GalleryView;
    expect(gallery.hours.flatMap((h) => h.shots).map((s) => s.recordId)).toEqual([shotId]);
    // open it once so the sealed image is in the local cache
    const { url } = await core.request('screenshotUrl', { recordId: shotId, size: 'full' });
    await core.takeImage(url.replace('/img/', ''));
    const exported = JSON.parse((await core.request('privacyExport', { employeeId: 'ada' })).json) as {
      records: Array<{ id: string; payload: { blobId?: string } }>;
    };
    const blobId = exported.records.find((r) => r.id === shotId)!.payload.blobId!;
    expect(await serverHas('st-emp-ada-blobs', blobId)).toBe(true); // control

    const res = await core.request('deleteScreenshots', { employeeId: 'ada', recordId: shotId });
    expect(res.deleted).toEqual([shotId]);
    expect(res.serverRemoved).toMatchObject({
      'st-emp-ada-records': 1,
      'st-emp-ada-blobs': 1,
      'st-org-records': 1,
      'st-team-blue-records': 1,
    });

    // a direct GET as an admin: 404 everywhere
    for (const db of ['st-emp-ada-records', 'st-org-records', 'st-team-blue-records'])
      expect(await serverHas(db, shotId), db).toBe(false);
    expect(await serverHas('st-emp-ada-blobs', blobId)).toBe(false);
    // ada's other records and the other screenshot stay
    expect(await serverHas('st-org-records', org.screenshots.get('ada')![1]!)).toBe(true);
    expect(await codeOf(core.request('screenshotUrl', { recordId: shotId, size: 'full' }))).toBe('not-found');
    const after = (await next('gallery', { employeeId: 'ada', date: DATES[0]! }, () => true)) as GalleryView;
    expect(after.total).toBe(0);

    // the chain of ada's device: without the markers a gap, with them intact
    const docs = (await docsOf('st-emp-ada-records')) as unknown as RecordDoc[];
    const devices = await org.ctx.client.devices('ada');
    const keys = new Map(
      devices.map((d) => [d.deviceId, (fromBase64(d.signPublicKey) as { ok: true; value: Uint8Array }).value]),
    );
    expect(chainStatus(docs, keys, true)[0]).toMatchObject({ status: 'broken', gaps: 1 });
    const orgRing = await new KeyCustody(org.ctx.client, org.ctx.profile).orgRing();
    const links = await deletedLinks(org.ctx.client, 'ada', orgRing.signPublicKey);
    expect(links.map((l) => l.seq)).toEqual([record.seq]);
    expect(chainStatus(docs, keys, true, links)[0]).toMatchObject({ status: 'intact', gaps: 0, issues: [] });
    // the CLI's day review (sealtime-admin review) reads the markers itself: no integrity alert there either
    const review = await reviewDay(org.ctx, {
      employeeId: 'ada',
      date: DATES[0]!,
      timeZone: TZ,
      passphrase: PASSPHRASE,
    });
    expect(review.chains).toEqual([expect.objectContaining({ status: 'intact', gaps: 0, issues: [] })]);
    expect(review.screenshots).toBe(0);
  }, 120_000);

  it("deletes a date range of one person's screenshots, nobody else's", async () => {
    const res = await core.request('deleteScreenshots', { employeeId: 'bob', from: DATES[0]!, to: DATES[1]! });
    expect(res.deleted.sort()).toEqual([...org.screenshots.get('bob')!].sort());
    for (const id of org.screenshots.get('bob')!) expect(await serverHas('st-org-records', id)).toBe(false);
    expect(await serverHas('st-org-records', org.screenshots.get('cy')![0]!)).toBe(true);
    expect(await codeOf(core.request('deleteScreenshots', { employeeId: 'bob', from: DATES[1]!, to: DATES[0]! }))).toBe(
      'invalid-input',
    );
    expect(await codeOf(core.request('deleteScreenshots', { employeeId: 'bob' }))).toBe('invalid-input');
  }, 120_000);

  it('erases a person: states what is lost, then keys, devices, account and records are gone; others untouched', async () => {
    await org.ctx.client.createUser({
      id: 'cy-self',
      password: 'cy own password 123',
      role: 'member',
      employeeId: 'cy',
    });
    // a second admin app (its own replica) that holds cy's records before the erasure
    // (one replica database per process at a time: the first app pauses meanwhile)
    await core.close();
    const otherDir = await cores.newDir();
    let other = await cores.newCore({ dataDir: otherDir });
    await other.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
    await other.unlock({ passphrase: PASSPHRASE });
    await other.awaitInSync();
    expect((await other.request('privacySummary', { employeeId: 'cy' })).records).toBe(org.pushed.get('cy'));
    await other.close();
    core = await cores.newCore({ dataDir });
    await core.unlock({ passphrase: PASSPHRASE });
    await core.awaitInSync();
    const summary = await core.request('privacySummary', { employeeId: 'cy' });
    expect(summary).toMatchObject({
      employeeId: 'cy',
      records: org.pushed.get('cy'),
      screenshots: 2,
      days: 2,
      from: DATES[0],
      to: DATES[1],
      devices: 1,
      cannotOpen: 0,
    });
    const cyIds = (await docsOf('st-emp-cy-records')).map((d) => d._id);
    const bobBefore = (await docsOf('st-org-records')).filter((d) => d.employeeId === 'bob').length;
    expect(await serverHas(DIRECTORY_DB, keyringDocId('employee', 'cy'))).toBe(true); // control
    const [device] = await org.ctx.client.devices('cy');

    expect(await codeOf(core.request('privacyErase', { employeeId: 'cy', confirm: 'cy ' }))).toBe('invalid-input');
    expect(await serverHas('st-org-records', cyIds[0]!)).toBe(true); // nothing happened
    const r = await core.request('privacyErase', { employeeId: 'cy', confirm: 'cy' });
    expect(r).toMatchObject({
      employeeId: 'cy',
      devicesRevoked: 1,
      accountsDisabled: ['cy-self'],
      replicaRemoved: org.pushed.get('cy'),
    });
    expect(r.databasesDeleted.sort()).toEqual(['st-emp-cy-blobs', 'st-emp-cy-inbox', 'st-emp-cy-records']);

    // no copy of their records or keys anywhere on the server, in any database
    const all = (await engine().nano.db.list()).filter(
      (n) => n.startsWith('st-') && n !== 'st-audit' && n !== 'st-system',
    );
    expect(all.filter((n) => n.includes('-cy-'))).toEqual([]);
    for (const db of all) {
      // the erasure notice names them (and nothing else) so that other admins' replicas forget them too
      const left = (await docsOf(db)).filter(
        (d) => d._id !== 'erasure:cy' && (d.employeeId === 'cy' || d.ownerId === 'cy' || cyIds.includes(d._id)),
      );
      expect(
        left.map((d) => d._id),
        db,
      ).toEqual([]);
    }
    expect(await serverHas(DIRECTORY_DB, keyringDocId('employee', 'cy'))).toBe(false);
    const notice = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, 'erasure:cy'))!;
    expect(Object.keys(notice).sort()).toEqual([
      '_id',
      '_rev',
      'employeeId',
      'erasedAt',
      'erasedBy',
      'signature',
      'type',
      'v',
    ]);
    // their device and their account are refused
    expect((await org.ctx.client.device(device!.deviceId)).revokedAt).not.toBeNull();
    const login = await fetch(`${org.srv.url}/_sealtime/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'cy-self', password: 'cy own password 123' }),
    });
    expect(login.status).toBeGreaterThanOrEqual(400);
    // the reviewers (admin here; HR and the team below) have nothing of theirs to open
    expect(await codeOf(core.request('privacySummary', { employeeId: 'cy' }))).toBe('not-found');
    expect((await core.request('people', {})).map((p) => p.employeeId)).toEqual(['ada', 'bob']);
    // others untouched
    expect((await docsOf('st-org-records')).filter((d) => d.employeeId === 'bob').length).toBe(bobBefore);
    expect((await core.request('privacySummary', { employeeId: 'ada' })).records).toBe(org.pushed.get('ada')! - 1);
    // the audit trail says who erased whom
    const audit = await org.ctx.client.request<{ entries: Array<{ action: string; actor: string; target: string }> }>(
      'GET',
      '/_sealtime/api/audit?limit=1000',
    );
    expect(
      audit.entries.filter((a) => a.action.startsWith('privacy.')).map((a) => [a.action, a.actor, a.target]),
    ).toEqual([
      ['privacy.records.purge', 'user:root', 'employee:ada'],
      ['privacy.records.purge', 'user:root', 'employee:bob'],
      ['privacy.erase', 'user:root', 'employee:cy'],
    ]);

    // the local replica has no row of theirs left (tombstones cleaned too)
    await core.close();
    const replicas = join(dataDir, 'replicas');
    const store = await openReplicaStore(join(replicas, (await readdir(replicas))[0]!));
    try {
      expect(await store.db.replica.count({ selector: { employeeId: 'cy' } }).exec()).toBe(0);
      const raw = await store.db.replica.storageInstance.findDocumentsById(cyIds, true);
      expect(raw).toHaveLength(0);
      // the sealed image of ada's deleted screenshot (opened, so cached, before deletion) is gone from the cache
      expect(
        await store.db.images.storageInstance.findDocumentsById([org.screenshots.get('ada')![0]!], true),
      ).toHaveLength(0);
      expect(await store.db.images.count().exec()).toBe(0);
    } finally {
      await store.close();
    }
    closed = true; // one replica database per process at a time: HR's core opens next

    // the other admin app forgets them at its next unlock (the organisation-signed erasure notice)
    other = await cores.newCore({ dataDir: otherDir });
    await other.unlock({ passphrase: PASSPHRASE });
    expect((await other.request('people', {})).map((p) => p.employeeId)).toEqual(['ada', 'bob']);
    expect(await codeOf(other.request('privacySummary', { employeeId: 'cy' }))).toBe('not-found');
    await other.close();
    const otherReplicas = join(otherDir, 'replicas');
    const otherStore = await openReplicaStore(join(otherReplicas, (await readdir(otherReplicas))[0]!));
    try {
      expect(await otherStore.db.replica.storageInstance.findDocumentsById(cyIds, true)).toHaveLength(0);
    } finally {
      await otherStore.close();
    }
  }, 180_000);

  it('HR may export (what HR can open) but not erase or delete; the erased person is not there', async () => {
    const hr = await cores.newCore({ keyringFile: org.hrRingFile });
    try {
      await hr.signIn({ serverUrl: org.srv.url, user: HR_USER.id, password: HR_USER.password });
      await hr.unlock({ passphrase: PASSPHRASE });
      await hr.awaitInSync();
      // HR reads no directory: its people are those its replica holds records of, listed as they arrive
      for (let i = 0; i < 100 && !(await hr.request('people', {})).some((p) => p.employeeId === 'ada'); i++)
        await new Promise((r) => setTimeout(r, 200));
      const e = JSON.parse((await hr.request('privacyExport', { employeeId: 'ada' })).json) as {
        records: Array<{ kind: string }>;
      };
      expect(new Set(e.records.map((r) => r.kind))).toEqual(new Set(['attendance', 'correction-request']));
      expect(await codeOf(hr.request('privacyErase', { employeeId: 'ada', confirm: 'ada' }))).toBe('forbidden');
      expect(await codeOf(hr.request('deleteScreenshots', { employeeId: 'ada', from: DATES[0]!, to: DATES[1]! }))).toBe(
        'forbidden',
      );
      expect((await hr.request('people', {})).map((p) => p.employeeId)).not.toContain('cy');
    } finally {
      await hr.close();
    }
  }, 120_000);

  it("the team manager's replica has nothing of the erased person, and a manager may neither export nor delete", async () => {
    const mgr = await cores.newCore({ keyringFile: org.teamRingFile });
    try {
      await mgr.signIn({ serverUrl: org.srv.url, user: MANAGER_USER.id, password: MANAGER_USER.password });
      await mgr.unlock({ passphrase: TEAM_PASSPHRASE });
      await mgr.awaitInSync();
      for (let i = 0; i < 100 && !(await mgr.request('people', {})).some((p) => p.employeeId === 'ada'); i++)
        await new Promise((r) => setTimeout(r, 200));
      expect((await mgr.request('people', {})).map((p) => p.employeeId)).not.toContain('cy');
      expect((await mgr.request('privacySummary', { employeeId: 'ada' })).records).toBeGreaterThan(0);
      expect(await codeOf(mgr.request('privacyExport', { employeeId: 'ada' }))).toBe('forbidden');
      expect(
        await codeOf(mgr.request('deleteScreenshots', { employeeId: 'ada', from: DATES[0]!, to: DATES[1]! })),
      ).toBe('forbidden');
    } finally {
      await mgr.close();
    }
  }, 120_000);
});

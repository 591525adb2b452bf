// A cold replica's first pass (replica-window.ts) against a real server:
// exactly each device's records from the day before the newest day on
// (screenshot records excepted: their own id range is the history's),
// and then the live replication completes the replica without counting
// the window's rows twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDateOf, localDayBounds } from '@sealtime/shared';
import { ServerClient } from '../admin/node/server-client.js';
import { gatewayFetch } from './gateway-fetch.js';
import { openReplicaStore, type ReplicaStore } from './replica-store.js';
import { startReplicaSync, toReplicaDoc } from './replica-sync.js';
import { pullRecentWindow } from './replica-window.js';
import { createReviewOrg, ROOT_PASSWORD, type ReviewOrg } from './test-support/review-org.js';

const TZ = 'Europe/Berlin';
const HOUR = 3_600_000;
let org: ReviewOrg;
let token: string;
let deviceIds: string[];
let serverRows: Array<{ id: string; hour: number }>;
const stores: ReplicaStore[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  org = await createReviewOrg({
    people: ['ada', 'bob', 'cleo'],
    dates: ['2026-11-27', '2026-11-30', '2026-12-01'],
    timeZone: TZ,
  });
  token = (await new ServerClient({ url: org.srv.url, token: null }).login('root', ROOT_PASSWORD)).token;
  deviceIds = (await Promise.all(org.people.map((e) => org.ctx.client.devices(e)))).flat().map((d) => d.deviceId);
  const docs = await org.ctx.client.allDocs<Record<string, unknown>>('st-org-records');
  serverRows = docs.map((d) => toReplicaDoc('st-org-records', d)).filter((d) => !d._deleted);
}, 240_000);
afterAll(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  await org?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A fresh replica (one open at a time: RxDB allows one database of a name per process). */
async function freshStore(): Promise<ReplicaStore> {
  for (const s of stores.splice(0)) await s.close();
  const d = await mkdtemp(join(tmpdir(), 'st-window-'));
  dirs.push(d);
  const s = await openReplicaStore(d);
  stores.push(s);
  return s;
}

describe('recent window of a cold replica', () => {
  it("pulls exactly the rows sealed from the day before the median device's newest day on, for every device", async () => {
    const perDevice = deviceIds
      .map((d) => Math.max(...serverRows.filter((r) => r.id.startsWith(`${d}:`)).map((r) => r.hour)))
      .sort((a, b) => a - b);
    const newest = perDevice[Math.floor((perDevice.length - 1) / 2)]!;
    const from = localDayBounds(localDateOf(newest, TZ), TZ).start - 24 * HOUR;
    // screenshot records (class media, ids <deviceId>:m<seq>) are left to the history
    const isMedia = (id: string) => /:m\d{12}$/.test(id);
    const recentMedia = serverRows.filter((r) => r.hour >= from && isMedia(r.id));
    expect(recentMedia.length).toBeGreaterThan(0);
    const expected = serverRows
      .filter((r) => r.hour >= from && !isMedia(r.id))
      .map((r) => r.id)
      .sort();
    // a real split: the window holds the last day, not the month
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.length).toBeLessThan(serverRows.length);
    expect(
      serverRows.some((r) => r.hour > 0 && localDateOf(r.hour, TZ) === '2026-11-27' && !expected.includes(r.id)),
    ).toBe(true);
    expect(new Set(expected.map((id) => id.split(':')[0]))).toEqual(new Set(deviceIds));

    const store = await freshStore();
    const written = await pullRecentWindow({
      base: org.srv.url,
      fetch: gatewayFetch({ token }),
      source: 'st-org-records',
      deviceIds,
      timeZone: TZ,
      collection: store.db.replica,
      toRow: toReplicaDoc,
      pageSize: 7, // several pages per device
    });
    expect([...written].sort()).toEqual(expected);
    const stored = (await store.db.replica.find().exec()).map((d) => d.id).sort();
    expect(stored).toEqual(expected);
  });

  it('then the replication brings the rest: the replica is complete and every row counted once', async () => {
    const store = await freshStore();
    let devices!: (ids: string[]) => void;
    const sync = startReplicaSync({
      serverUrl: org.srv.url,
      token,
      sources: ['st-org-records'],
      collection: store.db.replica,
      recentFirst: { deviceIds: new Promise((r) => (devices = r)), timeZone: TZ },
    });
    try {
      devices(deviceIds);
      await sync.awaitInSync();
      const ids = (await store.db.replica.find().exec()).map((d) => d.id).sort();
      expect(ids).toEqual(serverRows.map((r) => r.id).sort());
      expect(sync.status()[0]!.pulled).toBe(serverRows.length);
    } finally {
      await sync.stop();
    }
  });

  it('stops cleanly while still waiting for the device list', async () => {
    const store = await freshStore();
    const sync = startReplicaSync({
      serverUrl: org.srv.url,
      token,
      sources: ['st-org-records'],
      collection: store.db.replica,
      recentFirst: { deviceIds: new Promise(() => undefined), timeZone: TZ },
    });
    await sync.stop();
    expect(await store.db.replica.count().exec()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { DocumentScope } from 'nano';
import { waitFor } from '../../../test-support/wait-for.js';
import { ManualClock } from './clock.js';
import { followSystemChanges, type DocChange } from './system-follower.js';
import { SystemStore, type DeviceRecord } from './system-store.js';
import { startPouchServer } from './test-support/pouch-server.js';
import { systemDbSuite } from './test-support/system-db.js';

const device = (deviceId: string): DeviceRecord => ({
  deviceId,
  employeeId: 'e1',
  teamId: null,
  credentialHash: 'ab'.repeat(32),
  revokedAt: null,
  enrolledAt: 1,
  name: null,
  platform: null,
});

/** The same database scope, counting the reads that reach the engine. */
function countingReads(db: DocumentScope<unknown>): { db: DocumentScope<unknown>; reads: () => number } {
  let n = 0;
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'get' && typeof v === 'function') {
        return (...args: unknown[]) => {
          n++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { db: proxy, reads: () => n };
}

describe('st-system changes feed (real PouchDB server)', () => {
  const sys = systemDbSuite();

  it("another process's revocation reaches a following cache at once, with no clock moving", async () => {
    const clock = new ManualClock();
    const following = await SystemStore.open(sys.db, { clock, cacheTtlMs: 1_000, follow: true });
    const other = await SystemStore.open(sys.db, { cacheTtlMs: 0 });
    try {
      await other.createDevice(device('d1'));
      expect((await following.getDevice('d1'))!.revokedAt).toBeNull();
      expect(following.following).toBe(true);
      await other.updateDevice('d1', (d) => ({ ...d, revokedAt: 5 }));
      await waitFor(
        'the revocation through the feed',
        async () => (await following.getDevice('d1'))!.revokedAt === 5,
        5_000,
        20,
      );
    } finally {
      following.close();
    }
  });

  it('keeps entries past the short lifetime while the feed is healthy, and the echo of its own write costs no read', async () => {
    const clock = new ManualClock();
    const counted = countingReads(sys.db);
    const s = await SystemStore.open(counted.db, { clock, cacheTtlMs: 1_000, followedTtlMs: 60_000, follow: true });
    try {
      await s.createDevice(device('d2'));
      await new Promise((r) => setTimeout(r, 300)); // the feed delivers the echo of the create
      const before = counted.reads();
      clock.advance(5_000); // past the short lifetime, within the followed one
      expect((await s.getDevice('d2'))!.deviceId).toBe('d2');
      expect(counted.reads()).toBe(before);
      clock.advance(60_000); // past the followed lifetime too: read again
      await s.getDevice('d2');
      expect(counted.reads()).toBe(before + 1);
    } finally {
      s.close();
    }
  });

  it('reports a broken feed (the cache then falls back to its short lifetime)', async () => {
    const own = await startPouchServer();
    await own.ensureDb('st-system');
    const seen: DocChange[] = [];
    const errors: string[] = [];
    const f = await followSystemChanges(own.nano.use('st-system'), {
      onChange: (c) => seen.push(...c),
      onError: (m) => errors.push(m),
      maxBackoffMs: 200,
    });
    try {
      await own.nano.use('st-system').insert({ _id: 'device:a', kind: 'device', value: {} } as never);
      await waitFor('the first change', async () => seen.some((c) => c.id === 'device:a'), 5_000, 20);
      expect(f.healthy).toBe(true);
      await own.close();
      await waitFor('the feed to report itself broken', async () => !f.healthy, 5_000, 20);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      f.close();
    }
    expect(f.healthy).toBe(false);
  });
});

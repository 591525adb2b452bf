// The replica keeps no finished query's results: the opened index and the
// image service keep what they need in their own bounded form, and RxDB's
// default (the last 100 queries, results included) held ~50 MB of sealed rows.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openReplicaStore, replicaRowsByHour, type ReplicaDoc, type ReplicaStore } from './replica-store.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const T = Date.UTC(2026, 10, 10, 8, 0, 0);
let store: ReplicaStore | null = null;
let dir = '';
afterEach(async () => {
  await store?.close();
  store = null;
  await rm(dir, { recursive: true, force: true });
});

const row = (employeeId: string, seq: number): ReplicaDoc => ({
  id: `${employeeId}-d:${String(seq).padStart(12, '0')}`,
  source: 'st-org-records',
  employeeId,
  deviceId: `${employeeId}-d`,
  seq,
  envelope: `${employeeId}:${seq}:`.padEnd(4096, 'e'),
  hint: { hour: T },
  hour: T,
});

describe('replica query cache', () => {
  it('drops every finished query with its results (replica rows and sealed images)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'st-replica-qc-'));
    store = await openReplicaStore(dir);
    const people = Array.from({ length: 150 }, (_, i) => `p${String(i).padStart(3, '0')}`);
    await store.db.replica.bulkInsert(people.flatMap((p) => [row(p, 1), row(p, 2)]));
    await store.db.images.bulkInsert(
      people.map((p) => ({ id: p, envelope: ''.padEnd(8192, p), bytes: 8192, lastUsedAt: 1 })),
    );
    const alive: Array<WeakRef<object>> = [];
    for (const p of people) {
      // the opened index's read (one query per person and day) and the image service's
      const rows = await store.db.replica.find({ selector: { employeeId: p, hour: { $gte: T, $lt: T + 1 } } }).exec();
      expect(rows).toHaveLength(2);
      for (const d of rows) alive.push(new WeakRef(d));
      const img = await store.db.images.findOne(p).exec();
      alive.push(new WeakRef(img!));
    }
    expect(await replicaRowsByHour(store.db.replica, 'p007', T, T + 1)).toHaveLength(2);
    // RxDB runs its cache replacement once the process is idle (≥ 200 ms)
    await new Promise((r) => setTimeout(r, 1500));
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(alive.filter((w) => w.deref() !== undefined).length).toBeLessThan(20);
  });
});

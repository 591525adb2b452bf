// What the core hears of replica writes, and that hearing it keeps nothing:
// a month's pull must not stay on the heap (RxDB's `$` kept every bulk).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { watchReplicaRows } from './replica-changes.js';
import { openReplicaStore, type ReplicaDoc, type ReplicaStore } from './replica-store.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 10, 0, 0, 0);
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
  // a sealed record's size, different in every row (no shared string)
  envelope: `${seq}:`.padEnd(4096, employeeId),
  hint: { hour: T + (seq % 24) * HOUR },
  hour: T + (seq % 24) * HOUR,
});

describe('watchReplicaRows', () => {
  it('reports every written row and one call per batch, and keeps none of the written rows alive', async () => {
    dir = await mkdtemp(join(tmpdir(), 'st-replica-changes-'));
    store = await openReplicaStore(dir);
    const heard: Array<[string, string, number]> = [];
    const alive: Array<WeakRef<object>> = [];
    let bulks = 0;
    const stop = watchReplicaRows(
      store.db.replica,
      (d) => {
        heard.push([d.employeeId, d.deviceId, d.hour]);
        alive.push(new WeakRef(d));
      },
      () => bulks++,
    );
    const BATCHES = 20;
    const PER = 100;
    for (let b = 0; b < BATCHES; b++)
      await store.db.replica.bulkInsert(Array.from({ length: PER }, (_, i) => row(b % 2 ? 'ada' : 'bob', b * PER + i)));
    await new Promise((r) => setTimeout(r, 50)); // events are delivered after the write resolves
    expect(heard).toHaveLength(BATCHES * PER);
    expect(heard[0]).toEqual(['bob', 'bob-d', T]);
    stop();
    await store.db.replica.bulkInsert([row('cy', 1)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toHaveLength(BATCHES * PER); // stopped: nothing more

    // the rows are on disk; in memory only what the storage's and RxDB's small caches keep
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    const kept = alive.filter((w) => w.deref() !== undefined).length;
    expect(kept).toBeLessThan((BATCHES * PER) / 4);
    expect(bulks).toBe(BATCHES);
  });
});

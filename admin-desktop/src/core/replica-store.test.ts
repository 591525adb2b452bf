// The replica's employee and sealing-hour reads, on the real LevelDB storage.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase } from 'rxdb';
import { getRxStorageLevelDB } from '@sealtime/shared/node';
import {
  hourOfHint,
  openReplicaStore,
  replicaEmployees,
  replicaRowsByHour,
  type ReplicaDoc,
  type ReplicaStore,
} from './replica-store.js';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 10, 0, 0, 0);
let store: ReplicaStore | null = null;
let dir = '';
afterEach(async () => {
  await store?.close();
  store = null;
  await rm(dir, { recursive: true, force: true });
});

const row = (employeeId: string, seq: number, hour: number): ReplicaDoc => ({
  id: `${employeeId}-d:${String(seq).padStart(12, '0')}`,
  source: 'st-org-records',
  employeeId,
  deviceId: `${employeeId}-d`,
  seq,
  envelope: 'x',
  hint: { hour },
  hour,
});

describe('replica store reads', () => {
  it('lists each employee once by index seeks, and reads an employee by sealing hour (rows without an hour always)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'st-replica-store-'));
    store = await openReplicaStore(dir);
    const rows = ['cleo', 'ada', 'bob'].flatMap((e) =>
      Array.from({ length: 48 }, (_, i) => row(e, i + 1, T + i * HOUR)),
    );
    rows.push(row('ada', 100, 0));
    await store.db.replica.bulkInsert(rows);
    expect(await replicaEmployees(store.db.replica)).toEqual(['ada', 'bob', 'cleo']);
    const day2 = await replicaRowsByHour(store.db.replica, 'ada', T + 24 * HOUR, T + 48 * HOUR);
    expect(day2.map((r) => r.seq).sort((a, b) => a - b)).toEqual([
      ...Array.from({ length: 24 }, (_, i) => 25 + i),
      100,
    ]);
    expect(await replicaRowsByHour(store.db.replica, 'bob', T + 48 * HOUR, T + 72 * HOUR)).toEqual([]);
  });

  it('takes the hour from the clear row: hour, else the legacy createdAt floored, else 0', () => {
    expect(hourOfHint({ hour: T + 5 * HOUR })).toBe(T + 5 * HOUR);
    expect(hourOfHint({ createdAt: T + 5 * HOUR + 1234 })).toBe(T + 5 * HOUR);
    expect(hourOfHint({ class: 'activity' })).toBe(0);
    expect(hourOfHint({ hour: 'soon' })).toBe(0);
    expect(hourOfHint({ hour: -5 })).toBe(0);
  });

  it('opens a replica made before the hour index (schema version 0): rows get their hour from the clear fields', async () => {
    dir = await mkdtemp(join(tmpdir(), 'st-replica-store-v0-'));
    const old = await createRxDatabase({
      name: 'admin-replica',
      storage: getRxStorageLevelDB({ directory: dir }),
      multiInstance: false,
    });
    await old.addCollections({
      replica: {
        schema: {
          title: 'sealtime admin replica',
          version: 0,
          primaryKey: 'id',
          type: 'object',
          additionalProperties: false,
          properties: {
            id: { type: 'string', maxLength: 100 },
            source: { type: 'string', maxLength: 100 },
            employeeId: { type: 'string', maxLength: 64 },
            deviceId: { type: 'string', maxLength: 64 },
            seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, multipleOf: 1 },
            envelope: { type: 'string' },
            hint: { type: 'object' },
          },
          required: ['id', 'source', 'employeeId', 'deviceId', 'seq', 'envelope', 'hint'],
          indexes: [['employeeId', 'deviceId', 'seq']],
        },
      },
    });
    const { hour: _h, ...v0 } = row('ada', 1, T + 3 * HOUR);
    const { hour: _l, hint: _x, ...legacy } = row('ada', 2, 0);
    await old.replica!.bulkInsert([v0, { ...legacy, hint: { createdAt: T + 7 * HOUR + 99 } }]);
    await old.close();

    store = await openReplicaStore(dir);
    const docs = (await store.db.replica.find().exec()).map((d) => d.toJSON());
    expect(docs.map((d) => [d.seq, d.hour])).toEqual([
      [1, T + 3 * HOUR],
      [2, T + 7 * HOUR],
    ]);
    expect((await replicaRowsByHour(store.db.replica, 'ada', T + 7 * HOUR, T + 8 * HOUR)).map((r) => r.seq)).toEqual([
      2,
    ]);
  });
});

// The record model's collections on the project's own storage: schemas accepted
// by RxDB, sealed records stored, queried by index and intact after reopening.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import {
  DeviceSealer,
  EnvelopeOpener,
  SEALTIME_COLLECTIONS,
  asCurrentRecordDoc,
  blobsSchema,
  decodePayload,
  encodePayload,
  fromBase64,
  initSodium,
  recordsSchema,
  toBase64,
  toRecordDoc,
  validateRecordDoc,
  type BlobDoc,
  type InboxDoc,
  type LegacyRecordDoc,
  type RecordDoc,
} from '../index.js';
import { getRxStorageLevelDB } from './index.js';

type Db = RxDatabase<{ records: RxCollection<RecordDoc>; blobs: RxCollection<BlobDoc>; inbox: RxCollection<InboxDoc> }>;
const dir = mkdtempSync(join(tmpdir(), 'st-collections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(): Promise<Db> {
  const db = (await createRxDatabase({
    name: 'agent',
    storage: getRxStorageLevelDB({ directory: dir }),
    multiInstance: false,
  })) as unknown as Db;
  await db.addCollections(SEALTIME_COLLECTIONS);
  return db;
}

describe('Sealtime collections on LevelDB', () => {
  it('stores sealed records and reads them back by index after a reopen', async () => {
    const s = await initSodium();
    const k = s.crypto_sign_keypair();
    const org = s.crypto_box_keypair();
    const sealer = new DeviceSealer({
      deviceId: 'dev-1',
      employeeId: 'emp-1',
      signPublicKey: k.publicKey,
      signSecretKey: k.privateKey,
    });
    const t0 = 1_764_000_000_000;
    const docs: RecordDoc[] = [];
    for (let i = 0; i < 50; i++) {
      const p = encodePayload('activity-slot', {
        v: 1,
        start: t0 + i * 600_000,
        slotSeconds: 60,
        activeSeconds: i % 60,
        keyPresses: i,
        clicks: 0,
        mouseMoves: 0,
        scrolls: 0,
      });
      if (!p.ok) throw new Error(p.error.message);
      const sealed = sealer.seal('activity-slot', p.value, [org.publicKey], t0 + i * 600_000);
      if (!sealed.ok) throw new Error(sealed.error.message);
      const doc = toRecordDoc(sealed.value.bytes);
      if (!doc.ok) throw new Error(doc.error.message);
      docs.push(doc.value);
    }
    const db = await open();
    const res = await db.records.bulkInsert(docs);
    expect(res.error).toEqual([]);
    await db.close();

    const again = await open();
    // six records an hour: the second hour holds seq 6..11 (t0 is a whole hour)
    const window = await again.records
      .find({
        selector: { employeeId: 'emp-1', hour: { $gte: t0 + 3_600_000, $lt: t0 + 7_200_000 } },
        sort: [{ hour: 'asc' }, { id: 'asc' }],
      })
      .exec();
    expect(window.map((d) => d.seq)).toEqual([6, 7, 8, 9, 10, 11]);
    const opener = new EnvelopeOpener([{ publicKey: org.publicKey, secretKey: org.privateKey }]);
    const bytes = fromBase64(window[3]!.envelope);
    if (!bytes.ok) throw new Error('b64');
    const opened = opener.open(bytes.value, k.publicKey);
    if (!opened.ok) throw new Error(opened.error.message);
    const payload = decodePayload('activity-slot', opened.value.payload);
    expect(payload.ok && payload.value.keyPresses).toBe(9);
    expect(opened.value.envelope.createdAt).toBe(t0 + 9 * 600_000);
    await again.close();
  });

  it('migrates schema version 0 documents (kind, createdAt) to class and hour, envelopes untouched', async () => {
    const s = await initSodium();
    const k = s.crypto_sign_keypair();
    const org = s.crypto_box_keypair();
    const sealer = new DeviceSealer(
      { deviceId: 'dev-2', employeeId: 'emp-2', signPublicKey: k.publicKey, signSecretKey: k.privateKey },
      undefined,
      { format: 1 },
    );
    const t = 1_764_000_000_000 + 5_400_123;
    const p = encodePayload('attendance', { v: 1, at: t, type: 'clock-in', source: 'agent' });
    if (!p.ok) throw new Error(p.error.message);
    const sealed = sealer.seal('attendance', p.value, [org.publicKey], t);
    if (!sealed.ok) throw new Error(sealed.error.message);
    const legacy: LegacyRecordDoc = {
      id: 'dev-2:000000000000',
      deviceId: 'dev-2',
      employeeId: 'emp-2',
      kind: 'attendance',
      seq: 0,
      createdAt: t,
      envelope: toBase64(sealed.value.bytes),
      bytes: sealed.value.bytes.length,
    };
    const blob = {
      id: 'dev-2:blob:000000000000',
      deviceId: 'dev-2',
      employeeId: 'emp-2',
      createdAt: t,
      envelope: 'AAAA',
      bytes: 3,
    };
    const v0dir = mkdtempSync(join(tmpdir(), 'st-collections-v0-'));
    try {
      const strip = <T extends { version: number }>(
        schema: T,
        props: Record<string, unknown>,
        required: string[],
        indexes: string[][],
      ) => ({ ...schema, version: 0, properties: props, required, indexes });
      const { class: _c, hour: _h, ...recordProps } = recordsSchema.properties as Record<string, unknown>;
      const { hour: _bh, ...blobProps } = blobsSchema.properties as Record<string, unknown>;
      const time = { type: 'integer', minimum: 0, maximum: 8_640_000_000_000_000, multipleOf: 1 };
      const old = await createRxDatabase({
        name: 'agent',
        storage: getRxStorageLevelDB({ directory: v0dir }),
        multiInstance: false,
      });
      await old.addCollections({
        records: {
          schema: strip(
            recordsSchema,
            { ...recordProps, kind: { type: 'string', maxLength: 32 }, createdAt: time },
            ['id', 'deviceId', 'employeeId', 'kind', 'seq', 'createdAt', 'envelope', 'bytes'],
            [
              ['employeeId', 'createdAt'],
              ['kind', 'createdAt'],
              ['deviceId', 'seq'],
            ],
          ) as never,
        },
        blobs: {
          schema: strip(
            blobsSchema,
            { ...blobProps, createdAt: time },
            ['id', 'deviceId', 'employeeId', 'createdAt', 'envelope', 'bytes'],
            [['employeeId', 'createdAt']],
          ) as never,
        },
      });
      await old.records!.insert(legacy);
      await old.blobs!.insert(blob);
      await old.close();

      const db = (await createRxDatabase({
        name: 'agent',
        storage: getRxStorageLevelDB({ directory: v0dir }),
        multiInstance: false,
      })) as unknown as Db;
      await db.addCollections(SEALTIME_COLLECTIONS);
      const rec = (await db.records.findOne('dev-2:000000000000').exec())!.toJSON();
      expect(rec).toEqual({
        id: legacy.id,
        deviceId: 'dev-2',
        employeeId: 'emp-2',
        class: 'attendance',
        seq: 0,
        hour: 1_764_000_000_000 + 3_600_000,
        envelope: legacy.envelope,
        bytes: legacy.bytes,
      });
      // a migrated version 1 envelope is still a valid record, in the new shape as in the old
      expect(validateRecordDoc(rec).ok).toBe(true);
      expect(validateRecordDoc(legacy).ok).toBe(true);
      // what an RxDB pull modifier does with a legacy document read from a consolidated database
      expect(asCurrentRecordDoc(legacy)).toEqual(rec);
      expect(asCurrentRecordDoc(rec)).toBe(rec);
      const b = (await db.blobs.findOne(blob.id).exec())!.toJSON();
      expect(b).toEqual({
        id: blob.id,
        deviceId: 'dev-2',
        employeeId: 'emp-2',
        hour: 1_764_000_000_000 + 3_600_000,
        envelope: 'AAAA',
        bytes: 3,
      });
      await db.close();
    } finally {
      rmSync(v0dir, { recursive: true, force: true });
    }
  });
});

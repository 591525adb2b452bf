// The record model's collections on the project's own storage: schemas accepted
// by RxDB, sealed records stored, queried by index and intact after reopening.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { DeviceSealer, EnvelopeOpener, SEALTIME_COLLECTIONS, decodePayload, encodePayload, fromBase64, initSodium, toRecordDoc, type BlobDoc, type InboxDoc, type RecordDoc } from '../index.js';
import { getRxStorageLevelDB } from './index.js';

type Db = RxDatabase<{ records: RxCollection<RecordDoc>; blobs: RxCollection<BlobDoc>; inbox: RxCollection<InboxDoc> }>;
const dir = mkdtempSync(join(tmpdir(), 'st-collections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(): Promise<Db> {
  const db = (await createRxDatabase({ name: 'agent', storage: getRxStorageLevelDB({ directory: dir }), multiInstance: false })) as unknown as Db;
  await db.addCollections(SEALTIME_COLLECTIONS);
  return db;
}

describe('Sealtime collections on LevelDB', () => {
  it('stores sealed records and reads them back by index after a reopen', async () => {
    const s = await initSodium();
    const k = s.crypto_sign_keypair();
    const org = s.crypto_box_keypair();
    const sealer = new DeviceSealer({ deviceId: 'dev-1', employeeId: 'emp-1', signPublicKey: k.publicKey, signSecretKey: k.privateKey });
    const t0 = 1_764_000_000_000;
    const docs: RecordDoc[] = [];
    for (let i = 0; i < 50; i++) {
      const p = encodePayload('activity-slot', { v: 1, start: t0 + i * 60_000, slotSeconds: 60, activeSeconds: i % 60, keyPresses: i, clicks: 0, mouseMoves: 0, scrolls: 0 });
      if (!p.ok) throw new Error(p.error.message);
      const sealed = sealer.seal('activity-slot', p.value, [org.publicKey], t0 + i * 60_000);
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
    const window = await again.records.find({ selector: { employeeId: 'emp-1', createdAt: { $gte: t0 + 10 * 60_000, $lt: t0 + 20 * 60_000 } }, sort: [{ createdAt: 'asc' }] }).exec();
    expect(window.map((d) => d.seq)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const opener = new EnvelopeOpener([{ publicKey: org.publicKey, secretKey: org.privateKey }]);
    const bytes = fromBase64(window[3]!.envelope);
    if (!bytes.ok) throw new Error('b64');
    const opened = opener.open(bytes.value, k.publicKey);
    if (!opened.ok) throw new Error(opened.error.message);
    const payload = decodePayload('activity-slot', opened.value.payload);
    expect(payload.ok && payload.value.keyPresses).toBe(13);
    await again.close();
  });
});

import { DeviceSealer, encodePayload, GENESIS_HASH, toRecordDoc, type RecordDoc } from '@sealtime/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDevice, testSignKeyPair, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { checkChain, linkOf, neighbourIds, planStoredRead, verifyWrites, type ChainLink } from './record-integrity.js';

let dev: TestDevice;
let records: RecordDoc[];
let key: { publicKey: Uint8Array; privateKey: Uint8Array };

beforeAll(async () => {
  key = await testSignKeyPair('integrity-unit');
  dev = await createTestDevice('d1', 'e1', { signKeyLabel: 'integrity-unit' });
  records = Array.from({ length: 6 }, () => dev.activity());
});

const writes = (docs: RecordDoc[]) =>
  docs.map((d) => ({ docId: d.id, doc: toWire(d) as unknown as Record<string, unknown> }));
function links(docs: RecordDoc[]): ChainLink[] {
  const r = verifyWrites(writes(docs), 'd1', dev.signPublicKey);
  if (!r.ok) throw new Error(r.failure.reason);
  return r.links;
}
const stored = (docs: RecordDoc[]) => new Map(links(docs).map((l) => [l.seq, l]));

/** A screenshot record at this place in d1's chain: stored in the media id range. */
function sealShotAt(seq: number, prevHash: Uint8Array): RecordDoc {
  const sealer = new DeviceSealer(
    { deviceId: 'd1', employeeId: 'e1', signPublicKey: key.publicKey, signSecretKey: key.privateKey },
    { nextSeq: seq, prevHash },
  );
  const p = encodePayload('screenshot', {
    v: 1,
    takenAt: 1_764_000_000_000,
    screen: 0,
    width: 10,
    height: 10,
    format: 'webp',
    blurred: false,
    blobId: 'd1:000000000000',
    blobBytes: 10,
    blobHash: 'ab'.repeat(32),
  });
  if (!p.ok) throw new Error(p.error.message);
  const s = sealer.seal('screenshot', p.value, [dev.orgKeyPair.publicKey], 1_764_000_000_000);
  if (!s.ok) throw new Error(s.error.message);
  const d = toRecordDoc(s.value.bytes);
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
}

function sealAt(seq: number, prevHash: Uint8Array): RecordDoc {
  const sealer = new DeviceSealer(
    { deviceId: 'd1', employeeId: 'e1', signPublicKey: key.publicKey, signSecretKey: key.privateKey },
    { nextSeq: seq, prevHash },
  );
  const p = encodePayload('device-info', {
    v: 1,
    hostname: 'h',
    platform: 'linux',
    osVersion: '6',
    agentVersion: '0.1.0',
    screens: 1,
    timeZone: 'UTC',
  });
  if (!p.ok) throw new Error(p.error.message);
  const s = sealer.seal('device-info', p.value, [dev.orgKeyPair.publicKey], 1_764_000_000_000);
  if (!s.ok) throw new Error(s.error.message);
  const d = toRecordDoc(s.value.bytes);
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
}

describe('sealed write verification', () => {
  it('verifies genuine records and links each to its predecessor', () => {
    const l = links(records);
    expect(l.map((x) => x.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(l[0]!.prevHash).toEqual(GENESIS_HASH);
    expect(l[1]!.prevHash).toEqual(l[0]!.hash);
    expect(checkChain(l, new Map())).toBeUndefined();
  });

  it('names the forgery: another key, a flipped byte, another device, an unreadable envelope', async () => {
    const impostor = await createTestDevice('d1', 'e1');
    expect(verifyWrites(writes([impostor.activity()]), 'd1', dev.signPublicKey)).toMatchObject({
      ok: false,
      failure: { code: 'forged_record', reason: expect.stringContaining('not this device') },
    });
    const doc = toWire(records[0]!) as unknown as Record<string, unknown>;
    const env = String(doc.envelope);
    const flipped = env.slice(0, 200) + (env[200] === 'A' ? 'B' : 'A') + env.slice(201);
    expect(linkOf(records[0]!.id, flipped, 'd1', dev.signPublicKey)).toMatchObject({
      ok: false,
      failure: { code: 'forged_record' },
    });
    expect(linkOf(records[0]!.id, doc.envelope, 'd2', dev.signPublicKey)).toMatchObject({
      ok: false,
      failure: { reason: expect.stringContaining('sealed by d1') },
    });
    expect(linkOf(records[0]!.id, 'not base64!', 'd1', dev.signPublicKey)).toMatchObject({
      ok: false,
      failure: { code: 'forged_record' },
    });
    expect(linkOf('d1:000000000009', doc.envelope, 'd1', dev.signPublicKey)).toMatchObject({
      ok: false,
      failure: { reason: expect.stringContaining('id disagrees') },
    });
  });

  it('refuses two different records for one seq in one batch', () => {
    const twin = sealAt(1, GENESIS_HASH);
    const r = verifyWrites(writes([records[1]!, twin]), 'd1', dev.signPublicKey);
    expect(r).toMatchObject({ ok: false, failure: { code: 'record_fork', seq: 1 } });
  });

  it('asks only for the neighbours missing from the batch, under both ids a seq may have, and each seq under its other id', () => {
    expect(neighbourIds(links(records.slice(2, 4)), 'd1').sort()).toEqual([
      'd1:000000000001',
      'd1:000000000004',
      'd1:m000000000001',
      'd1:m000000000002',
      'd1:m000000000003',
      'd1:m000000000004',
    ]);
    expect(neighbourIds(links([records[0]!]), 'd1').sort()).toEqual([
      'd1:000000000001',
      'd1:m000000000000',
      'd1:m000000000001',
    ]);
  });

  it('calls a screenshot record (media id range) for a seq stored under the numeric id a fork', () => {
    const shot = sealShotAt(4, links([records[3]!])[0]!.hash);
    expect(shot.id).toBe('d1:m000000000004');
    // as the gate does it: read what neighbourIds names, then check the chain
    const ids = new Set(neighbourIds(links([shot]), 'd1'));
    const onServer = records.slice(0, 5).filter((d) => ids.has(d.id));
    expect(checkChain(links([shot]), stored(onServer))).toMatchObject({ code: 'record_fork', seq: 4 });
  });

  it('checks the predecessor in the batch or stored, and accepts a record whose predecessor is unknown', () => {
    expect(checkChain(links([records[3]!]), stored([records[2]!]))).toBeUndefined();
    expect(checkChain(links([records[3]!]), new Map())).toBeUndefined();
    const bad = sealAt(3, new Uint8Array(32).fill(7));
    expect(checkChain(links([bad]), stored([records[2]!]))).toMatchObject({ code: 'chain_broken', seq: 3 });
    expect(checkChain(links([records[2]!, bad]), new Map())).toMatchObject({ code: 'chain_broken' });
    // seq 0 links to the genesis hash, nothing else
    expect(checkChain(links([sealAt(0, new Uint8Array(32).fill(1))]), new Map())).toMatchObject({
      code: 'chain_broken',
      seq: 0,
    });
  });

  it('checks an out-of-order arrival against its stored successor', () => {
    expect(checkChain(links([records[2]!]), stored([records[3]!]))).toBeUndefined();
    const strayNext = sealAt(3, new Uint8Array(32).fill(9));
    expect(checkChain(links([records[2]!]), stored([strayNext]))).toMatchObject({
      code: 'chain_broken',
      seq: 2,
      reason: expect.stringContaining('seq 3'),
    });
  });

  it('calls a second, different record for a stored seq a fork', () => {
    const other = sealAt(4, links([records[3]!])[0]!.hash);
    expect(checkChain(links([other]), stored([records[3]!, records[4]!]))).toMatchObject({
      code: 'record_fork',
      seq: 4,
    });
    expect(checkChain(links([records[4]!]), stored([records[3]!, records[4]!]))).toBeUndefined();
  });
});

describe('planStoredRead: the stored neighbours a batch needs, in as few reads as fit', () => {
  const id = (seq: number, media = false) => `d1:${media ? 'm' : ''}${String(seq).padStart(12, '0')}`;
  const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it("a backlog's run of seqs is one range per id family", () => {
    // a batch of seqs 10..309: n−1 and n+1 at its ends, and every seq's other id (neighbourIds)
    const ids = [id(9), id(310), ...seqs(9, 310).map((q) => id(q, true))];
    expect(planStoredRead('d1', ids)).toEqual({
      ranges: [{ from: id(9, true), to: id(310, true) }],
      keyed: [id(9), id(310)],
    });
    const dense = seqs(100, 399).map((q) => id(q));
    expect(planStoredRead('d1', dense)).toEqual({ ranges: [{ from: id(100), to: id(399) }], keyed: [] });
  });

  it('sparse ids, few ids, and ids of other shapes or devices are read by key', () => {
    const sparse = [id(1), id(1000), id(2000), id(3000), id(4000)];
    expect(planStoredRead('d1', sparse)).toEqual({ ranges: [], keyed: sparse });
    expect(planStoredRead('d1', [id(1), id(2), id(3)])).toEqual({ ranges: [], keyed: [id(1), id(2), id(3)] });
    const odd = ['d2:000000000001', 'd1:1', 'd1:x000000000001', 'd1:0000000000001', 'd10:000000000001'];
    expect(planStoredRead('d1', odd)).toEqual({ ranges: [], keyed: odd });
  });

  it('every wanted id lies inside a range or is read by key', () => {
    const ids = [...seqs(0, 40).map((q) => id(q)), id(500), ...seqs(7, 12).map((q) => id(q, true)), 'other'];
    const plan = planStoredRead('d1', ids);
    for (const x of ids)
      expect(plan.keyed.includes(x) || plan.ranges.some((r) => r.from <= x && x <= r.to), x).toBe(true);
  });
});

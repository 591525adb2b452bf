// Screenshot records' own routing class and id range (routing-class.ts,
// collections.ts recordDocId), and that records stored before it stay valid.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceSealer, EnvelopeOpener, fromBase64, initSodium, toBase64 } from '../envelope/index.js';
import {
  asCurrentRecordDoc,
  classesFor,
  encodePayload,
  recordClassOf,
  recordDocId,
  recordDocIdsOfSeq,
  recordIdRanges,
  toRecordDoc,
  validateRecordDoc,
  type RecordDoc,
  type StoredRecordDoc,
} from './index.js';

type Sodium = Awaited<ReturnType<typeof initSodium>>;
let s: Sodium;
beforeAll(async () => {
  s = await initSodium();
});

const T = Date.UTC(2026, 11, 1, 9, 0);
const shot = {
  v: 1 as const,
  takenAt: T,
  screen: 0,
  width: 1920,
  height: 1080,
  format: 'webp' as const,
  blurred: false,
  blobId: 'dev-1:000000000000',
  blobBytes: 1000,
  blobHash: 'ab'.repeat(32),
  thumb: '',
};

function sealTwo(): { attendance: RecordDoc; screenshot: RecordDoc } {
  const k = s.crypto_sign_keypair();
  const sealer = new DeviceSealer({
    deviceId: 'dev-1',
    employeeId: 'emp-1',
    signPublicKey: k.publicKey,
    signSecretKey: k.privateKey,
  });
  const to = [s.crypto_box_keypair().publicKey];
  const a = encodePayload('attendance', { v: 1, at: T, type: 'clock-in', source: 'agent' });
  const p = encodePayload('screenshot', { ...shot, thumb: toBase64(new Uint8Array(64).fill(3)) });
  if (!a.ok || !p.ok) throw new Error('encode');
  const sa = sealer.seal('attendance', a.value, to, T);
  const sp = sealer.seal('screenshot', p.value, to, T + 1000);
  if (!sa.ok || !sp.ok) throw new Error('seal');
  const da = toRecordDoc(sa.value.bytes);
  const dp = toRecordDoc(sp.value.bytes);
  if (!da.ok || !dp.ok) throw new Error('doc');
  return { attendance: da.value, screenshot: dp.value };
}

describe('the media routing class', () => {
  it('goes to the organisation and teams, never to HR', () => {
    expect(classesFor('organisation')).toContain('media');
    expect(classesFor('team')).toContain('media');
    expect(classesFor('hr')).not.toContain('media');
  });

  it('stores a new screenshot record as class media under <deviceId>:m<seq>, every other record as before', () => {
    const { attendance, screenshot } = sealTwo();
    expect(attendance).toMatchObject({ id: 'dev-1:000000000000', class: 'attendance', seq: 0 });
    expect(screenshot).toMatchObject({ id: 'dev-1:m000000000001', class: 'media', seq: 1 });
    expect(validateRecordDoc(screenshot).ok).toBe(true);
    const { id, ...wire } = screenshot;
    expect(validateRecordDoc({ ...wire, _id: id }).ok).toBe(true);
    // the id follows the signed class: the numeric form, or a class lie, is refused
    expect(validateRecordDoc({ ...wire, _id: 'dev-1:000000000001' }).ok).toBe(false);
    expect(validateRecordDoc({ ...screenshot, id: 'dev-1:000000000001' }).ok).toBe(false);
    expect(validateRecordDoc({ ...screenshot, class: 'work' }).ok).toBe(false);
    expect(validateRecordDoc({ ...attendance, id: 'dev-1:m000000000000' }).ok).toBe(false);
  });

  it("keeps a device's media ids in their own range, after all its others and apart from other devices", () => {
    const r = recordIdRanges('dev-1');
    const inRange = (id: string, x: { from: string; to: string }) => id >= x.from && id < x.to;
    for (const seq of [0, 7, 999_999_999_999]) {
      expect(inRange(recordDocId('dev-1', seq), r.main)).toBe(true);
      expect(inRange(recordDocId('dev-1', seq), r.media)).toBe(false);
      expect(inRange(recordDocId('dev-1', seq, 'media'), r.media)).toBe(true);
      expect(inRange(recordDocId('dev-1', seq, 'media'), r.main)).toBe(false);
      expect(recordDocId('dev-1', seq, 'media') > recordDocId('dev-1', 999_999_999_999)).toBe(true);
      // a device whose id extends this one's is in neither range
      expect(inRange(recordDocId('dev-10', seq), r.main) || inRange(recordDocId('dev-10', seq, 'media'), r.media)).toBe(
        false,
      );
    }
    expect(recordDocIdsOfSeq('dev-1', 5)).toEqual(['dev-1:000000000005', 'dev-1:m000000000005']);
  });
});

describe('records stored before the media class', () => {
  // sealed and stored by the code of the commit before it (see the fixture's note)
  const fixture = JSON.parse(readFileSync(new URL('./pre-media-records.fixture.json', import.meta.url), 'utf8')) as {
    signPublicKey: string;
    orgPublicKey: string;
    orgSecretKey: string;
    docs: StoredRecordDoc[];
  };
  const key = (b64: string) => {
    const r = fromBase64(b64);
    if (!r.ok) throw new Error('fixture key');
    return r.value;
  };

  it('stay valid with their numeric ids and class work (version 2) or kind (version 1)', () => {
    const shots = fixture.docs.filter((d) => d.seq === 1);
    expect(shots).toHaveLength(3);
    for (const doc of fixture.docs) {
      const v = validateRecordDoc(doc);
      expect(v.ok, `${doc.id} ${JSON.stringify(v.ok ? '' : v.error)}`).toBe(true);
      expect(doc.id).toMatch(/:\d{12}$/);
    }
    for (const doc of shots) {
      expect(recordClassOf(doc)).toBe('work');
      const current = asCurrentRecordDoc(doc);
      expect(current).toMatchObject({ id: doc.id, class: 'work' });
      expect(validateRecordDoc(current).ok).toBe(true);
    }
  });

  it('stay readable: each opens with the recipient key as a screenshot or attendance record', () => {
    const opener = new EnvelopeOpener([{ publicKey: key(fixture.orgPublicKey), secretKey: key(fixture.orgSecretKey) }]);
    const kinds = fixture.docs.map((d) => {
      const opened = opener.open(key(d.envelope), key(fixture.signPublicKey));
      if (!opened.ok) throw new Error(`${d.id}: ${opened.error.message}`);
      return opened.value.envelope.kind;
    });
    expect(kinds).toEqual(['attendance', 'screenshot', 'attendance', 'attendance', 'screenshot', 'screenshot']);
  });
});

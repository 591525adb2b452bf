import { beforeAll, describe, expect, it } from 'vitest';
import type { DevicePrincipal, PersonPrincipal } from '../auth/principal.js';
import { parseDbName, type ParsedDbName } from '../provisioning/db-names.js';
import { createTestDevice, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { toBase64 } from '@sealtime/shared';
import { checkedEnvelopeBytes, checkWrite } from './write-validation.js';

const db = (name: string): ParsedDbName => parseDbName(name)!;
const device: DevicePrincipal = { type: 'device', deviceId: 'd1', employeeId: 'e1', teamId: null };
const admin: PersonPrincipal = {
  type: 'person',
  userId: 'a',
  role: 'admin',
  teams: [],
  employeeId: null,
  sessionId: 's',
};
let dev: TestDevice;
let other: TestDevice;

beforeAll(async () => {
  dev = await createTestDevice('d1', 'e1');
  other = await createTestDevice('d2', 'e1');
});

function reason(r: ReturnType<typeof checkWrite>): string {
  return r.ok ? 'accepted' : r.reason;
}

describe('write validation', () => {
  it('accepts a sealed record in the wire form RxDB and PouchDB send', () => {
    const doc = { ...toWire(dev.activity()), _rev: '1-abc', _revisions: { start: 1, ids: ['abc'] }, _deleted: false };
    const r = checkWrite(db('st-emp-e1-records'), device, doc);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject({ docId: doc._id, deleting: false });
  });

  it.each([
    ['employeeId', (d: Record<string, unknown>) => ({ ...d, employeeId: 'e2' }), 'employeeId disagrees'],
    ['class', (d: Record<string, unknown>) => ({ ...d, class: 'attendance' }), 'class disagrees'],
    ['seq', (d: Record<string, unknown>) => ({ ...d, seq: 99 }), 'seq disagrees'],
    ['hour', (d: Record<string, unknown>) => ({ ...d, hour: Number(d.hour) + 3_600_000 }), 'hour disagrees'],
    ['a kind beside the class', (d: Record<string, unknown>) => ({ ...d, kind: 'activity-slot' }), 'unknown field'],
    ['_id', (d: Record<string, unknown>) => ({ ...d, _id: 'd1:000000000999' }), '_id disagrees'],
    ['an extra field', (d: Record<string, unknown>) => ({ ...d, note: 'hi' }), 'unknown field note'],
    [
      'a truncated envelope',
      (d: Record<string, unknown>) => ({ ...d, envelope: String(d.envelope).slice(0, -12) }),
      'envelope',
    ],
    ['a swapped envelope', (d: Record<string, unknown>) => ({ ...d, envelope: dev.activity().envelope }), 'disagrees'],
    [
      'attachments',
      (d: Record<string, unknown>) => ({ ...d, _attachments: { a: { data: 'eA' } } }),
      '_attachments is not accepted',
    ],
    ['RxDB metadata', (d: Record<string, unknown>) => ({ ...d, _meta: { lwt: 1 } }), '_meta is not accepted'],
    ['a bad _rev', (d: Record<string, unknown>) => ({ ...d, _rev: 'x' }), '_rev is malformed'],
  ])('refuses a record with tampered %s', (_what, tamper, expected) => {
    const r = checkWrite(db('st-emp-e1-records'), device, tamper(toWire(dev.activity())));
    expect(reason(r)).toContain(expected);
  });

  it('refuses records of another employee even when they are internally consistent', async () => {
    const stranger = await createTestDevice('d1', 'e2');
    expect(reason(checkWrite(db('st-emp-e1-records'), device, toWire(stranger.activity())))).toContain(
      'records of e1 only',
    );
  });

  it('refuses records sealed by another device of the same employee', () => {
    expect(reason(checkWrite(db('st-emp-e1-records'), device, toWire(other.activity())))).toContain('sealed itself');
  });

  it('needs an _id on the wire and refuses reserved ids', () => {
    const { _id: _dropped, ...noId } = toWire(dev.activity());
    expect(reason(checkWrite(db('st-emp-e1-records'), device, noId))).toContain('needs an _id');
    expect(
      reason(checkWrite(db('st-emp-e1-records'), device, { _id: '_design/x', validate_doc_update: 'function(){}' })),
    ).toContain('reserved');
    expect(reason(checkWrite(db('st-emp-e1-records'), device, [1, 2]))).toContain('JSON object');
  });

  it('marks deletions so the access rules can refuse them', () => {
    const r = checkWrite(db('st-emp-e1-records'), device, { _id: 'd1:000000000000', _rev: '1-abc', _deleted: true });
    expect(r.ok && r.value.deleting).toBe(true);
  });

  it('checks blobs against their sealed header', () => {
    const blob = toWire(dev.blob(2048));
    expect(checkWrite(db('st-emp-e1-blobs'), device, blob).ok).toBe(true);
    expect(reason(checkWrite(db('st-emp-e1-blobs'), device, { ...blob, bytes: 1 }))).toContain('bytes disagrees');
    expect(reason(checkWrite(db('st-emp-e1-blobs'), device, { ...blob, _id: 'd1:x' }))).toContain('_id disagrees');
    expect(reason(checkWrite(db('st-emp-e1-blobs'), device, toWire(other.blob(100))))).toContain('sealed itself');
  });

  it('accepts records and blobs stored before envelope version 2 (kind and createdAt in the clear), and checks them as strictly', () => {
    const old = toWire(dev.legacy('attendance'));
    expect(reason(checkWrite(db('st-emp-e1-records'), device, old))).toBe('accepted');
    expect(reason(checkWrite(db('st-emp-e1-records'), device, { ...old, kind: 'activity-slot' }))).toContain(
      'kind disagrees',
    );
    expect(reason(checkWrite(db('st-emp-e1-records'), device, { ...old, createdAt: old.createdAt + 1 }))).toContain(
      'createdAt disagrees',
    );
    // the same version 1 envelope in the new shape (the agent's schema migration writes it so)
    const { kind: _k, createdAt, ...rest } = old;
    const migrated = { ...rest, class: 'attendance', hour: Math.floor(createdAt / 3_600_000) * 3_600_000 };
    expect(reason(checkWrite(db('st-emp-e1-records'), device, migrated))).toBe('accepted');
    expect(reason(checkWrite(db('st-emp-e1-records'), device, { ...migrated, class: 'work' }))).toContain(
      'class disagrees',
    );
    // a version 2 envelope never travels in the old shape
    const v2 = toWire(dev.attendance());
    const { class: _c, hour: _h, ...bare } = v2;
    expect(
      reason(
        checkWrite(db('st-emp-e1-records'), device, { ...bare, kind: 'attendance', createdAt: 1_764_000_000_000 }),
      ),
    ).toContain('version 2');
    const blob = toWire(dev.blob(300));
    expect(reason(checkWrite(db('st-emp-e1-blobs'), device, { ...blob, hour: blob.hour + 3_600_000 }))).toContain(
      'hour disagrees',
    );
    const { hour: _bh, ...bareBlob } = blob;
    expect(reason(checkWrite(db('st-emp-e1-blobs'), device, { ...bareBlob, createdAt: blob.hour }))).toContain(
      'version 2',
    );
  });

  it('checks inbox documents and reports their type', () => {
    const good = {
      _id: 'correction-decision:1',
      type: 'correction-decision',
      target: 'e1',
      issuedAt: 5,
      doc: { signature: 'x' },
    };
    const r = checkWrite(db('st-emp-e1-inbox'), admin, good);
    expect(r.ok && r.value.docType).toBe('correction-decision');
    expect(reason(checkWrite(db('st-emp-e1-inbox'), admin, { ...good, type: 'nonsense' }))).toContain(
      'type must be one of',
    );
    expect(reason(checkWrite(db('st-emp-e1-inbox'), admin, { ...good, doc: 'x' }))).toContain('doc must be an object');
  });

  it('refuses writes into databases only the server writes', () => {
    expect(reason(checkWrite(db('st-org-records'), admin, toWire(dev.activity())))).toContain(
      'written by the server only',
    );
    expect(reason(checkWrite(db('st-audit'), admin, { _id: 'x' }))).toContain('written by the server only');
  });
});

describe('the envelope bytes a record check decoded, for the integrity check of the same request', () => {
  it('are the bytes of that very document once it passed, and nothing for a refused one', () => {
    const good = toWire(dev.activity()) as unknown as Record<string, unknown>;
    const r = checkWrite(db('st-emp-e1-records'), device, good);
    expect(r.ok).toBe(true);
    const bytes = checkedEnvelopeBytes(r.ok ? r.value.doc : {});
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(toBase64(bytes!)).toBe(good.envelope);

    const foreign = toWire(other.activity()) as unknown as Record<string, unknown>;
    const refused = checkWrite(db('st-emp-e1-records'), device, foreign);
    expect(refused.ok).toBe(false);
    expect(checkedEnvelopeBytes(foreign)).toBeUndefined();
    // a copy with the same text is another document: it is decoded by its own check
    expect(checkedEnvelopeBytes({ ...good })).toBeUndefined();
  });
});

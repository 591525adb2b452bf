import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceSealer, initSodium, toBase64, utf8 } from '../envelope/index.js';
import {
  CURRENT_VERSION,
  RECIPIENTS,
  RECORD_KINDS,
  decodePayload,
  encodePayload,
  toRecordDoc,
  validatePayload,
  validateRecordDoc,
  type PayloadByKind,
  type RecordKind,
} from './index.js';
import { createKeyring, MIN_MEM_LIMIT_BYTES, MIN_OPS_LIMIT, newPwhashParams } from '../keys/index.js';

let samples: { [K in RecordKind]: PayloadByKind[K] };

beforeAll(async () => {
  await initSodium();
  const ring = createKeyring({
    ownerId: 'org',
    role: 'organisation',
    passphrase: 'long enough passphrase',
    now: 5,
    params: newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES),
  });
  if (!ring.ok) throw new Error(ring.error.message);
  const t = 1_764_000_000_000;
  samples = {
    'activity-slot': {
      v: 2,
      start: t,
      slotSeconds: 600,
      activeSeconds: 420,
      keyPresses: 900,
      clicks: 40,
      mouseMoves: 3000,
      scrolls: 12,
      apps: [{ app: 'code', seconds: 300 }],
    },
    'app-event': { v: 1, start: t, durationMs: 65_000, app: 'code', title: 'main.ts — sealtime' },
    'idle-period': { v: 1, start: t, end: t + 600_000, cause: 'no-input', decision: 'pending' },
    screenshot: {
      v: 1,
      takenAt: t,
      screen: 0,
      width: 1920,
      height: 1080,
      format: 'webp',
      blurred: false,
      blobId: 'dev-1:blob:7',
      blobBytes: 180_000,
      blobHash: 'ab'.repeat(32),
    },
    attendance: { v: 1, at: t, type: 'clock-in', source: 'agent' },
    'correction-request': {
      v: 1,
      requestId: 'req-1',
      date: '2026-11-23',
      change: 'add',
      eventType: 'clock-out',
      at: t,
      reason: 'forgot to clock out',
    },
    'correction-decision': { v: 1, requestId: 'req-1', decision: 'approved', decidedBy: 'hr-1', decidedAt: t },
    'device-info': {
      v: 1,
      hostname: 'laptop-7',
      platform: 'linux',
      osVersion: 'Debian 13',
      agentVersion: '0.1.0',
      screens: 2,
      timeZone: 'Europe/Berlin',
    },
    policy: {
      v: 1,
      level: 'team',
      id: 'team-a',
      settings: { screenshots: { enabled: true, perHour: 6 } },
      locked: ['screenshots'],
      issuedAt: t,
    },
    keyring: { v: 1, keyring: JSON.parse(JSON.stringify(ring.value.unlocked.doc)) },
    audit: {
      v: 1,
      at: t,
      actor: 'admin-1',
      action: 'screenshot.view',
      target: 'dev-1:000000000007',
      details: { reason: 'review' },
    },
    'integrity-alert': {
      v: 1,
      at: t,
      deviceId: 'dev-1',
      issue: 'missing',
      fromSeq: 4,
      toSeq: 9,
      detail: '6 records missing',
    },
    'manual-time': {
      v: 1,
      entryId: 'm-1',
      start: t - 3_600_000,
      end: t,
      note: 'client visit',
      project: { projectId: 'p-1', taskId: 't-2' },
      approval: 'manager',
    },
  };
});

describe('record kinds', () => {
  it('covers every kind with a version, recipients and a valid sample', () => {
    expect(RECORD_KINDS.sort()).toEqual(Object.keys(samples).sort());
    for (const kind of RECORD_KINDS) {
      expect(CURRENT_VERSION[kind]).toBeGreaterThanOrEqual(1);
      expect(RECIPIENTS[kind]).toContain('organisation');
      const r = validatePayload(kind, samples[kind]);
      expect(r.ok ? 'ok' : r.message, kind).toBe('ok');
    }
    expect(RECIPIENTS.attendance).toContain('hr');
    expect(RECIPIENTS['activity-slot']).not.toContain('hr');
  });

  it.each([
    ['activity-slot', { activeSeconds: 700 }, 'cannot exceed'],
    ['activity-slot', { keyPresses: -1 }, 'at least 0'],
    ['activity-slot', { keyCodes: [65, 66] }, 'not a known field'],
    ['app-event', { app: 42 }, 'must be text'],
    ['idle-period', { end: 1 }, 'end is before start'],
    ['attendance', { type: 'lunch' }, 'must be one of'],
    ['attendance', { at: 1.5 }, 'integer'],
    ['correction-request', { change: 'move', target: undefined }, 'target'],
    ['screenshot', { blobHash: 'x'.repeat(64) }, 'format'],
    ['policy', { settings: { screenshots: { perHour: 'lots' } } }, 'policy patch'],
    ['keyring', { keyring: { type: 'keyring' } }, 'keyring'],
    ['audit', { details: { a: 1 } }, 'text'],
  ] as const)('%s rejects %j', (kind, change, message) => {
    const r = validatePayload(kind, { ...samples[kind], ...change });
    expect(r.ok ? 'accepted' : r.message).toContain(message);
  });

  it('bounds a screenshot thumbnail: base64 of at most 15 KB', () => {
    expect(validatePayload('screenshot', { ...samples.screenshot, thumb: 'UklGRg==' }).ok).toBe(true);
    expect(validatePayload('screenshot', { ...samples.screenshot, thumb: 'A'.repeat(20_480) }).ok).toBe(true);
    const tooLong = validatePayload('screenshot', { ...samples.screenshot, thumb: 'A'.repeat(20_484) });
    expect(tooLong.ok ? 'accepted' : tooLong.message).toContain('thumb is longer than 20480');
    const notBase64 = validatePayload('screenshot', { ...samples.screenshot, thumb: 'not base64!' });
    expect(notBase64.ok ? 'accepted' : notBase64.message).toContain('thumb has the wrong format');
  });

  it('never throws on hostile input', () => {
    const hostile: unknown[] = [
      null,
      undefined,
      1,
      'x',
      [],
      new Date(),
      Object.create(null),
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('boom');
          },
        },
      ),
    ];
    for (const kind of RECORD_KINDS) for (const h of hostile) expect(validatePayload(kind, h).ok).toBe(false);
    expect(validatePayload('nope' as RecordKind, {}).ok).toBe(false);
  });
});

describe('payload codec', () => {
  it('round-trips every kind through canonical bytes', () => {
    for (const kind of RECORD_KINDS) {
      const bytes = encodePayload(kind, samples[kind]);
      if (!bytes.ok) throw new Error(`${kind}: ${bytes.error.message}`);
      const back = decodePayload(kind, bytes.value);
      expect(back.ok && back.value, kind).toEqual(samples[kind]);
    }
    // key order does not change the bytes
    const a = encodePayload('attendance', { v: 1, at: 5, type: 'clock-in', source: 'agent' });
    const b = encodePayload('attendance', { source: 'agent', type: 'clock-in', at: 5, v: 1 });
    expect(a.ok && b.ok && toBase64(a.value) === toBase64(b.value)).toBe(true);
  });

  it('migrates an ActivityWatch window event (version 0) to the current app-event', () => {
    const aw = { timestamp: '2026-11-24T09:00:00.000Z', duration: 12.5, data: { app: 'firefox', title: 'Docs' } };
    const r = decodePayload('app-event', utf8(JSON.stringify(aw)));
    expect(r.ok && r.value).toEqual({
      v: 1,
      start: Date.parse('2026-11-24T09:00:00.000Z'),
      durationMs: 12_500,
      app: 'firefox',
      title: 'Docs',
    });
  });

  it('returns typed errors for malformed, oversize, future and invalid payloads', () => {
    const cases: Array<[Uint8Array, string]> = [
      [utf8('{"v":1,'), 'bad-payload'],
      [Uint8Array.of(0xff, 0xfe), 'bad-encoding'],
      [utf8('[1,2]'), 'bad-payload'],
      [utf8(JSON.stringify({ ...samples?.attendance, v: 9 })), 'bad-payload'],
      [new Uint8Array(300 * 1024), 'oversize'],
    ];
    for (const [bytes, code] of cases) {
      const r = decodePayload('attendance', bytes);
      expect(r.ok ? 'decoded' : r.error.code).toBe(code);
    }
    const future = decodePayload('attendance', utf8(JSON.stringify({ ...samples.attendance, v: 9 })));
    expect(future.ok ? '' : future.error.message).toContain('newer than this build');
  });
});

describe('record documents', () => {
  it('mirrors the signed header and refuses a doc whose clear fields lie', async () => {
    const s = await initSodium();
    const k = s.crypto_sign_keypair();
    const sealer = new DeviceSealer({
      deviceId: 'dev-1',
      employeeId: 'emp-1',
      signPublicKey: k.publicKey,
      signSecretKey: k.privateKey,
    });
    const payload = encodePayload('attendance', samples.attendance);
    if (!payload.ok) throw new Error('encode');
    const sealed = sealer.seal('attendance', payload.value, [s.crypto_box_keypair().publicKey], samples.attendance.at);
    if (!sealed.ok) throw new Error('seal');
    const doc = toRecordDoc(sealed.value.bytes);
    if (!doc.ok) throw new Error('doc');
    expect(doc.value).toMatchObject({
      id: 'dev-1:000000000000',
      deviceId: 'dev-1',
      employeeId: 'emp-1',
      class: 'attendance',
      seq: 0,
      hour: Math.floor(samples.attendance.at / 3_600_000) * 3_600_000,
    });
    expect(validateRecordDoc({ ...doc.value, _rev: '1-x' }).ok).toBe(true);
    // the CouchDB wire form carries the primary key as _id
    const { id, ...wire } = doc.value;
    expect(validateRecordDoc({ ...wire, _id: id }).ok).toBe(true);
    expect(validateRecordDoc({ ...wire, _id: 'dev-1:000000000009' }).ok).toBe(false);
    expect(validateRecordDoc(wire).ok).toBe(false);
    for (const lie of [
      { employeeId: 'emp-2' },
      { class: 'org' },
      { hour: doc.value.hour + 3_600_000 },
      { kind: 'attendance' },
      { seq: 1 },
      { id: 'dev-1:000000000001' },
      { bytes: 1 },
      { extra: true },
      { envelope: 'AAAA' },
      { envelope: 5 },
    ]) {
      const r = validateRecordDoc({ ...doc.value, ...lie });
      expect(r.ok, JSON.stringify(lie)).toBe(false);
    }
  });
});

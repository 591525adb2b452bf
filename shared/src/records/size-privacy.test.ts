// What the server can read from a stored record (issue 15, part 4): every kind,
// sealed with realistic variations, shows only its routing class, the hour and
// a size that depends on the padding bucket and the clear header alone.
// Buckets are padmé's since issue 16: what that tells more is stated below.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DeviceSealer,
  EnvelopeOpener,
  decodeEnvelope,
  encodeAad,
  encodeEnvelope,
  encodeSigned,
  initSodium,
  keyIdOf,
  paddedSize,
  signedDigest,
  utf8,
  verifyChain,
  type Sodium,
} from '../envelope/index.js';
import { contentLength, encodeContent, legacyPaddedSize } from '../envelope/sealed-content.js';
import { createKeyring, MIN_MEM_LIMIT_BYTES, MIN_OPS_LIMIT, newPwhashParams } from '../keys/index.js';
import {
  encodePayload,
  RECORD_KINDS,
  toRecordDoc,
  validateRecordDoc,
  KIND_CLASS,
  CLASS_ROLES,
  RECIPIENTS,
  type PayloadByKind,
  type RecordKind,
} from './index.js';

const HOUR = 3_600_000;
const T = 1_764_000_000_000 + 1_234_567; // not on an hour
let s: Sodium;
let variants: Array<{ kind: RecordKind; label: string; payload: PayloadByKind[RecordKind] }>;

beforeAll(async () => {
  s = await initSodium();
  const ring = createKeyring({
    ownerId: 'org',
    role: 'organisation',
    passphrase: 'long enough passphrase',
    now: 5,
    params: newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES),
  });
  if (!ring.ok) throw new Error(ring.error.message);
  const v: typeof variants = [];
  const add = <K extends RecordKind>(kind: K, label: string, payload: PayloadByKind[K]) =>
    v.push({ kind, label, payload });
  for (const type of ['clock-in', 'clock-out', 'break-start', 'break-end'] as const) {
    for (const source of ['agent', 'manual', 'kiosk', 'correction'] as const)
      add('attendance', `${type}/${source}`, { v: 1, at: T, type, source });
  }
  add('attendance', 'with note', {
    v: 1,
    at: T,
    type: 'clock-out',
    source: 'manual',
    note: 'left early for the dentist',
  });
  for (const n of [0, 1, 7, 30, 64, 120])
    add('app-event', `title ${n}`, { v: 1, start: T, durationMs: 65_000, app: 'firefox', title: 'x'.repeat(n) });
  add('app-event', 'title 400 + url', {
    v: 1,
    start: T,
    durationMs: 5,
    app: 'chromium',
    title: 'y'.repeat(400),
    url: 'https://example.org/' + 'p'.repeat(200),
  });
  add('activity-slot', 'idle slot', {
    v: 1,
    start: T,
    slotSeconds: 600,
    activeSeconds: 0,
    keyPresses: 0,
    clicks: 0,
    mouseMoves: 0,
    scrolls: 0,
  });
  add('activity-slot', 'busy slot', {
    v: 1,
    start: T,
    slotSeconds: 600,
    activeSeconds: 599,
    keyPresses: 123_456,
    clicks: 9_999,
    mouseMoves: 234_567,
    scrolls: 4_321,
  });
  for (const cause of ['no-input', 'screen-locked', 'suspended'] as const)
    add('idle-period', cause, { v: 1, start: T, end: T + 600_000, cause, decision: 'pending' });
  add('screenshot', 'blurred', {
    v: 1,
    takenAt: T,
    screen: 0,
    width: 1920,
    height: 1080,
    format: 'webp',
    blurred: true,
    blobId: 'dev-1:blob:7',
    blobBytes: 180_000,
    blobHash: 'ab'.repeat(32),
  });
  add('screenshot', 'with app', {
    v: 1,
    takenAt: T,
    screen: 1,
    width: 2560,
    height: 1440,
    format: 'jpeg',
    blurred: false,
    blobId: 'dev-1:blob:123456',
    blobBytes: 1_180_000,
    blobHash: 'cd'.repeat(32),
    app: 'code',
  });
  add('correction-request', 'add', {
    v: 1,
    requestId: 'req-1',
    date: '2026-11-23',
    change: 'add',
    eventType: 'clock-out',
    at: T,
    reason: 'forgot',
  });
  add('correction-request', 'long reason', {
    v: 1,
    requestId: 'req-2',
    date: '2026-11-23',
    change: 'add',
    eventType: 'clock-in',
    at: T,
    reason: 'r'.repeat(150),
  });
  add('correction-decision', 'approved', {
    v: 1,
    requestId: 'req-1',
    decision: 'approved',
    decidedBy: 'hr-1',
    decidedAt: T,
  });
  add('correction-decision', 'rejected', {
    v: 1,
    requestId: 'req-1',
    decision: 'rejected',
    decidedBy: 'hr-1',
    decidedAt: T,
  });
  add('device-info', 'linux', {
    v: 1,
    hostname: 'laptop-7',
    platform: 'linux',
    osVersion: 'Debian 13',
    agentVersion: '0.1.0',
    screens: 2,
    timeZone: 'Europe/Berlin',
  });
  add('policy', 'team', {
    v: 1,
    level: 'team',
    id: 'team-a',
    settings: { screenshots: { enabled: true, perHour: 6 } },
    locked: ['screenshots'],
    issuedAt: T,
  });
  add('keyring', 'org', { v: 1, keyring: JSON.parse(JSON.stringify(ring.value.unlocked.doc)) });
  add('audit', 'view', {
    v: 1,
    at: T,
    actor: 'admin-1',
    action: 'screenshot.view',
    target: 'dev-1:000000000007',
    details: { reason: 'review' },
  });
  add('integrity-alert', 'missing', {
    v: 1,
    at: T,
    deviceId: 'dev-1',
    issue: 'missing',
    fromSeq: 4,
    toSeq: 9,
    detail: '6 records missing',
  });
  variants = v;
});

function sealAll(format: 1 | 2) {
  const sign = s.crypto_sign_keypair();
  const recipients = [s.crypto_box_keypair(), s.crypto_box_keypair(), s.crypto_box_keypair()];
  const sealer = new DeviceSealer(
    { deviceId: 'dev-1', employeeId: 'emp-1', signPublicKey: sign.publicKey, signSecretKey: sign.privateKey },
    undefined,
    { format },
  );
  return variants.map((x, i) => {
    const payload = encodePayload(x.kind, x.payload);
    if (!payload.ok) throw new Error(`${x.kind} ${x.label}: ${payload.error.message}`);
    // the same recipients for every kind, so only the sealed content could make sizes differ
    const sealed = sealer.seal(
      x.kind,
      payload.value,
      recipients.map((r) => r.publicKey),
      T + i,
    );
    if (!sealed.ok) throw new Error(`${x.kind} ${x.label}: ${sealed.error.message}`);
    const doc = toRecordDoc(sealed.value.bytes);
    if (!doc.ok) throw new Error(doc.error.message);
    return {
      ...x,
      createdAt: T + i,
      plainBytes: payload.value.length,
      doc: doc.value,
      bytes: sealed.value.bytes,
      sign,
      recipients,
    };
  });
}

describe('what the server sees of a record (envelope version 2)', () => {
  it('the routing classes keep the recipient rules: kinds of one class share their reviewing roles', () => {
    for (const kind of RECORD_KINDS) {
      const reviewing = RECIPIENTS[kind].filter((r) => r !== 'employee').sort();
      expect(reviewing, kind).toEqual([...CLASS_ROLES[KIND_CLASS[kind]]].sort());
    }
  });

  it('within each size bucket every kind and variation has the same size; the clear fields hold no kind and no exact time', () => {
    const sealed = sealAll(2);
    const byBucket = new Map<number, Array<(typeof sealed)[number]>>();
    for (const r of sealed) {
      const d = decodeEnvelope(r.bytes);
      if (!d.ok) throw new Error(d.error.message);
      const e = d.value.envelope;
      const bucket = e.ciphertext.length - 16;
      expect(paddedSize(bucket), `${r.kind} ${r.label}`).toBe(bucket);
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), r]);

      // the stored document: exactly these fields, a class, a whole hour
      expect(Object.keys(r.doc).sort()).toEqual([
        'bytes',
        'class',
        'deviceId',
        'employeeId',
        'envelope',
        'hour',
        'id',
        'seq',
      ]);
      expect(r.doc.class).toBe(KIND_CLASS[r.kind]);
      expect(r.doc.hour).toBe(Math.floor(r.createdAt / HOUR) * HOUR);
      expect(r.doc.hour).not.toBe(r.createdAt);
      // the clear part of the envelope (everything but ciphertext and signature) names no kind and no ms time
      const clear = Buffer.from(d.value.aad).toString('latin1');
      if (r.kind !== r.doc.class) expect(clear.includes(r.kind), `${r.kind} in the clear header`).toBe(false);
      const ms = Buffer.alloc(8);
      ms.writeBigUInt64BE(BigInt(r.createdAt));
      expect(Buffer.from(d.value.aad).includes(ms)).toBe(false);
      expect('kind' in e || 'createdAt' in e).toBe(false);
    }
    if (process.env.PRINT_BUCKETS)
      for (const [b, rs] of byBucket)
        console.log(
          `bucket ${b}: ${rs.map((r) => `${r.kind}/${r.label} plain=${r.plainBytes} env=${r.doc.bytes}`).join('; ')}`,
        );
    // one bucket holds almost everything, including kinds of every class
    const smallest = byBucket.get(256)!;
    expect(new Set(smallest.map((r) => r.kind)).size).toBeGreaterThanOrEqual(10);
    for (const [bucket, rs] of byBucket) {
      // the size depends on the bucket and the clear header only (class label, ids, recipients)
      const sizes = new Set(rs.map((r) => r.doc.bytes - r.doc.class.length));
      expect(sizes.size, `bucket ${bucket}: ${rs.map((r) => `${r.kind}/${r.label}=${r.doc.bytes}`).join(', ')}`).toBe(
        1,
      );
    }
    // the examples from the issue: clock-in vs break-start, titles of any length up to the bucket
    const size = (kind: string, label: string) => sealed.find((r) => r.kind === kind && r.label === label)!.doc.bytes;
    expect(size('attendance', 'clock-in/agent')).toBe(size('attendance', 'break-start/agent'));
    expect(
      new Set(['title 0', 'title 1', 'title 7', 'title 30', 'title 64', 'title 120'].map((l) => size('app-event', l)))
        .size,
    ).toBe(1);
    expect(size('app-event', 'title 400 + url')).toBeGreaterThan(size('app-event', 'title 0'));

    // What the padmé buckets (issue 16) tell beyond the power-of-two ones they replaced: above 256 B the
    // content length rounded up to 1/16 of its power of two (1/32 from 64 KiB), i.e. 4-5 bits within the
    // doubling where the old buckets told only the doubling; in exchange at most 6.25 % padding, not ~100 %.
    for (const [bucket, rs] of byBucket) {
      if (bucket === 256) continue;
      for (const r of rs) {
        const used = contentLength(r.kind, r.plainBytes);
        expect(bucket, `${r.kind} ${r.label}`).toBe(paddedSize(used));
        expect(bucket / used, `${r.kind} ${r.label}`).toBeLessThanOrEqual(1.0625);
        expect(legacyPaddedSize(used) / used, `${r.kind} ${r.label}`).toBeGreaterThan(1.3);
      }
    }
    // these two shared the old 512 B bucket; now their sizes differ, as do a long title and a key ring (old 1 KiB)
    expect(size('screenshot', 'with app')).not.toBe(size('correction-request', 'long reason'));
    expect(size('app-event', 'title 400 + url')).not.toBe(size('keyring', 'org'));
  });

  it('version 1 (the old format) told kinds apart by size; version 2 does not', () => {
    const v1 = sealAll(1);
    const size = (kind: string, label: string) => v1.find((r) => r.kind === kind && r.label === label)!.bytes.length;
    expect(size('attendance', 'clock-in/agent')).not.toBe(size('attendance', 'break-start/agent'));
    expect(size('app-event', 'title 0')).not.toBe(size('app-event', 'title 30'));
  });

  it('opening returns the real kind, createdAt and payload, for version 2 and version 1 alike', () => {
    for (const format of [2, 1] as const) {
      for (const r of sealAll(format)) {
        const opener = new EnvelopeOpener([
          { publicKey: r.recipients[0]!.publicKey, secretKey: r.recipients[0]!.privateKey },
        ]);
        const opened = opener.open(r.bytes, r.sign.publicKey);
        if (!opened.ok) throw new Error(opened.error.message);
        expect(opened.value.envelope.kind).toBe(r.kind);
        expect(opened.value.envelope.createdAt).toBe(r.createdAt);
        expect(opened.value.envelope.version).toBe(format);
        expect(opened.value.payload.length).toBe(r.plainBytes);
        expect(validateRecordDoc(r.doc).ok).toBe(true);
      }
    }
  });

  it('a device chain that upgrades from version 1 to version 2 mid-way verifies end to end', () => {
    const sign = s.crypto_sign_keypair();
    const org = s.crypto_box_keypair();
    const device = {
      deviceId: 'dev-up',
      employeeId: 'emp-1',
      signPublicKey: sign.publicKey,
      signSecretKey: sign.privateKey,
    };
    const old = new DeviceSealer(device, undefined, { format: 1 });
    const envelopes: Uint8Array[] = [];
    const seal = (sealer: DeviceSealer, i: number) => {
      const r = sealer.seal('attendance', utf8(`{"i":${i}}`), [org.publicKey], T + i * 60_000);
      if (!r.ok) throw new Error(r.error.message);
      envelopes.push(r.value.bytes);
    };
    for (let i = 0; i < 3; i++) seal(old, i);
    const upgraded = new DeviceSealer(device, old.chainHead);
    for (let i = 3; i < 6; i++) seal(upgraded, i);
    const report = verifyChain(envelopes, { deviceId: 'dev-up', deviceSignPublicKey: sign.publicKey });
    expect(report).toMatchObject({ ok: true, verified: 6, issues: [], head: { seq: 5 } });
    expect(envelopes.map((e) => e[3])).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('the gateway check refuses a version 2 doc whose class or hour disagree with the signed header, or that shows a kind', () => {
    const [r] = sealAll(2).filter((x) => x.kind === 'attendance');
    const doc = r!.doc;
    expect(validateRecordDoc(doc).ok).toBe(true);
    const lies: Array<Record<string, unknown>> = [
      { class: 'work' },
      { class: 'bogus' },
      { hour: doc.hour + HOUR },
      { hour: r!.createdAt },
      { kind: 'attendance' },
      { createdAt: r!.createdAt },
    ];
    for (const lie of lies) {
      const v = validateRecordDoc({ ...doc, ...lie });
      expect(v.ok, JSON.stringify(lie)).toBe(false);
    }
    const { class: _c, hour: _h, ...rest } = doc;
    expect(validateRecordDoc({ ...rest, kind: 'attendance', createdAt: r!.createdAt }).ok).toBe(false);
  });

  it('a sealed time outside the header hour, or non-zero padding, does not open (both signed by a broken device)', () => {
    const sign = s.crypto_sign_keypair();
    const org = s.crypto_box_keypair();
    const key = s.crypto_aead_xchacha20poly1305_ietf_keygen();
    const craft = (content: Uint8Array) => {
      const header = {
        version: 2 as const,
        routingClass: 'attendance',
        deviceId: 'dev-9',
        employeeId: 'emp-9',
        seq: 0,
        hour: Math.floor(T / HOUR) * HOUR,
        signerKeyId: keyIdOf(sign.publicKey),
        epochId: new Uint8Array(16),
        prevHash: new Uint8Array(32),
        recipients: [{ keyId: keyIdOf(org.publicKey), wrappedKey: s.crypto_box_seal(key, org.publicKey) }],
      };
      const nonce = s.randombytes_buf(24);
      const aad = encodeAad(header, nonce);
      const signed = encodeSigned(aad, s.crypto_aead_xchacha20poly1305_ietf_encrypt(content, aad, null, nonce, key));
      return encodeEnvelope(signed, s.crypto_sign_detached(signedDigest(signed), sign.privateKey));
    };
    const open = (bytes: Uint8Array) => {
      const r = new EnvelopeOpener([{ publicKey: org.publicKey, secretKey: org.privateKey }]).open(
        bytes,
        sign.publicKey,
      );
      return r.ok ? `opened ${r.value.envelope.kind}` : `${r.error.code} ${String(r.error.at)}`;
    };
    const payload = utf8('{"v":1}');
    expect(open(craft(encodeContent({ kind: 'attendance', createdAt: T, payload })))).toBe('opened attendance');
    expect(open(craft(encodeContent({ kind: 'attendance', createdAt: T + HOUR, payload })))).toBe('invalid-field hour');
    const dirty = encodeContent({ kind: 'attendance', createdAt: T, payload });
    dirty[dirty.length - 1] = 1;
    expect(open(craft(dirty))).toBe('invalid-field padding');
    // an unpadded content cannot even be stored: its ciphertext length is not a bucket
    const bare = encodeContent({ kind: 'attendance', createdAt: T, payload }).subarray(
      0,
      contentLength('attendance', payload.length),
    );
    const d = decodeEnvelope(craft(bare));
    expect(d.ok ? 'decoded' : d.error.code).toBe('invalid-field');
  });
});

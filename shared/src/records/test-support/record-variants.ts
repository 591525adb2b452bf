/** Every record kind, sealed with realistic variations, for the tests of what the server sees of a record. */
import { beforeAll } from 'vitest';
import { DeviceSealer, initSodium, type Sodium } from '../../envelope/index.js';
import { createKeyring, MIN_MEM_LIMIT_BYTES, MIN_OPS_LIMIT, newPwhashParams } from '../../keys/index.js';
import { encodePayload, toRecordDoc, type PayloadByKind, type RecordKind } from '../index.js';

export const HOUR = 3_600_000;
export const T = 1_764_000_000_000 + 1_234_567; // not on an hour

export type Variant = { kind: RecordKind; label: string; payload: PayloadByKind[RecordKind] };

/** Each kind with the variations that could change its size (after initSodium). */
export function recordVariants(): Variant[] {
  const ring = createKeyring({
    ownerId: 'org',
    role: 'organisation',
    passphrase: 'long enough passphrase',
    now: 5,
    params: newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES),
  });
  if (!ring.ok) throw new Error(ring.error.message);
  const v: Variant[] = [];
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
  return v;
}

/** `variants` sealed in `format` by one device to the same three recipients, in order one millisecond apart. */
export function sealAll(s: Sodium, variants: Variant[], format: 1 | 2) {
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

/** Loads libsodium and builds the variants before the file's tests run; returns sealAll over them. */
export function sealedVariantsFixture(): (format: 1 | 2) => ReturnType<typeof sealAll> {
  let s: Sodium;
  let variants: Variant[];
  beforeAll(async () => {
    s = await initSodium();
    variants = recordVariants();
  });
  return (format) => sealAll(s, variants, format);
}

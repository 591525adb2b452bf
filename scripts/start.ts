/**
 * `npm start` — the main job on the embedded default, as far as it exists:
 * an organisation with org/team/HR/employee key rings, a device that records a
 * working day (attendance, activity slots, app events) sealed and chained into
 * its local RxDB store on LevelDB, and a reviewer who reopens the store,
 * unlocks keys with passphrases, verifies the chain and reads the day back.
 * Data lives in ./.data/start (delete it to start over; a second run appends).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import {
  DeviceSealer,
  EnvelopeOpener,
  SEALTIME_COLLECTIONS,
  RECIPIENTS,
  activePublicKeys,
  computeDay,
  createKeyring,
  decodePayload,
  encodePayload,
  fromBase64,
  initSodium,
  openerKeys,
  toRecordDoc,
  unlockKeyring,
  verifyChain,
  type AttendanceEvent,
  type BlobDoc,
  type InboxDoc,
  type KeyringDoc,
  type PayloadByKind,
  type RecordDoc,
  type RecordKind,
} from '@sealtime/shared';
import { getRxStorageLevelDB } from '@sealtime/shared/node';

type Db = RxDatabase<{ records: RxCollection<RecordDoc>; blobs: RxCollection<BlobDoc>; inbox: RxCollection<InboxDoc> }>;
const dir = join(process.cwd(), '.data', 'start');
mkdirSync(dir, { recursive: true });
const log = (msg: string) => console.log(`[sealtime] ${msg}`);

const s = await initSodium();
const PASSPHRASE = 'demo passphrase — change me';
const roles = ['organisation', 'team', 'hr', 'employee'] as const;
const rings = new Map<(typeof roles)[number], KeyringDoc>();
for (const role of roles) {
  const created = createKeyring({ ownerId: `${role}-1`, role, passphrase: PASSPHRASE, now: Date.now() });
  if (!created.ok) throw new Error(created.error.message);
  rings.set(role, created.value.unlocked.doc);
  log(`${role} key ring created (recovery key for the paper: ${created.value.recoveryKey.text.slice(0, 11)}…)`);
}

const deviceKey = s.crypto_sign_keypair();
const device = { deviceId: 'laptop-7', employeeId: 'emp-7', signPublicKey: deviceKey.publicKey, signSecretKey: deviceKey.privateKey };
const sealer = new DeviceSealer(device);
const recipientsFor = (kind: RecordKind) => RECIPIENTS[kind].map((role) => activePublicKeys(rings.get(role)!)!.boxPublicKey);

const db = (await createRxDatabase({ name: 'agent', storage: getRxStorageLevelDB({ directory: dir }), multiInstance: false })) as unknown as Db;
await db.addCollections(SEALTIME_COLLECTIONS);
await db.records.find({ selector: { deviceId: device.deviceId } }).remove(); // a fresh device key starts a fresh chain

async function record<K extends RecordKind>(kind: K, payload: PayloadByKind[K], at: number): Promise<void> {
  const bytes = encodePayload(kind, payload);
  if (!bytes.ok) throw new Error(bytes.error.message);
  const sealed = sealer.seal(kind, bytes.value, recipientsFor(kind), at);
  if (!sealed.ok) throw new Error(sealed.error.message);
  const doc = toRecordDoc(sealed.value.bytes);
  if (!doc.ok) throw new Error(doc.error.message);
  await db.records.insert(doc.value); // durable before the next capture
}

// a working day in Berlin: 09:05 in, 12:30–13:00 break, 17:40 out
const day = '2026-11-24';
const at = (hhmm: string) => Date.parse(`${day}T${hhmm}:00+01:00`);
const events: Array<[string, PayloadByKind['attendance']['type']]> = [['09:05', 'clock-in'], ['12:30', 'break-start'], ['13:00', 'break-end'], ['17:40', 'clock-out']];
for (const [time, type] of events) await record('attendance', { v: 1, at: at(time), type, source: 'agent' }, at(time));
for (let m = 0; m < 60; m += 10) {
  const start = at('10:00') + m * 60_000;
  await record('activity-slot', { v: 1, start, slotSeconds: 600, activeSeconds: 300 + m * 5, keyPresses: 800 + m, clicks: 40, mouseMoves: 2500, scrolls: 30 }, start + 600_000);
  await record('app-event', { v: 1, start, durationMs: 600_000, app: m < 30 ? 'code' : 'firefox' }, start + 600_000);
}
log(`device ${device.deviceId} sealed ${sealer.chainHead.nextSeq} records into ${dir}`);
await db.close();

// the reviewer's side: reopen, unlock with passphrases, verify, decrypt
const review = (await createRxDatabase({ name: 'agent', storage: getRxStorageLevelDB({ directory: dir }), multiInstance: false })) as unknown as Db;
await review.addCollections(SEALTIME_COLLECTIONS);
const docs = await review.records.find({ selector: { deviceId: device.deviceId }, sort: [{ id: 'asc' }] }).exec();
const envelopes = docs.map((d) => {
  const b = fromBase64(d.envelope);
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
});
const chain = verifyChain(envelopes, { deviceId: device.deviceId, deviceSignPublicKey: device.signPublicKey });
log(`chain of ${envelopes.length} records: ${chain.ok ? 'intact' : JSON.stringify(chain.issues)}`);

for (const role of ['hr', 'team'] as const) {
  const unlocked = unlockKeyring(rings.get(role), PASSPHRASE);
  if (!unlocked.ok) throw new Error(unlocked.error.message);
  const opener = new EnvelopeOpener(openerKeys(unlocked.value));
  const readable = new Map<string, number>();
  const attendance: AttendanceEvent[] = [];
  let activeSeconds = 0;
  let slotSeconds = 0;
  for (const bytes of envelopes) {
    const opened = opener.open(bytes, device.signPublicKey);
    if (!opened.ok) continue;
    const kind = opened.value.envelope.kind as RecordKind;
    readable.set(kind, (readable.get(kind) ?? 0) + 1);
    if (kind === 'attendance') {
      const p = decodePayload('attendance', opened.value.payload);
      if (p.ok) attendance.push({ at: p.value.at, type: p.value.type, source: p.value.source });
    }
    if (kind === 'activity-slot') {
      const p = decodePayload('activity-slot', opened.value.payload);
      if (p.ok) {
        activeSeconds += p.value.activeSeconds;
        slotSeconds += p.value.slotSeconds;
      }
    }
  }
  log(`${role} key can read: ${[...readable].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing'}`);
  if (attendance.length > 0) {
    const schedule = { timeZone: 'Europe/Berlin', days: { 2: { start: '09:00', end: '17:00' } }, graceMinutes: 0 };
    const d = computeDay(attendance, schedule, day);
    const h = (ms: number) => `${(ms / 3_600_000).toFixed(2)} h`;
    log(`${day}: worked ${h(d.workedMs)}, breaks ${h(d.breakMs)}, late ${Math.round(d.lateMs / 60_000)} min, overtime ${h(d.overtimeMs)}`);
  }
  if (slotSeconds > 0) log(`activity 10:00–11:00: ${Math.round((activeSeconds / slotSeconds) * 100)} %`);
}
await review.close();
log('done — the sync-server and agent shells will join this run as they land');

/**
 * Real sealed records for tests: a device with its own signing key seals
 * payloads to an organisation key with the shared DeviceSealer, and the
 * results are the documents an agent would replicate.
 */
import { randomBytes } from 'node:crypto';
import {
  DeviceSealer,
  encodePayload,
  initSodium,
  recordDocId,
  toBase64,
  toRecordDoc,
  type BlobDoc,
  type LegacyRecordDoc,
  type RecordDoc,
  type Sodium,
} from '@sealtime/shared';

export interface TestDevice {
  readonly deviceId: string;
  readonly employeeId: string;
  readonly signPublicKey: Uint8Array;
  /** signPublicKey as enrollment takes and stores it (base64url). */
  readonly signPublicKeyText: string;
  readonly orgKeyPair: { publicKey: Uint8Array; privateKey: Uint8Array };
  /** An activity-slot record (seq advances with each call). */
  activity(createdAt?: number): RecordDoc;
  /** An attendance record (routed to HR as well). */
  attendance(createdAt?: number): RecordDoc;
  /** A sealed screenshot image of about `size` bytes. */
  blob(size?: number, createdAt?: number): BlobDoc;
  /** As an agent before envelope version 2 wrote it: a v1 envelope, kind and createdAt in the clear (same chain). */
  legacy(kind: 'activity-slot' | 'attendance', createdAt?: number): LegacyRecordDoc;
}

let sodium: Sodium | null = null;

/**
 * A device signing key pair derived from a label: lets a test (or the bench)
 * enroll the public key before the device that will use it exists.
 */
export async function testSignKeyPair(
  label: string,
): Promise<{ publicKey: Uint8Array; privateKey: Uint8Array; publicKeyText: string }> {
  const s = (sodium ??= await initSodium());
  const pair = s.crypto_sign_seed_keypair(
    s.crypto_generichash(32, new TextEncoder().encode(`sealtime test device key: ${label}`), null),
  );
  return {
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    publicKeyText: Buffer.from(pair.publicKey).toString('base64url'),
  };
}

export interface TestDeviceOptions {
  /** Derive the signing key from this label (testSignKeyPair) instead of a fresh random one. */
  signKeyLabel?: string;
}

export async function createTestDevice(
  deviceId: string,
  employeeId: string,
  opts: TestDeviceOptions = {},
): Promise<TestDevice> {
  const s = (sodium ??= await initSodium());
  const sign = opts.signKeyLabel !== undefined ? await testSignKeyPair(opts.signKeyLabel) : s.crypto_sign_keypair();
  const org = s.crypto_box_keypair();
  const identity = { deviceId, employeeId, signPublicKey: sign.publicKey, signSecretKey: sign.privateKey };
  let sealer = new DeviceSealer(identity);
  let clock = 1_764_000_000_000;

  function seal(kind: Parameters<DeviceSealer['seal']>[0], payload: Uint8Array, createdAt: number): Uint8Array {
    const sealed = sealer.seal(kind, payload, [org.publicKey], createdAt);
    if (!sealed.ok) throw new Error(sealed.error.message);
    return sealed.value.bytes;
  }
  function record(bytes: Uint8Array): RecordDoc {
    const doc = toRecordDoc(bytes);
    if (!doc.ok) throw new Error(doc.error.message);
    return doc.value;
  }
  const next = (at?: number): number => at ?? (clock += 60_000);

  return {
    deviceId,
    employeeId,
    signPublicKey: sign.publicKey,
    signPublicKeyText: Buffer.from(sign.publicKey).toString('base64url'),
    orgKeyPair: { publicKey: org.publicKey, privateKey: org.privateKey },
    activity(createdAt) {
      const at = next(createdAt);
      const p = encodePayload('activity-slot', {
        v: 1,
        start: at,
        slotSeconds: 60,
        activeSeconds: 30,
        keyPresses: 12,
        clicks: 3,
        mouseMoves: 40,
        scrolls: 1,
      });
      if (!p.ok) throw new Error(p.error.message);
      return record(seal('activity-slot', p.value, at));
    },
    attendance(createdAt) {
      const at = next(createdAt);
      const p = encodePayload('attendance', { v: 1, at, type: 'clock-in', source: 'agent' });
      if (!p.ok) throw new Error(p.error.message);
      return record(seal('attendance', p.value, at));
    },
    blob(size = 4096, createdAt) {
      const at = next(createdAt);
      // node's generator: libsodium's randombytes in WebAssembly takes seconds per megabyte
      const bytes = seal('screenshot', new Uint8Array(randomBytes(size)), at);
      const header = record(bytes); // same header fields as a record
      return {
        id: recordDocId(deviceId, header.seq),
        deviceId,
        employeeId,
        hour: header.hour,
        envelope: toBase64(bytes),
        bytes: bytes.length,
      };
    },
    legacy(kind, createdAt) {
      const at = next(createdAt);
      const p =
        kind === 'attendance'
          ? encodePayload('attendance', { v: 1, at, type: 'clock-in', source: 'agent' })
          : encodePayload('activity-slot', {
              v: 1,
              start: at,
              slotSeconds: 60,
              activeSeconds: 30,
              keyPresses: 12,
              clicks: 3,
              mouseMoves: 40,
              scrolls: 1,
            });
      if (!p.ok) throw new Error(p.error.message);
      const old = new DeviceSealer(identity, sealer.chainHead, { format: 1 });
      const sealed = old.seal(kind, p.value, [org.publicKey], at);
      if (!sealed.ok) throw new Error(sealed.error.message);
      sealer = new DeviceSealer(identity, old.chainHead);
      const bytes = sealed.value.bytes;
      return {
        id: recordDocId(deviceId, sealed.value.seq),
        deviceId,
        employeeId,
        kind,
        seq: sealed.value.seq,
        createdAt: at,
        envelope: toBase64(bytes),
        bytes: bytes.length,
      };
    },
  };
}

/** The CouchDB wire form of a record or blob (primary key as _id), as RxDB's replication sends it. */
export function toWire<T extends { id: string }>(doc: T): Omit<T, 'id'> & { _id: string } {
  const { id, ...rest } = doc;
  return { _id: id, ...rest };
}

/**
 * The recorder's sealing steps as plain functions: payload → canonical bytes
 * → envelope sealed to the kind's recipients → the stored document. The
 * recorder calls them inside its write slot; test fixtures and benches call
 * them to produce exactly what a device stores, without a device store.
 *
 * They advance the sealer's chain on success. A caller that then fails to
 * store the document must rewind (a fresh DeviceSealer from the head before),
 * as the recorder does.
 */
import {
  encodePayload,
  hourOf,
  toBase64,
  toHex,
  toRecordDoc,
  type BlobDoc,
  type DeviceIdentity,
  type DeviceSealer,
  type PayloadByKind,
  type RecordDoc,
  type RecordKind,
  type ScreenshotPayload,
} from '@sealtime/shared';
import { blobDocId } from '../store/ids.js';
import { recipientKeysFor, type RecipientDirectory } from './recipients.js';
import { recorderFail, type RecorderResult } from './recorder-errors.js';

export const IMAGE_KIND = 'screenshot-image';

export interface SealedRecordDoc {
  doc: RecordDoc;
  seq: number;
  /** Chain hash (hex): the next record's prevHash. */
  hash: string;
}

export interface SealedBlobDoc {
  blob: BlobDoc;
  seq: number;
  /** When it was taken (the blob document shows only the hour). */
  createdAt: number;
  /** Chain hash (hex) of the image envelope: the metadata record's blobHash. */
  hash: string;
}

/** Seals one payload into a record document (the chain advances only on success). */
export function sealRecordDoc<K extends RecordKind>(
  sealer: DeviceSealer,
  recipients: RecipientDirectory,
  kind: K,
  payload: PayloadByKind[K],
  createdAt: number,
): RecorderResult<SealedRecordDoc> {
  const encoded = encodePayload(kind, payload);
  if (!encoded.ok) return recorderFail('bad-payload', encoded.error.message);
  const keys = recipientKeysFor(recipients, kind);
  if (!keys.ok) return recorderFail('no-recipients', keys.message);
  const sealed = sealer.seal(kind, encoded.value, keys.keys, createdAt);
  if (!sealed.ok) return recorderFail('seal-failed', `${kind}: ${sealed.error.message}`);
  const doc = toRecordDoc(sealed.value.bytes);
  if (!doc.ok) return recorderFail('seal-failed', `${kind}: ${doc.error.message}`);
  return { ok: true, value: { doc: doc.value, seq: sealed.value.seq, hash: toHex(sealed.value.hash) } };
}

/** Seals a screenshot image on the image chain into a blob document. */
export function sealImageBlob(
  imageSealer: DeviceSealer,
  device: Pick<DeviceIdentity, 'deviceId' | 'employeeId'>,
  recipients: RecipientDirectory,
  image: Uint8Array,
  createdAt: number,
): RecorderResult<SealedBlobDoc> {
  if (!(image instanceof Uint8Array) || image.length === 0)
    return recorderFail('bad-payload', 'screenshot: the image is empty');
  const keys = recipientKeysFor(recipients, 'screenshot');
  if (!keys.ok) return recorderFail('no-recipients', keys.message);
  const sealed = imageSealer.seal(IMAGE_KIND, image, keys.keys, createdAt);
  if (!sealed.ok)
    return recorderFail(
      sealed.error.code === 'oversize' ? 'bad-payload' : 'seal-failed',
      `screenshot image: ${sealed.error.message}`,
    );
  const blob: BlobDoc = {
    id: blobDocId(device.deviceId, sealed.value.seq),
    deviceId: device.deviceId,
    employeeId: device.employeeId,
    hour: hourOf(createdAt),
    envelope: toBase64(sealed.value.bytes),
    bytes: sealed.value.bytes.length,
  };
  return { ok: true, value: { blob, seq: sealed.value.seq, createdAt, hash: toHex(sealed.value.hash) } };
}

export type ScreenshotMeta = Omit<ScreenshotPayload, 'v' | 'blobId' | 'blobBytes' | 'blobHash' | 'takenAt'> & {
  takenAt?: number;
};

/** The metadata record's payload that binds a stored image (its id, size and chain hash). */
export function screenshotPayload(meta: ScreenshotMeta, image: SealedBlobDoc): ScreenshotPayload {
  const { takenAt, ...rest } = meta;
  return {
    ...rest,
    v: 1,
    takenAt: takenAt ?? image.createdAt,
    blobId: image.blob.id,
    blobBytes: image.blob.bytes,
    blobHash: image.hash,
  };
}

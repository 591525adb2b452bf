/**
 * One device's plan sealed with the recorder's own sealing functions: a main
 * chain of records and an image chain of blobs (each screenshot's image is
 * sealed first and its metadata record names it), handed on in batches so a
 * caller can push them and let them go. Record time is the planned time; the
 * payloads are the plan's (deterministic), the ciphertext is not (fresh data
 * keys and nonces, as on a device). Each record's kind and time travel beside
 * its doc: a version 2 doc shows only the routing class and the hour.
 */
import { DeviceSealer, type BlobDoc, type RecordDoc, type RecordKind } from '@sealtime/shared';
import { sealImageBlob, sealRecordDoc, screenshotPayload } from '@sealtime/agent/src/recorder/record-sealing.js';
import { StaticRecipientDirectory, type RecipientDirectory } from '@sealtime/agent/src/recorder/recipients.js';
import type { OrgPlan, PersonPlan, DevicePlan } from './org-plan.js';
import { planDevice } from './day-plan.js';
import type { ScreenPool } from './screen-images.js';

/** A sealed record doc with what the sealer knew and the doc no longer shows. */
export interface SealedRecord {
  doc: RecordDoc;
  kind: RecordKind;
  createdAt: number;
}

export interface SealedBatch {
  records: SealedRecord[];
  /** The images the batch's screenshot records name (sealed before them). */
  blobs: BlobDoc[];
}

/** Box public keys of the roles a record may be sealed to, as the device's recipients document lists them. */
export interface RecipientKeys {
  organisation: Uint8Array;
  hr: Uint8Array;
  team: Uint8Array;
  employee: Uint8Array;
}

export function recipientDirectory(keys: RecipientKeys): RecipientDirectory {
  return new StaticRecipientDirectory({
    organisation: keys.organisation,
    hr: keys.hr,
    team: keys.team,
    employee: keys.employee,
  });
}

export interface SealDeviceInput {
  org: OrgPlan;
  person: PersonPlan;
  device: DevicePlan;
  deviceId: string;
  recipients: RecipientDirectory;
  pool: ScreenPool;
  /** Records per batch (default 500). */
  batchSize?: number;
}

export async function* sealDevice(input: SealDeviceInput): AsyncGenerator<SealedBatch> {
  const { org, person, device, deviceId, recipients, pool } = input;
  const identity = {
    deviceId,
    employeeId: person.employeeId,
    signPublicKey: device.signPublicKey,
    signSecretKey: device.signSecretKey,
  };
  const sealer = new DeviceSealer(identity);
  const imageSealer = new DeviceSealer(identity);
  const batchSize = input.batchSize ?? 500;
  let batch: SealedBatch = { records: [], blobs: [] };
  const fail = (what: string, message: string): never => {
    throw new Error(`sealing ${what} for ${deviceId} (${person.employeeId}) failed: ${message}`);
  };
  for (const item of planDevice(org, person, device, deviceId)) {
    if (item.type === 'screenshot') {
      const img = await pool.get(item.image);
      const blob = sealImageBlob(imageSealer, identity, recipients, img.image, item.createdAt);
      if (!blob.ok) fail('a screenshot image', blob.error.message);
      const sealedBlob = blob.ok ? blob.value : undefined!;
      const rec = sealRecordDoc(
        sealer,
        recipients,
        'screenshot',
        screenshotPayload({ ...item.meta, width: img.width, height: img.height, thumb: img.thumb }, sealedBlob),
        item.createdAt,
      );
      if (!rec.ok) fail('a screenshot record', rec.error.message);
      batch.blobs.push(sealedBlob.blob);
      if (rec.ok) batch.records.push({ doc: rec.value.doc, kind: 'screenshot', createdAt: item.createdAt });
    } else {
      const rec = sealRecordDoc(sealer, recipients, item.kind, item.payload as never, item.createdAt);
      if (!rec.ok) fail(`a ${item.kind} record`, rec.error.message);
      if (rec.ok) batch.records.push({ doc: rec.value.doc, kind: item.kind, createdAt: item.createdAt });
    }
    if (batch.records.length >= batchSize) {
      yield batch;
      batch = { records: [], blobs: [] };
    }
  }
  if (batch.records.length > 0) yield batch;
  sealer.endEpochs();
  imageSealer.endEpochs();
}

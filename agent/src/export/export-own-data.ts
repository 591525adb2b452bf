/**
 * The privacy centre's export: everything this device recorded about the
 * employee, decrypted with the employee's own key, as JSON — each record's
 * kind, seq, time and payload, the chain verification report over all of
 * them, and for screenshots whether the stored image matches the hash its
 * record names (optionally the image itself).
 */
import type { CorrectionDecisionPayload } from '@sealtime/shared';
import { open as openFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  EnvelopeOpener,
  decodePayload,
  fromBase64,
  initSodium,
  isRecordKind,
  toHex,
  verifyChain,
  verifyEnvelope,
  type BoxKeyPair,
  type ChainReport,
  type RecordDoc,
} from '@sealtime/shared';
import type { AgentStore } from '../store/agent-store.js';

export interface ExportOptions {
  store: AgentStore;
  device: { deviceId: string; signPublicKey: Uint8Array };
  /** The employee's unlocked key pair(s) (all generations after a rotation). */
  keyPairs: readonly BoxKeyPair[];
  /** Put the decrypted screenshot images in the export (base64). Default false. */
  includeImages?: ImageInclusion;
  now?: number;
}

/**
 * Which screenshots' images to decrypt into the export: none, all, or only
 * the newest n (the privacy centre shows recent ones full size without
 * holding months of images in memory at once).
 */
export type ImageInclusion = boolean | { newest: number };

export interface ExportedImage {
  blobId: string;
  /** The stored image's envelope hash equals the blobHash its record names, and its signature verifies. */
  verified: boolean;
  problem?: string;
  /** base64 of the image bytes, when includeImages */
  data?: string;
}

export interface ExportedRecord {
  seq: number;
  /** The sealed kind; the routing class (`class:<name>`) when the record does not open. */
  kind: string;
  /** The sealed time; the stored hour when the record does not open. */
  createdAt: number;
  payload?: unknown;
  /** Why the payload is absent (e.g. a kind the employee's key is not a recipient of). */
  error?: { code: string; message: string };
  image?: ExportedImage;
}

export interface OwnDataExport {
  /** Verified decisions on the employee's manual time entries (the running agent adds them; a file export may not). */
  manualDecisions?: CorrectionDecisionPayload[];
  format: 'sealtime-own-data-export';
  v: 1;
  exportedAt: number;
  deviceId: string;
  employeeId: string | null;
  records: ExportedRecord[];
  chain: ChainReport;
  summary: {
    records: number;
    readable: number;
    byKind: Record<string, number>;
    images: number;
    imagesVerified: number;
  };
}

const PAGE = 500;

export async function exportOwnData(options: ExportOptions): Promise<OwnDataExport> {
  await initSodium();
  const { store, device } = options;
  const opener = new EnvelopeOpener(options.keyPairs);
  const envelopes: Uint8Array[] = [];
  const records: ExportedRecord[] = [];
  const byKind: Record<string, number> = {};
  let employeeId: string | null = null;
  let readable = 0;
  let images = 0;
  let imagesVerified = 0;
  const include = options.includeImages ?? false;
  // the newest n: known only after the walk, so images are decrypted in a second pass
  const screenshots: Array<{ out: ExportedRecord; blobHash: string }> = [];

  for (let after = -1; ;) {
    const page: RecordDoc[] = (
      await store.records
        .find({
          selector: { deviceId: device.deviceId, seq: { $gt: after } },
          sort: [{ deviceId: 'asc' }, { seq: 'asc' }],
          limit: PAGE,
        })
        .exec()
    ).map((d) => d.toJSON() as RecordDoc);
    for (const doc of page) {
      employeeId ??= doc.employeeId;
      // a record that does not open shows only what the server sees: its class and hour
      const out: ExportedRecord = { seq: doc.seq, kind: `class:${doc.class}`, createdAt: doc.hour };
      records.push(out);
      const bytes = fromBase64(doc.envelope);
      if (!bytes.ok) {
        out.error = { code: bytes.error.code, message: bytes.error.message };
        continue;
      }
      envelopes.push(bytes.value);
      const opened = opener.open(bytes.value, device.signPublicKey);
      if (!opened.ok) {
        out.error = { code: opened.error.code, message: opened.error.message };
        continue;
      }
      const kind = opened.value.envelope.kind;
      out.kind = kind;
      out.createdAt = opened.value.envelope.createdAt;
      if (!isRecordKind(kind)) {
        out.error = { code: 'bad-payload', message: `unknown record kind ${kind}` };
        continue;
      }
      const payload = decodePayload(kind, opened.value.payload);
      if (!payload.ok) {
        out.error = { code: payload.error.code, message: payload.error.message };
        continue;
      }
      out.payload = payload.value;
      readable++;
      if (kind === 'screenshot') {
        images++;
        const p = payload.value as { blobId: string; blobHash: string };
        out.image = await exportImage(store, opener, device.signPublicKey, p.blobId, p.blobHash, include === true);
        if (out.image.verified) imagesVerified++;
        screenshots.push({ out, blobHash: p.blobHash });
      }
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }

  if (typeof include === 'object') {
    for (const { out, blobHash } of screenshots.slice(-Math.max(0, include.newest))) {
      if (out.image?.verified)
        out.image = await exportImage(store, opener, device.signPublicKey, out.image.blobId, blobHash, true);
    }
  }

  for (const r of records) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  const chain = verifyChain(envelopes, { deviceId: device.deviceId, deviceSignPublicKey: device.signPublicKey });
  return {
    format: 'sealtime-own-data-export',
    v: 1,
    exportedAt: options.now ?? Date.now(),
    deviceId: device.deviceId,
    employeeId,
    records,
    chain,
    summary: { records: records.length, readable, byKind, images, imagesVerified },
  };
}

async function exportImage(
  store: AgentStore,
  opener: EnvelopeOpener,
  signPublicKey: Uint8Array,
  blobId: string,
  blobHash: string,
  include: boolean,
): Promise<ExportedImage> {
  const blob = await store.blobs.findOne(blobId).exec();
  if (!blob) return { blobId, verified: false, problem: 'the image is not stored on this device' };
  const bytes = fromBase64(blob.envelope);
  if (!bytes.ok)
    return { blobId, verified: false, problem: `the stored image is not valid base64url: ${bytes.error.message}` };
  const v = verifyEnvelope(bytes.value, signPublicKey);
  if (!v.ok) return { blobId, verified: false, problem: v.error.message };
  if (toHex(v.value.hash) !== blobHash)
    return { blobId, verified: false, problem: 'the stored image is not the one its record names' };
  const out: ExportedImage = { blobId, verified: true };
  if (include) {
    const opened = opener.decrypt(v.value);
    if (opened.ok) out.data = Buffer.from(opened.value.payload).toString('base64');
    else out.problem = opened.error.message;
  }
  return out;
}

/** Writes the export as JSON readable only by the user (it is personal data in the clear). */
export async function writeOwnDataExport(path: string, data: OwnDataExport): Promise<void> {
  const tmp = join(dirname(path), `.${process.pid}-${Date.now()}.export.tmp`);
  const fh = await openFile(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(JSON.stringify(data, null, 2) + '\n', 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

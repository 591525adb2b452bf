/**
 * Screenshot images for the renderer. The renderer asks for a one-time token
 * URL; fetching it once yields the decrypted image, held in memory only.
 * The sealed image comes from the employee's blobs database through the
 * gateway on first use and is cached *sealed* in the replica (an LRU under a
 * byte budget); it is verified (device signature, and the chain hash the
 * screenshot record names) before it is shown.
 */
import { randomBytes } from 'node:crypto';
import { fromBase64, toHex, type EnvelopeOpener, type ScreenshotPayload } from '@sealtime/shared';
import type { ServerClient } from '../admin/server-client.js';
import { apiError } from './core-errors.js';
import type { DeviceKeys } from './record-opening.js';
import type { ImageDoc, ReplicaStore } from './replica-store.js';

export interface ImageRequest {
  recordId: string;
  employeeId: string;
  deviceId: string;
  size: 'thumb' | 'full';
  payload: ScreenshotPayload;
}

export interface ServedImage {
  bytes: Uint8Array;
  contentType: string;
}

const TOKEN_TTL_MS = 60_000;
const MIME: Record<ScreenshotPayload['format'], string> = { webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' };

export class ImageService {
  private readonly tokens = new Map<string, ImageRequest & { expiresAt: number }>();

  constructor(
    private readonly deps: {
      store: ReplicaStore;
      client: () => ServerClient;
      opener: () => EnvelopeOpener;
      deviceKeys: (employeeId: string) => DeviceKeys;
      budgetBytes: number;
      now?: () => number;
    },
  ) {}

  /** A URL path good for one fetch within a minute. */
  issue(req: ImageRequest): string {
    const now = (this.deps.now ?? Date.now)();
    for (const [t, v] of this.tokens) if (v.expiresAt < now) this.tokens.delete(t);
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { ...req, expiresAt: now + TOKEN_TTL_MS });
    return `/img/${token}`;
  }

  /** Spends the token: a second use (or an unknown token) is 'not-found'. */
  async take(token: string): Promise<ServedImage> {
    const req = this.tokens.get(token);
    this.tokens.delete(token);
    if (!req || req.expiresAt < (this.deps.now ?? Date.now)()) throw apiError('not-found', 'this image link was used already or has expired');
    // the thumbnail travels sealed inside the (already verified and opened) record
    const thumb = (req.payload as { thumb?: unknown }).thumb;
    if (req.size === 'thumb' && typeof thumb === 'string') {
      const m = /^data:(image\/[a-z]+);base64,(.*)$/.exec(thumb);
      return { bytes: Uint8Array.from(Buffer.from(m ? m[2]! : thumb, 'base64')), contentType: m ? m[1]! : 'image/webp' };
    }
    const sealed = await this.sealed(req);
    const devKey = this.deps.deviceKeys(req.employeeId)?.get(req.deviceId);
    if (!devKey) throw apiError('integrity', `the image of ${req.recordId} cannot be verified: device ${req.deviceId} is unknown to this role`);
    const opened = this.deps.opener().open(sealed, devKey);
    if (!opened.ok) throw apiError(opened.error.code === 'not-a-recipient' ? 'forbidden' : 'integrity', `the image of ${req.recordId} does not open: ${opened.error.message}`);
    // the record names the image by its chain hash: a swapped image fails here
    if (toHex(opened.value.hash) !== req.payload.blobHash) throw apiError('integrity', `the image of ${req.recordId} is not the one its record names`);
    return { bytes: opened.value.payload, contentType: MIME[req.payload.format] ?? 'application/octet-stream' };
  }

  private async sealed(req: ImageRequest): Promise<Uint8Array> {
    const images = this.deps.store.db.images;
    const now = (this.deps.now ?? Date.now)();
    const cached = await images.findOne(req.recordId).exec();
    let envelope: string;
    if (cached) {
      envelope = cached.envelope;
      await cached.incrementalPatch({ lastUsedAt: now });
    } else {
      const doc = await this.deps.client().getDoc<{ envelope?: unknown }>(`st-emp-${req.employeeId}-blobs`, req.payload.blobId);
      if (!doc || typeof doc.envelope !== 'string') throw apiError('not-found', `the image of ${req.recordId} is not on the server (yet)`);
      envelope = doc.envelope;
      await images.upsert({ id: req.recordId, envelope, bytes: envelope.length, lastUsedAt: now } satisfies ImageDoc);
      await this.evict();
    }
    const bytes = fromBase64(envelope);
    if (!bytes.ok) throw apiError('integrity', `the stored image of ${req.recordId} is not readable`);
    return bytes.value;
  }

  /** Least recently used first, until the cache fits its budget. */
  private async evict(): Promise<void> {
    const all = await this.deps.store.db.images.find({ sort: [{ lastUsedAt: 'asc' }] }).exec();
    let total = all.reduce((n, d) => n + d.bytes, 0);
    for (const d of all) {
      if (total <= this.deps.budgetBytes) break;
      total -= d.bytes;
      await d.remove();
    }
  }
}

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
import type { ServerClient } from '../admin/node/server-client.js';
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
/**
 * Links handed out with view data (a day's thumbnails and full images), so
 * the renderer needs no request to show one. A view names an image by one
 * stable URL: a thumbnail's serves any number of times (the views show it
 * again and again); a full image's serves once, like a token from issue(),
 * and the next naming gets a new one. Both end 15 minutes after a view last
 * named them (the renderer's idle lock comes first), and at lock. At most
 * MAX_LINKS, the least recently named dropped first.
 */
const LINK_TTL_MS = 15 * 60_000;
const MAX_LINKS = 4096;
/** Sealed images also kept in memory (most recently opened): a second look skips LevelDB and base64. */
const MEMORY_BUDGET_BYTES = 32 * 1024 * 1024;
/**
 * Opened (decrypted, verified) full images kept in memory, most recently
 * shown last: reopening a screenshot skips the signature check and the
 * decryption. Memory only, never written anywhere; dropped on lock.
 */
const OPENED_BUDGET_BYTES = 48 * 1024 * 1024;
const MIME: Record<ScreenshotPayload['format'], string> = { webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' };

export class ImageService {
  private readonly tokens = new Map<string, ImageRequest & { expiresAt: number }>();
  /** Reusable view links: token → request, least recently named first; and (size, record) → its token. */
  private readonly links = new Map<string, ImageRequest & { expiresAt: number }>();
  private readonly linkOf = new Map<string, string>();
  /** recordId → sealed bytes, oldest use first (Map order). */
  private readonly memory = new Map<string, Uint8Array>();
  private memoryBytes = 0;
  /** recordId → opened image bytes and their content type, oldest use first. */
  private readonly opened = new Map<string, ServedImage>();
  private openedBytes = 0;
  /** Bytes in the on-disk cache, summed once and then kept up to date. */
  private diskBytes: number | null = null;

  constructor(
    private readonly deps: {
      store: ReplicaStore;
      client: () => ServerClient;
      opener: () => EnvelopeOpener;
      deviceKeys: (employeeId: string) => DeviceKeys;
      budgetBytes: number;
      /** Opened full images kept in memory (default 48 MB). */
      openedBudgetBytes?: number;
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

  /** The URL path a view names this image by (see LINK_TTL_MS): a thumbnail's serves again and again, a full image's once. */
  link(req: ImageRequest): string {
    const now = (this.deps.now ?? Date.now)();
    const key = `${req.size}\n${req.recordId}`;
    let token = this.linkOf.get(key);
    if (token && (this.links.get(token)?.expiresAt ?? 0) >= now)
      this.links.delete(token); // named again: newest
    else token = randomBytes(24).toString('base64url');
    this.links.set(token, { ...req, expiresAt: now + LINK_TTL_MS });
    this.linkOf.set(key, token);
    for (const [t, v] of this.links) {
      if (this.links.size <= MAX_LINKS && v.expiresAt >= now) break;
      this.links.delete(t);
      const k = `${v.size}\n${v.recordId}`;
      if (this.linkOf.get(k) === t) this.linkOf.delete(k);
    }
    return `/img/${token}`;
  }

  /** Serves a one-time token (spent by this use) or a view link; an unknown, spent or expired one is 'not-found'. */
  async take(token: string): Promise<ServedImage> {
    const once = this.tokens.get(token);
    this.tokens.delete(token);
    const linked = once ? undefined : this.links.get(token);
    if (linked?.size === 'full') {
      // spent: decrypted full images are handed out once per link
      this.links.delete(token);
      this.linkOf.delete(`full\n${linked.recordId}`);
    }
    const req = once ?? linked;
    if (!req || req.expiresAt < (this.deps.now ?? Date.now)())
      throw apiError('not-found', 'this image link was used already or has expired');
    // the thumbnail travels sealed inside the (already verified and opened) record
    const thumb = (req.payload as { thumb?: unknown }).thumb;
    if (req.size === 'thumb' && typeof thumb === 'string') {
      const m = /^data:(image\/[a-z]+);base64,(.*)$/.exec(thumb);
      return {
        bytes: Uint8Array.from(Buffer.from(m ? m[2]! : thumb, 'base64')),
        contentType: m ? m[1]! : 'image/webp',
      };
    }
    const shown = this.opened.get(req.recordId);
    if (shown) {
      this.keepOpened(req.recordId, shown);
      return shown;
    }
    const sealed = await this.sealed(req);
    const devKey = this.deps.deviceKeys(req.employeeId)?.get(req.deviceId);
    if (!devKey)
      throw apiError(
        'integrity',
        `the image of ${req.recordId} cannot be verified: device ${req.deviceId} is unknown to this role`,
      );
    const opened = this.deps.opener().open(sealed, devKey);
    if (!opened.ok)
      throw apiError(
        opened.error.code === 'not-a-recipient' ? 'forbidden' : 'integrity',
        `the image of ${req.recordId} does not open: ${opened.error.message}`,
      );
    // the record names the image by its chain hash: a swapped image fails here
    if (toHex(opened.value.hash) !== req.payload.blobHash)
      throw apiError('integrity', `the image of ${req.recordId} is not the one its record names`);
    const image = { bytes: opened.value.payload, contentType: MIME[req.payload.format] ?? 'application/octet-stream' };
    this.keepOpened(req.recordId, image);
    return image;
  }

  /**
   * Several thumbnail links at once (a day's, for one request instead of one
   * each): each served as take() serves it. Tokens that are not a live
   * thumbnail link (a full image's, a one-time token, unknown, expired) are
   * left out and spend nothing.
   */
  async takeThumbs(tokens: readonly string[]): Promise<Array<{ token: string; image: ServedImage }>> {
    const now = (this.deps.now ?? Date.now)();
    const out: Array<{ token: string; image: ServedImage }> = [];
    for (const token of new Set(tokens)) {
      const linked = this.links.get(token);
      if (linked?.size !== 'thumb' || linked.expiresAt < now) continue;
      try {
        out.push({ token, image: await this.take(token) });
      } catch {
        // one unreadable thumbnail: the others still show
      }
    }
    return out;
  }

  /** Lock: the decrypted images are overwritten and dropped, every link is spent; sealed copies may stay. */
  forget(): void {
    for (const im of this.opened.values()) im.bytes.fill(0);
    this.opened.clear();
    this.openedBytes = 0;
    this.tokens.clear();
    this.links.clear();
    this.linkOf.clear();
  }

  /** Records forgotten in this app: their links end and their images leave memory. */
  forgetRecords(recordIds: Iterable<string>): void {
    const gone = new Set(recordIds);
    for (const [t, v] of this.links) if (gone.has(v.recordId)) this.links.delete(t);
    for (const [t, v] of this.tokens) if (gone.has(v.recordId)) this.tokens.delete(t);
    for (const key of [...this.linkOf.keys()]) if (gone.has(key.slice(key.indexOf('\n') + 1))) this.linkOf.delete(key);
    for (const id of gone) {
      const im = this.opened.get(id);
      if (im) {
        im.bytes.fill(0);
        this.openedBytes -= im.bytes.length;
        this.opened.delete(id);
      }
      const sealed = this.memory.get(id);
      if (sealed) {
        this.memoryBytes -= sealed.length;
        this.memory.delete(id);
      }
    }
  }

  /** Images opened so far, in bytes (bench and tests: the cap holds). */
  get openedBytesHeld(): number {
    return this.openedBytes;
  }

  private keepOpened(recordId: string, image: ServedImage): void {
    const had = this.opened.get(recordId);
    if (had) this.openedBytes -= had.bytes.length;
    this.opened.delete(recordId);
    const budget = this.deps.openedBudgetBytes ?? OPENED_BUDGET_BYTES;
    if (image.bytes.length > budget) return;
    this.opened.set(recordId, image);
    this.openedBytes += image.bytes.length;
    for (const [id, im] of this.opened) {
      if (this.openedBytes <= budget) break;
      this.opened.delete(id);
      this.openedBytes -= im.bytes.length;
    }
  }

  private remember(recordId: string, bytes: Uint8Array): void {
    const had = this.memory.get(recordId);
    if (had) this.memoryBytes -= had.length;
    this.memory.delete(recordId);
    this.memory.set(recordId, bytes);
    this.memoryBytes += bytes.length;
    for (const [id, b] of this.memory) {
      if (this.memoryBytes <= MEMORY_BUDGET_BYTES) break;
      this.memory.delete(id);
      this.memoryBytes -= b.length;
    }
  }

  private async sealed(req: ImageRequest): Promise<Uint8Array> {
    const images = this.deps.store.db.images;
    const now = (this.deps.now ?? Date.now)();
    const touch = (doc: { incrementalPatch(p: Partial<ImageDoc>): Promise<unknown> }) =>
      // the LRU order on disk is bookkeeping: not on the way to the screen
      void doc.incrementalPatch({ lastUsedAt: now }).catch(() => undefined);
    const inMemory = this.memory.get(req.recordId);
    if (inMemory) {
      this.remember(req.recordId, inMemory);
      void images
        .findOne(req.recordId)
        .exec()
        .then(
          (d) => d && touch(d),
          () => undefined,
        );
      return inMemory;
    }
    const cached = await images.findOne(req.recordId).exec();
    let envelope: string;
    if (cached) {
      envelope = cached.envelope;
      touch(cached);
    } else {
      const doc = await this.deps
        .client()
        .getDoc<{ envelope?: unknown }>(`st-emp-${req.employeeId}-blobs`, req.payload.blobId);
      if (!doc || typeof doc.envelope !== 'string')
        throw apiError('not-found', `the image of ${req.recordId} is not on the server (yet)`);
      envelope = doc.envelope;
      await this.diskTotal(); // summed before this one is added
      await images.upsert({ id: req.recordId, envelope, bytes: envelope.length, lastUsedAt: now } satisfies ImageDoc);
      this.diskBytes! += envelope.length;
      await this.evict();
    }
    const bytes = fromBase64(envelope);
    if (!bytes.ok) throw apiError('integrity', `the stored image of ${req.recordId} is not readable`);
    this.remember(req.recordId, bytes.value);
    return bytes.value;
  }

  private async diskTotal(): Promise<number> {
    if (this.diskBytes === null) {
      const all = await this.deps.store.db.images.find().exec();
      this.diskBytes = all.reduce((n, d) => n + d.bytes, 0);
    }
    return this.diskBytes;
  }

  /** Least recently used first, until the cache fits its budget (read a few at a time, not the whole cache). */
  private async evict(): Promise<void> {
    while ((await this.diskTotal()) > this.deps.budgetBytes) {
      const oldest = await this.deps.store.db.images.find({ sort: [{ lastUsedAt: 'asc' }], limit: 16 }).exec();
      if (oldest.length === 0) return;
      for (const d of oldest) {
        if (this.diskBytes! <= this.deps.budgetBytes) return;
        this.diskBytes! -= d.bytes;
        await d.remove();
      }
    }
  }
}

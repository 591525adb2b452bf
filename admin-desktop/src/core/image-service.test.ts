// Full screenshots opened once are served again from memory (no second
// signature check or decryption), within a byte cap, least recently shown
// dropped first. Real sealed images (shared DeviceSealer) in a real replica's
// sealed-image cache (LevelDB); the server is never asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvelopeOpener, fromBase64, initSodium, toHex, type ScreenshotPayload } from '@sealtime/shared';
import { createTestDevice, type TestDevice } from '@sealtime/sync-server/testing';
import type { ServerClient } from '../admin/node/server-client.js';
import { ImageService } from './image-service.js';
import { openReplicaStore, type ReplicaStore } from './replica-store.js';

let dev: TestDevice;
let opener: EnvelopeOpener;
let store: ReplicaStore;
let dir = '';
let opens = 0;
const plain = new Map<string, Uint8Array>();
const hashes = new Map<string, string>();

beforeAll(async () => {
  await initSodium();
  dev = await createTestDevice('dev-1', 'ada');
  const real = new EnvelopeOpener([{ publicKey: dev.orgKeyPair.publicKey, secretKey: dev.orgKeyPair.privateKey }]);
  // counts the expensive part (verify + decrypt), then does it for real
  opener = new Proxy(real, {
    get: (t, k) =>
      k === 'open' ? (...a: Parameters<EnvelopeOpener['open']>) => (opens++, t.open(...a)) : Reflect.get(t, k),
  });
  dir = await mkdtemp(join(tmpdir(), 'st-images-'));
  store = await openReplicaStore(dir);
  for (const id of ['r1', 'r2', 'r3']) {
    const blob = dev.blob(100_000);
    const bytes = fromBase64(blob.envelope);
    if (!bytes.ok) throw new Error(bytes.error.message);
    const o = real.open(bytes.value, dev.signPublicKey);
    if (!o.ok) throw new Error(o.error.message);
    plain.set(id, o.value.payload);
    hashes.set(id, toHex(o.value.hash));
    await store.db.images.insert({ id, envelope: blob.envelope, bytes: blob.envelope.length, lastUsedAt: 1 });
  }
});
afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const noServer = (() => {
  throw new Error('the server must not be asked: the sealed images are cached');
}) as unknown as () => ServerClient;

function service(openedBudgetBytes: number, now?: () => number): ImageService {
  return new ImageService({
    ...(now ? { now } : {}),
    store,
    client: noServer,
    opener: () => opener,
    deviceKeys: () => new Map([['dev-1', dev.signPublicKey]]),
    budgetBytes: 50_000_000,
    openedBudgetBytes,
  });
}

const payload = (id: string): ScreenshotPayload =>
  ({
    v: 1,
    takenAt: 1,
    screen: 0,
    width: 10,
    height: 10,
    format: 'webp',
    blurred: false,
    blobId: `blob-${id}`,
    blobBytes: 1,
    blobHash: hashes.get(id)!,
  }) as ScreenshotPayload;
const show = (s: ImageService, id: string) =>
  s.take(s.issue({ recordId: id, employeeId: 'ada', deviceId: 'dev-1', size: 'full', payload: payload(id) }).slice(5));

describe('ImageService opened-image memory', () => {
  it('opens a full image once; showing it again serves the same bytes without opening', async () => {
    const s = service(1_000_000);
    opens = 0;
    const a = await show(s, 'r1');
    expect(Buffer.from(a.bytes).equals(Buffer.from(plain.get('r1')!))).toBe(true);
    expect(a.contentType).toBe('image/webp');
    expect(opens).toBe(1);
    const again = await show(s, 'r1');
    expect(Buffer.from(again.bytes).equals(Buffer.from(plain.get('r1')!))).toBe(true);
    expect(opens).toBe(1);
    // the one-time link rule is unchanged
    const url = s.issue({ recordId: 'r1', employeeId: 'ada', deviceId: 'dev-1', size: 'full', payload: payload('r1') });
    await s.take(url.slice(5));
    await expect(s.take(url.slice(5))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('forget() (on lock) zeroes the opened images and spends every link', async () => {
    const s = service(1_000_000);
    const a = await show(s, 'r2');
    expect(s.openedBytesHeld).toBeGreaterThan(0);
    const link = s.issue({
      recordId: 'r2',
      employeeId: 'ada',
      deviceId: 'dev-1',
      size: 'full',
      payload: payload('r2'),
    });
    s.forget();
    expect(s.openedBytesHeld).toBe(0);
    expect(a.bytes.every((b) => b === 0)).toBe(true);
    await expect(s.take(link.slice(5))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('holds at most its byte budget, dropping the least recently shown', async () => {
    const s = service(250_000); // two of the ~100 kB images
    opens = 0;
    await show(s, 'r1');
    await show(s, 'r2');
    await show(s, 'r1'); // r1 is now the most recent
    expect(opens).toBe(2);
    await show(s, 'r3'); // r2 goes
    expect(s.openedBytesHeld).toBeLessThanOrEqual(250_000);
    expect(opens).toBe(3);
    await show(s, 'r1');
    expect(opens).toBe(3);
    await show(s, 'r2');
    expect(opens).toBe(4);
  });

  it('an image whose record names another hash is refused, also when another one is held', async () => {
    const s = service(1_000_000);
    await show(s, 'r1');
    const wrong = { ...payload('r2'), blobHash: hashes.get('r1')! };
    await expect(
      s.take(s.issue({ recordId: 'r2', employeeId: 'ada', deviceId: 'dev-1', size: 'full', payload: wrong }).slice(5)),
    ).rejects.toMatchObject({ code: 'integrity' });
  });
});

describe('ImageService view links', () => {
  const THUMB = Buffer.from('a small webp thumbnail').toString('base64');
  const req = (id: string, size: 'thumb' | 'full') => ({
    recordId: id,
    employeeId: 'ada',
    deviceId: 'dev-1',
    size,
    payload: { ...payload(id), thumb: THUMB } as ScreenshotPayload,
  });

  it('names an image by one URL while views show it, serving it any number of times', async () => {
    const s = service(1_000_000);
    const thumb = s.link(req('r1', 'thumb'));
    expect(s.link(req('r1', 'thumb'))).toBe(thumb); // the next build of the view: same URL, the browser's copy holds
    expect(s.link(req('r1', 'full'))).not.toBe(thumb);
    expect(s.link(req('r2', 'thumb'))).not.toBe(thumb);
    for (let i = 0; i < 3; i++) {
      const t = await s.take(thumb.slice(5));
      expect(Buffer.from(t.bytes).toString()).toBe('a small webp thumbnail');
      expect(t.contentType).toBe('image/webp');
    }
    // a full image's link serves once; the next naming is a new link
    const full = s.link(req('r1', 'full'));
    expect(s.link(req('r1', 'full'))).toBe(full);
    expect(Buffer.from((await s.take(full.slice(5))).bytes).equals(Buffer.from(plain.get('r1')!))).toBe(true);
    await expect(s.take(full.slice(5))).rejects.toMatchObject({ code: 'not-found' });
    const next = s.link(req('r1', 'full'));
    expect(next).not.toBe(full);
    expect(Buffer.from((await s.take(next.slice(5))).bytes).equals(Buffer.from(plain.get('r1')!))).toBe(true);
  });

  it("serves a day's thumbnail links at once; anything else in the batch is left out and spends nothing", async () => {
    const s = service(1_000_000);
    const t1 = s.link(req('r1', 'thumb')).slice(5);
    const t2 = s.link(req('r2', 'thumb')).slice(5);
    const full = s.link(req('r3', 'full')).slice(5);
    const once = s.issue(req('r3', 'full')).slice(5);
    const got = await s.takeThumbs([t1, 'no-such-token-at-all', full, t2, once, t1]);
    expect(got.map((g) => g.token)).toEqual([t1, t2]);
    for (const g of got) {
      expect(Buffer.from(g.image.bytes).toString()).toBe('a small webp thumbnail');
      expect(g.image.contentType).toBe('image/webp');
    }
    // the full image's link and the one-time token were not spent by being named in a batch
    expect(Buffer.from((await s.take(full)).bytes).equals(Buffer.from(plain.get('r3')!))).toBe(true);
    expect(Buffer.from((await s.take(once)).bytes).equals(Buffer.from(plain.get('r3')!))).toBe(true);
    // thumbnail links still serve afterwards, and none after lock
    expect(await s.takeThumbs([t1])).toHaveLength(1);
    s.forget();
    expect(await s.takeThumbs([t1, t2])).toEqual([]);
  });

  it('a link ends 15 minutes after a view last named it, at lock, and when its record is forgotten', async () => {
    let t = 1_000_000;
    const s = service(1_000_000, () => t);
    const a = s.link(req('r1', 'thumb'));
    t += 14 * 60_000;
    expect(s.link(req('r1', 'thumb'))).toBe(a); // named again: 15 more minutes
    t += 14 * 60_000;
    await s.take(a.slice(5));
    t += 2 * 60_000;
    await expect(s.take(a.slice(5))).rejects.toMatchObject({ code: 'not-found' });
    const b = s.link(req('r1', 'thumb'));
    expect(b).not.toBe(a); // an expired link is never revived
    await s.take(b.slice(5));

    const shown = await s.take(s.link(req('r2', 'full')).slice(5));
    const full = s.link(req('r2', 'full'));
    const thumb = s.link(req('r2', 'thumb'));
    s.forgetRecords(['r2']);
    expect(shown.bytes.every((x) => x === 0)).toBe(true); // its decrypted image is gone from memory
    await expect(s.take(full.slice(5))).rejects.toMatchObject({ code: 'not-found' });
    await expect(s.take(thumb.slice(5))).rejects.toMatchObject({ code: 'not-found' });
    await s.take(b.slice(5)); // another record's link stays

    s.forget();
    await expect(s.take(b.slice(5))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('keeps at most 4096 links, the least recently named dropped first', async () => {
    const s = service(1_000_000);
    const first = s.link(req('x-0', 'thumb'));
    const second = s.link(req('x-1', 'thumb'));
    for (let i = 2; i < 4096; i++) s.link(req(`x-${i}`, 'thumb'));
    expect(s.link(req('x-0', 'thumb'))).toBe(first); // named again: now the newest
    s.link(req('x-4096', 'thumb')); // one too many: x-1 goes
    await s.take(first.slice(5));
    await expect(s.take(second.slice(5))).rejects.toMatchObject({ code: 'not-found' });
  });
});

// The unlocked-key cache on a real file, sealed by a real AES-256-GCM pair
// standing in for the OS key store (safeStorage): a different key plays
// another OS user or machine.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnlockCache, type UnlockCacheCipher } from './unlock-cache.js';

function aesGcmCipher(key = randomBytes(32), unavailable: string | null = null): UnlockCacheCipher {
  return {
    unavailableReason: () => unavailable,
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const b = Buffer.from(sealed);
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

const PROFILE = { server: 'https://review.example:6984', userId: 'ada' };
const SECRET = 'correct horse battery staple';
const HOUR = 3_600_000;

describe('UnlockCache', () => {
  let dir: string;
  let file: string;
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'unlock-cache-'));
    file = join(dir, 'keys', 'unlock-cache.json');
    clock = 1_765_000_000_000;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the passphrase back to the same profile within the window; the file holds no clear secret and is owner-only', async () => {
    const cipher = aesGcmCipher();
    const cache = new UnlockCache(file, cipher, { maxAgeMs: 8 * HOUR, now });
    expect(await cache.save(PROFILE, SECRET)).toBe(true);
    const raw = await readFile(file, 'utf8');
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain('ada');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    clock += 8 * HOUR - 1;
    // a new instance, as after a restart
    expect(await new UnlockCache(file, cipher, { maxAgeMs: 8 * HOUR, now }).load(PROFILE)).toEqual({
      ok: true,
      passphrase: SECRET,
    });
  });

  it('refuses an expired one, and one whose clock went back before it was saved, and removes it', async () => {
    const cipher = aesGcmCipher();
    const cache = new UnlockCache(file, cipher, { maxAgeMs: HOUR, now });
    await cache.save(PROFILE, SECRET);
    clock += HOUR;
    expect(await cache.load(PROFILE)).toMatchObject({ ok: false, reason: 'expired' });
    expect(await cache.load(PROFILE)).toMatchObject({ ok: false, reason: 'none' });
    await cache.save(PROFILE, SECRET);
    clock -= 1;
    expect(await cache.load(PROFILE)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a file sealed by another key store (another OS user or machine) with a clear message, and removes it', async () => {
    await new UnlockCache(file, aesGcmCipher(), { maxAgeMs: HOUR, now }).save(PROFILE, SECRET);
    const r = await new UnlockCache(file, aesGcmCipher(), { maxAgeMs: HOUR, now }).load(PROFILE);
    expect(r).toMatchObject({ ok: false, reason: 'foreign' });
    expect(!r.ok && r.message).toMatch(/another user or machine.*unlock with your passphrase/);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses altered and damaged files: a flipped sealed byte, not JSON, a stray JSON file, a sealed non-cache', async () => {
    const cipher = aesGcmCipher();
    const cache = new UnlockCache(file, cipher, { maxAgeMs: HOUR, now });
    await cache.save(PROFILE, SECRET);
    const outer = JSON.parse(await readFile(file, 'utf8')) as { sealed: string };
    const bytes = Buffer.from(outer.sealed, 'base64');
    bytes[bytes.length - 1]! ^= 0x01;
    await writeFile(file, JSON.stringify({ ...outer, sealed: bytes.toString('base64') }));
    expect(await cache.load(PROFILE)).toMatchObject({ ok: false, reason: 'foreign' });
    const sealedNonCache = Buffer.from(cipher.encrypt(JSON.stringify({ v: 1, server: PROFILE.server }))).toString(
      'base64',
    );
    for (const [content, reason] of [
      ['{"format":"sealtime-unlock-cache","v":1,"sea', 'corrupted'],
      ['{"hello":"world"}', 'corrupted'],
      [JSON.stringify({ format: 'sealtime-unlock-cache', v: 2, sealed: outer.sealed }), 'corrupted'],
      [JSON.stringify({ format: 'sealtime-unlock-cache', v: 1, sealed: sealedNonCache }), 'corrupted'],
    ] as const) {
      await writeFile(file, content);
      const r = await cache.load(PROFILE);
      expect(r, content).toMatchObject({ ok: false, reason });
      expect(!r.ok && r.message).toMatch(/unlock with your passphrase/);
      await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it("refuses another profile's unlock (another user, another server)", async () => {
    const cipher = aesGcmCipher();
    const cache = new UnlockCache(file, cipher, { maxAgeMs: HOUR, now });
    await cache.save(PROFILE, SECRET);
    expect(await cache.load({ ...PROFILE, userId: 'bob' })).toMatchObject({ ok: false, reason: 'other-profile' });
    await cache.save(PROFILE, SECRET);
    expect(await cache.load({ ...PROFILE, server: 'https://other.example' })).toMatchObject({
      ok: false,
      reason: 'other-profile',
    });
  });

  it('never writes without a usable OS cipher, and refuses to read with one that became unusable', async () => {
    const key = randomBytes(32);
    const off = new UnlockCache(file, aesGcmCipher(key, 'the key store is basic_text (plaintext)'), {
      maxAgeMs: HOUR,
      now,
    });
    expect(await off.save(PROFILE, SECRET)).toBe(false);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await new UnlockCache(file, aesGcmCipher(key), { maxAgeMs: HOUR, now }).save(PROFILE, SECRET);
    expect(await off.load(PROFILE)).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('wipe removes it (lock, sign-out)', async () => {
    const cache = new UnlockCache(file, aesGcmCipher(), { maxAgeMs: HOUR, now });
    await cache.save(PROFILE, SECRET);
    await cache.wipe();
    expect(await cache.load(PROFILE)).toMatchObject({ ok: false, reason: 'none' });
    await cache.wipe(); // twice is fine
  });
});

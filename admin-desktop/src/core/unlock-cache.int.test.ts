// The unlock cache in the admin core against a real server: a restart within
// the window reopens the keys without the passphrase; lock and sign-out wipe
// it; a foreign, damaged or outdated cache falls back to the passphrase with
// words on the unlock screen. The OS key store is stood in for by AES-256-GCM
// (node:crypto) under a key of the test's own.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../api/admin-api.js';
import { AdminCore } from './admin-core.js';
import { createReviewOrg, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './test-support/review-org.js';
import { UnlockCache, type UnlockCacheCipher } from './unlock-cache.js';

const HOUR = 3_600_000;
let org: ReviewOrg;
const dirs: string[] = [];

function aesGcm(key = randomBytes(32)): UnlockCacheCipher {
  return {
    unavailableReason: () => null,
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

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada'], dates: ['2026-12-01'], timeZone: 'UTC' });
}, 180_000);
afterAll(async () => {
  await org?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function signedIn(cache: UnlockCache | null): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'st-unlock-cache-'));
  dirs.push(dir);
  const core = new AdminCore({ dataDir: dir, timeZone: 'UTC', ...(cache ? { unlockCache: cache } : {}) });
  await core.start();
  await core.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
  await core.close();
  return { dir, file: join(dir, 'unlock-cache.json') };
}

/** A fresh core on the data dir, as after a restart of the app. */
async function restart(dir: string, cache: UnlockCache): Promise<{ core: AdminCore; state: SessionState }> {
  const core = new AdminCore({ dataDir: dir, timeZone: 'UTC', unlockCache: cache });
  await core.start();
  return { core, state: core.session() };
}

describe('unlock cache in the admin core', () => {
  it('a restart within the window unlocks without the passphrase; quitting keeps it, lock wipes it', async () => {
    const cipher = aesGcm();
    const { dir, file } = await signedIn(null);
    const cacheAt = () => new UnlockCache(file, cipher, { maxAgeMs: 8 * HOUR });
    const first = await restart(dir, cacheAt());
    expect(first.state).toMatchObject({ state: 'locked' }); // nothing kept yet
    await first.core.unlock({ passphrase: PASSPHRASE });
    expect((await stat(file)).isFile()).toBe(true);
    await first.core.close(); // the app quits unlocked

    const second = await restart(dir, cacheAt());
    try {
      expect(second.state).toMatchObject({ state: 'unlocked', user: 'root' });
      // the keys really opened: the people come from the decrypted, verified directory
      expect((await second.core.request('people', {})).map((p) => p.employeeId)).toEqual(['ada']);
      await second.core.lock();
      await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await second.core.close();
    }
    const third = await restart(dir, cacheAt());
    expect(third.state).toMatchObject({ state: 'locked', user: 'root' });
    expect(third.state).not.toHaveProperty('notice'); // nothing kept: nothing to explain
    await third.core.close();
  }, 180_000);

  it('an expired cache, or one sealed by another key store, asks for the passphrase and says why', async () => {
    const cipher = aesGcm();
    const { dir, file } = await signedIn(null);
    let clock = Date.now();
    const a = await restart(dir, new UnlockCache(file, cipher, { maxAgeMs: HOUR, now: () => clock }));
    await a.core.unlock({ passphrase: PASSPHRASE });
    await a.core.close();
    clock += HOUR + 1;
    const expired = await restart(dir, new UnlockCache(file, cipher, { maxAgeMs: HOUR, now: () => clock }));
    expect(expired.state).toMatchObject({ state: 'locked', notice: expect.stringMatching(/expired/) });
    await expired.core.unlock({ passphrase: PASSPHRASE }); // keeps a fresh one
    await expired.core.close();

    const foreign = await restart(dir, new UnlockCache(file, aesGcm(), { maxAgeMs: HOUR, now: () => clock }));
    expect(foreign.state).toMatchObject({ state: 'locked', notice: expect.stringMatching(/another user or machine/) });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    // and the passphrase still works: nothing lost
    expect(await foreign.core.unlock({ passphrase: PASSPHRASE })).toMatchObject({ state: 'unlocked' });
    await foreign.core.close();
  }, 180_000);

  it('a damaged file, or a kept passphrase that no longer opens the ring, falls back to the passphrase', async () => {
    const cipher = aesGcm();
    const { dir, file } = await signedIn(null);
    await writeFile(file, '{"format":"sealtime-unlock-cache","v":1,"sealed":"AAAA');
    const damaged = await restart(dir, new UnlockCache(file, cipher, { maxAgeMs: HOUR }));
    expect(damaged.state).toMatchObject({ state: 'locked', notice: expect.stringMatching(/damaged/) });
    await damaged.core.close();

    // a cache holding a passphrase the ring does not open (it was changed since)
    await new UnlockCache(file, cipher, { maxAgeMs: HOUR }).save(
      { server: org.srv.url, userId: 'root' },
      'an old passphrase, changed since',
    );
    const outdated = await restart(dir, new UnlockCache(file, cipher, { maxAgeMs: HOUR }));
    expect(outdated.state).toMatchObject({
      state: 'locked',
      notice: expect.stringMatching(/no longer opens your keys.*wrong passphrase/),
    });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await outdated.core.unlock({ passphrase: PASSPHRASE })).toMatchObject({ state: 'unlocked' });
    await outdated.core.signOut();
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await outdated.core.close();
  }, 180_000);
});

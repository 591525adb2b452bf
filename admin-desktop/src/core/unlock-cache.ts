/**
 * The unlocked-key cache: lets a restart of the desktop app within a bounded
 * window reopen the keys without asking for the passphrase again.
 *
 * What is kept is the secret the core itself holds while unlocked (the
 * passphrase: the core re-derives role rings with it to sign team creation,
 * enrollment codes and decisions), bound to one server + user, with an
 * absolute expiry, and encrypted by the caller's OS cipher (Electron
 * safeStorage: the OS key store). Nothing here ever writes it in the clear;
 * with no cipher there is no cache. Lock and sign-out wipe the file, so the
 * window is "quit while unlocked, start again before the idle lock would
 * have come or the maximum age passed".
 *
 * A file the cipher cannot open (another OS user or machine, a changed key
 * store), a damaged one, or one for another profile is refused with a reason
 * and removed: the person types the passphrase, nothing else is lost.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The OS cipher (safeStorage's encryptString/decryptString; tests: AES-GCM under a key of their own). */
export interface UnlockCacheCipher {
  /** Why it cannot be used now (no key store, plaintext fallback), or null. */
  unavailableReason(): string | null;
  encrypt(plain: string): Uint8Array;
  /** Throws when the bytes were not sealed by this OS user's key (or were altered). */
  decrypt(sealed: Uint8Array): string;
}

export interface UnlockCacheOptions {
  /** How long a cached unlock lasts at most, from the unlock (ms). */
  maxAgeMs: number;
  now?: () => number;
}

export interface UnlockProfile {
  server: string;
  userId: string;
}

export type UnlockCacheRefusal = 'none' | 'expired' | 'unavailable' | 'foreign' | 'corrupted' | 'other-profile';

export type UnlockCacheLoad =
  { ok: true; passphrase: string } | { ok: false; reason: UnlockCacheRefusal; message: string };

/** The outer file: only the sealed bytes, labelled so a stray file is told apart from a damaged one. */
const FORMAT = 'sealtime-unlock-cache';
const VERSION = 1;

interface CachedUnlock {
  v: 1;
  server: string;
  userId: string;
  passphrase: string;
  savedAt: number;
  expiresAt: number;
}

const isCachedUnlock = (x: unknown): x is CachedUnlock => {
  if (typeof x !== 'object' || x === null) return false;
  const c = x as Record<string, unknown>;
  return (
    c.v === 1 &&
    typeof c.server === 'string' &&
    typeof c.userId === 'string' &&
    typeof c.passphrase === 'string' &&
    c.passphrase.length > 0 &&
    Number.isSafeInteger(c.savedAt) &&
    Number.isSafeInteger(c.expiresAt)
  );
};

const refuse = (reason: UnlockCacheRefusal, message: string): UnlockCacheLoad => ({ ok: false, reason, message });

export class UnlockCache {
  private readonly now: () => number;

  constructor(
    private readonly file: string,
    private readonly cipher: UnlockCacheCipher,
    private readonly options: UnlockCacheOptions,
  ) {
    if (!(options.maxAgeMs > 0)) throw new Error('the unlock cache needs a positive maximum age');
    this.now = options.now ?? Date.now;
  }

  /** Keeps this unlock (replacing any earlier one); false when the OS cipher cannot be used. */
  async save(profile: UnlockProfile, passphrase: string): Promise<boolean> {
    if (this.cipher.unavailableReason() !== null) return false;
    const savedAt = this.now();
    const inner: CachedUnlock = {
      v: VERSION,
      server: profile.server,
      userId: profile.userId,
      passphrase,
      savedAt,
      expiresAt: savedAt + this.options.maxAgeMs,
    };
    const sealed = Buffer.from(this.cipher.encrypt(JSON.stringify(inner))).toString('base64');
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    // write then rename: a crash leaves the old file or the new one, never half of one
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify({ format: FORMAT, v: VERSION, sealed }), { mode: 0o600 });
    await rename(tmp, this.file);
    return true;
  }

  /** The cached passphrase for this profile, or why there is none (a refused file is removed). */
  async load(profile: UnlockProfile): Promise<UnlockCacheLoad> {
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return refuse('none', 'no cached unlock');
      throw err;
    }
    const result = this.open(raw, profile);
    if (!result.ok) await this.wipe();
    return result;
  }

  /** Lock, sign-out, a refused file: the cache goes. */
  async wipe(): Promise<void> {
    await rm(this.file, { force: true });
    await rm(`${this.file}.tmp`, { force: true });
  }

  private open(raw: string, profile: UnlockProfile): UnlockCacheLoad {
    const damaged = refuse(
      'corrupted',
      'the kept unlock on this computer is damaged and was removed: unlock with your passphrase',
    );
    let outer: unknown;
    try {
      outer = JSON.parse(raw);
    } catch {
      return damaged;
    }
    const o = outer as { format?: unknown; v?: unknown; sealed?: unknown } | null;
    if (!o || o.format !== FORMAT || o.v !== VERSION || typeof o.sealed !== 'string') return damaged;
    const unavailable = this.cipher.unavailableReason();
    if (unavailable !== null)
      return refuse('unavailable', `the kept unlock cannot be opened (${unavailable}): unlock with your passphrase`);
    let inner: unknown;
    try {
      inner = JSON.parse(this.cipher.decrypt(Buffer.from(o.sealed, 'base64')));
    } catch {
      // the OS key store did not open it: sealed for another OS user or machine, or altered
      return refuse(
        'foreign',
        "the kept unlock on this computer was not sealed by this account's key store (another user or machine, or altered) and was removed: unlock with your passphrase",
      );
    }
    if (!isCachedUnlock(inner)) return damaged;
    if (inner.server !== profile.server || inner.userId !== profile.userId) {
      return refuse(
        'other-profile',
        `the kept unlock was for ${inner.userId} on another sign-in and was removed: unlock with your passphrase`,
      );
    }
    const now = this.now();
    // a clock set back before the save does not stretch the window
    if (now >= inner.expiresAt || now < inner.savedAt)
      return refuse('expired', 'the kept unlock has expired: unlock with your passphrase');
    return { ok: true, passphrase: inner.passphrase };
  }
}

/**
 * Start-up with a kept unlock: opens the keys with it, or returns the words
 * the unlock screen shows (null: nothing to say, e.g. no cache). A kept
 * passphrase that no longer opens the rings (re-wrapped since) is wiped.
 */
export async function resumeKeptUnlock(
  cache: UnlockCache,
  profile: UnlockProfile,
  unlock: (passphrase: string) => Promise<unknown>,
  describe: (err: unknown) => string,
): Promise<string | null> {
  let kept: UnlockCacheLoad;
  try {
    kept = await cache.load(profile);
  } catch (err) {
    return `the kept unlock could not be read (${(err as Error).message.split('\n')[0]}): unlock with your passphrase`;
  }
  if (!kept.ok) return kept.reason === 'none' ? null : kept.message;
  try {
    await unlock(kept.passphrase);
    return null;
  } catch (err) {
    await cache.wipe();
    return `the kept unlock no longer opens your keys (${describe(err)}): unlock with your passphrase`;
  }
}

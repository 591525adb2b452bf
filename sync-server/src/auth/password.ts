/**
 * Password hashing: Argon2id (libsodium crypto_pwhash via @sealtime/shared).
 *
 * Stored form: `argon2id$v=19$m=<KiB>,t=<passes>,p=1$<salt>$<hash>` (base64url),
 * so the cost travels with each hash and can be raised later: `needsRehash`
 * tells login to re-hash with the current cost after a successful check.
 *
 * libsodium runs as WebAssembly on the event loop, so a hash blocks it for
 * its whole duration (measured ~120 ms at the default cost on this machine).
 * The hasher therefore runs one hash at a time, yields between them, and
 * refuses work beyond a small queue instead of letting a login flood starve
 * the replication traffic.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  derivePassphraseKey,
  initSodium,
  MAX_MEM_LIMIT_BYTES,
  MAX_OPS_LIMIT,
  MIN_MEM_LIMIT_BYTES,
  MIN_OPS_LIMIT,
  newPwhashParams,
  type PwhashParams,
} from '@sealtime/shared';
import { AuthError } from './auth-errors.js';

export const MIN_PASSWORD_CHARS = 12;
export const MAX_PASSWORD_CHARS = 1024;

export interface PasswordCost {
  /** Argon2id passes. */
  opsLimit: number;
  memLimitBytes: number;
}

/** OWASP's Argon2id recommendation (19 MiB, 2 passes): the floor @sealtime/shared accepts. */
export const DEFAULT_PASSWORD_COST: PasswordCost = { opsLimit: MIN_OPS_LIMIT, memLimitBytes: MIN_MEM_LIMIT_BYTES };

const STORED = /^argon2id\$v=19\$m=(\d{1,9}),t=(\d{1,3}),p=1\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/;

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: unknown, userId?: string): string | undefined {
  if (typeof password !== 'string') return 'the password must be text';
  const chars = [...password.normalize('NFKC')];
  if (chars.length < MIN_PASSWORD_CHARS) return `a password needs at least ${MIN_PASSWORD_CHARS} characters`;
  if (chars.length > MAX_PASSWORD_CHARS) return `a password may have at most ${MAX_PASSWORD_CHARS} characters`;
  if (new Set(chars).size < 4) return 'a password needs more than three distinct characters';
  if (userId && userId.length >= 4 && password.toLowerCase().includes(userId.toLowerCase())) return 'a password must not contain the account name';
  return undefined;
}

interface Parsed {
  params: PwhashParams;
  hash: Buffer;
}

function parse(stored: string): Parsed | null {
  const m = STORED.exec(stored);
  if (!m) return null;
  const memLimitBytes = Number(m[1]) * 1024;
  const opsLimit = Number(m[2]);
  if (memLimitBytes < MIN_MEM_LIMIT_BYTES || memLimitBytes > MAX_MEM_LIMIT_BYTES) return null;
  if (opsLimit < MIN_OPS_LIMIT || opsLimit > MAX_OPS_LIMIT) return null;
  return { params: { alg: 'argon2id13', opsLimit, memLimitBytes, salt: m[3]! }, hash: Buffer.from(m[4]!, 'base64url') };
}

function derive(password: string, params: PwhashParams): Buffer {
  const r = derivePassphraseKey(password, params);
  if (!r.ok) throw new AuthError('invalid-input', r.error.message);
  return Buffer.from(r.value);
}

function format(params: PwhashParams, hash: Buffer): string {
  return `argon2id$v=19$m=${params.memLimitBytes / 1024},t=${params.opsLimit},p=1$${params.salt}$${hash.toString('base64url')}`;
}

export interface PasswordHasherOptions {
  cost?: PasswordCost;
  /** Hashes allowed to wait; more are refused with `busy`. */
  maxPending?: number;
}

/** Serialises Argon2id work; see the module comment for why. */
export class PasswordHasher {
  readonly cost: PasswordCost;
  private readonly maxPending: number;
  private pending = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private dummy: string | undefined;

  constructor(opts: PasswordHasherOptions = {}) {
    this.cost = opts.cost ?? DEFAULT_PASSWORD_COST;
    this.maxPending = opts.maxPending ?? 16;
    if (this.cost.memLimitBytes % 1024 !== 0) throw new RangeError('memLimitBytes must be whole KiB');
  }

  /** Hashes a new password; callers check `passwordProblem` first. */
  async hash(password: string): Promise<string> {
    await initSodium();
    return this.run(() => {
      const params = newPwhashParams(this.cost.opsLimit, this.cost.memLimitBytes);
      return format(params, derive(password, params));
    });
  }

  /** True when `password` matches `stored`; false for a wrong password or an unreadable hash. */
  async verify(password: string, stored: string): Promise<boolean> {
    await initSodium();
    const parsed = parse(stored);
    if (!parsed) return false;
    return this.run(() => {
      const got = derive(password, parsed.params);
      return got.length === parsed.hash.length && timingSafeEqual(got, parsed.hash);
    });
  }

  /**
   * Burns the same time as a real check, for logins naming an unknown or
   * disabled account, so response time does not reveal which accounts exist.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= await this.hash('sealtime-dummy-password');
    await this.verify(password, this.dummy);
    return false;
  }

  needsRehash(stored: string): boolean {
    const p = parse(stored);
    return !p || p.params.opsLimit < this.cost.opsLimit || p.params.memLimitBytes < this.cost.memLimitBytes;
  }

  private run<T>(work: () => T): Promise<T> {
    if (this.pending >= this.maxPending) {
      return Promise.reject(new AuthError('busy', 'too many password checks in progress; try again shortly'));
    }
    this.pending++;
    const job = this.tail.then(
      () => new Promise<T>((resolve, reject) => {
        // setImmediate lets queued I/O run between two blocking hashes.
        setImmediate(() => {
          try {
            resolve(work());
          } catch (e) {
            reject(e);
          }
        });
      }),
    );
    const settled = job.finally(() => {
      this.pending--;
    });
    this.tail = settled.catch(() => undefined);
    return settled;
  }
}

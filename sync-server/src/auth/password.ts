/**
 * Password hashing: Argon2id (libsodium crypto_pwhash via @sealtime/shared).
 *
 * Stored form: `argon2id$v=19$m=<KiB>,t=<passes>,p=1$<salt>$<hash>` (base64url),
 * so the cost travels with each hash and can be raised later: `needsRehash`
 * tells login to re-hash with the current cost after a successful check.
 *
 * libsodium runs as WebAssembly and blocks its thread for a whole hash
 * (~120 ms at the default cost on this machine). On the event loop that
 * stalled every device's replication behind people's logins, so hashes run
 * on a worker thread (password-thread.ts), one at a time, and the queue is
 * bounded twice: overall (`busy`, 503) and per owner, i.e. per client
 * address (`rate-limited`, 429), so one address flooding logins cannot take
 * the slots other people's logins need.
 */
import { timingSafeEqual } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import {
  initSodium,
  MAX_MEM_LIMIT_BYTES,
  MAX_OPS_LIMIT,
  MIN_MEM_LIMIT_BYTES,
  MIN_OPS_LIMIT,
  newPwhashParams,
  type PwhashParams,
} from '@sealtime/shared';
import { AuthError } from './auth-errors.js';
import type { HashAnswer, HashJob } from './password-thread.js';

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
  if (userId && userId.length >= 4 && password.toLowerCase().includes(userId.toLowerCase()))
    return 'a password must not contain the account name';
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

function format(params: PwhashParams, hash: Buffer): string {
  return `argon2id$v=19$m=${params.memLimitBytes / 1024},t=${params.opsLimit},p=1$${params.salt}$${hash.toString('base64url')}`;
}

export interface PasswordHasherOptions {
  cost?: PasswordCost;
  /** Hashes allowed to wait; more are refused with `busy`. */
  maxPending?: number;
  /** Hashes one owner (a client address) may have waiting; more are refused with `rate-limited` (default 2). */
  maxPerOwner?: number;
}

/** Hashes one job at a time on a worker thread, bounded overall and per owner; see the module comment for why. */
export class PasswordHasher {
  readonly cost: PasswordCost;
  private readonly maxPending: number;
  private readonly maxPerOwner: number;
  private pending = 0;
  private readonly perOwner = new Map<string, number>();
  private dummy: Promise<string> | undefined;
  private thread: HashThread | null = null;

  constructor(opts: PasswordHasherOptions = {}) {
    this.cost = opts.cost ?? DEFAULT_PASSWORD_COST;
    this.maxPending = opts.maxPending ?? 16;
    this.maxPerOwner = opts.maxPerOwner ?? 2;
    if (this.cost.memLimitBytes % 1024 !== 0) throw new RangeError('memLimitBytes must be whole KiB');
  }

  /** Hashes a new password; callers check `passwordProblem` first. */
  async hash(password: string): Promise<string> {
    await initSodium();
    const params = newPwhashParams(this.cost.opsLimit, this.cost.memLimitBytes);
    return format(params, await this.run(password, params, undefined));
  }

  /**
   * True when `password` matches `stored`; false for a wrong password or an
   * unreadable hash. `owner` (the client's address) bounds how many checks
   * one client may have queued: past `maxPerOwner` it gets `rate-limited`.
   */
  async verify(password: string, stored: string, owner?: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const got = await this.run(password, parsed.params, owner);
    return got.length === parsed.hash.length && timingSafeEqual(got, parsed.hash);
  }

  /**
   * Burns the same time as a real check, for logins naming an unknown or
   * disabled account, so response time does not reveal which accounts exist.
   * It queues like a real check (same per-owner share), so made-up names
   * cannot crowd out real ones.
   */
  async verifyNothing(password: string, owner?: string): Promise<false> {
    // a failed first hash (e.g. busy) must not be remembered: the next call tries again
    this.dummy ??= this.hash('sealtime-dummy-password').catch((e: unknown) => {
      this.dummy = undefined;
      throw e;
    });
    await this.verify(password, await this.dummy, owner);
    return false;
  }

  needsRehash(stored: string): boolean {
    const p = parse(stored);
    return !p || p.params.opsLimit < this.cost.opsLimit || p.params.memLimitBytes < this.cost.memLimitBytes;
  }

  /** Ends the worker thread; a later hash starts a new one. */
  async close(): Promise<void> {
    const t = this.thread;
    this.thread = null;
    await t?.close();
  }

  private async run(password: string, params: PwhashParams, owner: string | undefined): Promise<Buffer> {
    if (typeof password !== 'string') throw new AuthError('invalid-input', 'the password must be text');
    const mine = owner === undefined ? 0 : (this.perOwner.get(owner) ?? 0);
    if (owner !== undefined && mine >= this.maxPerOwner) {
      throw new AuthError(
        'rate-limited',
        'too many password checks from this address at once; try again shortly',
        OWNER_RETRY_MS,
      );
    }
    if (this.pending >= this.maxPending) {
      throw new AuthError('busy', 'too many password checks in progress; try again shortly');
    }
    this.pending++;
    if (owner !== undefined) this.perOwner.set(owner, mine + 1);
    try {
      if (!this.thread?.alive) this.thread = new HashThread();
      return await this.thread.derive(password, params);
    } finally {
      this.pending--;
      if (owner !== undefined) {
        const left = (this.perOwner.get(owner) ?? 1) - 1;
        if (left > 0) this.perOwner.set(owner, left);
        else this.perOwner.delete(owner);
      }
    }
  }
}

/** What a client over its share is told to wait: about two hashes' time. */
const OWNER_RETRY_MS = 1_000;

const THREAD_ENTRY = new URL('./password-thread-boot.mjs', import.meta.url);

/**
 * One worker thread running password-thread.ts. Jobs are posted at once; the
 * thread answers them in order. It holds the process open only while jobs
 * are pending, so an idle server (or a CLI command) can still exit.
 */
class HashThread {
  private readonly worker: Worker;
  private readonly jobs = new Map<number, { resolve(h: Buffer): void; reject(e: Error): void }>();
  private nextId = 1;
  private dead: Error | null = null;

  constructor() {
    this.worker = new Worker(THREAD_ENTRY);
    this.worker.unref();
    this.worker.on('message', (m: HashAnswer | { ready: true }) => {
      if (!('id' in m)) return;
      const job = this.jobs.get(m.id);
      if (!job) return;
      this.jobs.delete(m.id);
      if (this.jobs.size === 0) this.worker.unref();
      if ('error' in m) job.reject(new AuthError('invalid-input', m.error));
      else job.resolve(Buffer.from(m.hash));
    });
    const fail = (e: Error): void => {
      this.dead ??= e;
      for (const job of this.jobs.values())
        job.reject(new AuthError('busy', 'the password checker stopped; try again'));
      this.jobs.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`password thread exited (${code})`)));
  }

  get alive(): boolean {
    return this.dead === null;
  }

  derive(password: string, params: PwhashParams): Promise<Buffer> {
    if (this.dead) return Promise.reject(new AuthError('busy', 'the password checker stopped; try again'));
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      this.worker.ref();
      const job: HashJob = { id, password, params };
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Users, sessions, devices and enrollment codes in the st-system database,
 * through nano, so the same code runs on the embedded engine and on CouchDB.
 *
 * Document ids carry the kind (`user:`, `session:`, `device:`, `enrollment:`),
 * so each lookup is one GET by id. Secrets are only ever stored hashed: the
 * session id *is* the SHA-256 of the session token, devices and enrollment
 * codes keep the hash of their credential/code.
 *
 * Updates are optimistic (CouchDB revisions): `modify` re-reads and re-applies
 * on a conflict, and a mutation function may throw to refuse, which is how a
 * second redemption of the same enrollment code loses the race.
 *
 * Sessions, devices and users are cached (`cacheTtlMs`, default 30 s, longer
 * than an agent's 10 s push interval) because the identity layer looks them
 * up on every request. Every write through this store (revoke, update,
 * create) replaces the cache entry at once, and a read that was in flight
 * during a write never puts its older copy back, so revocation in this
 * process is immediate however long the TTL. Changes made by other
 * processes (several gateways on one CouchDB, a tool writing st-system
 * directly) arrive through the changes feed when `follow` is on, which the
 * server turns on: entries then live `followedTtlMs` (10 min) and such a
 * revocation applies within milliseconds. While the feed is broken, or
 * without it, the short TTL bounds how long another process's revocation
 * may go unseen here.
 */
import type { DocumentScope } from 'nano';
import type { Role } from './principal.js';
import { AuthError } from './auth-errors.js';
import type { Clock } from './clock.js';
import { followSystemChanges, type DocChange, type SystemFollower } from './system-follower.js';

export interface UserRecord {
  id: string;
  role: Role;
  teams: string[];
  employeeId: string | null;
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  /** TOTP second factor when enabled (totp.ts); the secret sealed with the server secret. */
  totp?: { secret: string; enabledAt: number; lastStep: number; recoveryCodeHashes: string[] } | null;
  /** A TOTP secret set up but not yet confirmed with a first code. */
  totpPending?: { secret: string; createdAt: number } | null;
}

export interface SessionRecord {
  /** SHA-256 (hex) of the session token. */
  id: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
  ip: string | null;
  userAgent: string | null;
  /** 'totp-enrolment': opened under a TOTP policy before TOTP was set up; may only set it up. Absent means full. */
  scope?: 'full' | 'totp-enrolment';
}

export interface DeviceRecord {
  deviceId: string;
  employeeId: string;
  teamId: string | null;
  /** SHA-256 (hex) of the device credential. */
  credentialHash: string;
  revokedAt: number | null;
  enrolledAt: number;
  name: string | null;
  platform: string | null;
  /** The device's Ed25519 public key (base64url, 32 bytes), given at enrollment; reviewers verify record chains with it. */
  signPublicKey?: string | null;
  /** When the device last authenticated (refreshed at most once a minute, like a session's); absent before its first request. */
  lastSeenAt?: number | null;
}

export interface EnrollmentRecord {
  /** SHA-256 (hex) of the secret part of the code. */
  codeHash: string;
  employeeId: string;
  teamId: string | null;
  expiresAt: number;
  usedAt: number | null;
  usedByDevice: string | null;
  createdBy: string;
  createdAt: number;
  orgKeyFingerprint: string;
}

interface Kinds {
  user: UserRecord;
  session: SessionRecord;
  device: DeviceRecord;
  enrollment: EnrollmentRecord;
}
type Kind = keyof Kinds;

const DESIGN_ID = '_design/sealtime-system';
const DESIGN = {
  language: 'javascript',
  views: {
    // [kind, owner]: sessions by user, devices and enrollments by employee.
    by_owner: {
      map: "function (doc) { var v = doc.value || {}; if (doc.kind === 'session') emit(['session', v.userId], null); if (doc.kind === 'device' || doc.kind === 'enrollment') emit([doc.kind, v.employeeId], null); }",
    },
  },
};

interface StoredDoc {
  _id: string;
  _rev?: string;
  kind: Kind;
  value: unknown;
}

interface CacheEntry {
  value: unknown;
  at: number;
  /** The revision the value is of, when known: the changes feed's echo of this process's own write leaves it be. */
  rev: string | null;
}

/** Read results are handed out frozen (shared with the cache): a caller that tries to change one fails loudly. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function statusOf(e: unknown): number | undefined {
  return (e as { statusCode?: number } | null)?.statusCode;
}

/** Connection and server failures become one typed error the gateway maps to 503. */
function storeError(e: unknown, what: string): Error {
  if (e instanceof AuthError) return e;
  const status = statusOf(e);
  if (status === 409) return new AuthError('conflict', `${what}: changed concurrently`);
  return new AuthError(
    'store-unavailable',
    `${what}: the system database is unavailable (${status ?? (e as Error)?.message ?? 'error'})`,
  );
}

export interface SystemStoreOptions {
  clock?: Clock;
  /** How long users, sessions and devices are served from memory (default 30 s). */
  cacheTtlMs?: number;
  /**
   * Follow st-system's changes feed (system-follower.ts): changes made by
   * other processes then drop their cache entries at once, and while the
   * feed is healthy entries are kept for `followedTtlMs` instead.
   */
  follow?: boolean;
  /** Cache lifetime while the changes feed is followed and healthy (default 10 min). */
  followedTtlMs?: number;
  /** Where a broken changes feed is reported (the cache falls back to `cacheTtlMs` meanwhile). */
  onFollowError?: (message: string) => void;
}

export const DEFAULT_CACHE_TTL_MS = 30_000;
export const DEFAULT_FOLLOWED_TTL_MS = 10 * 60_000;

export class SystemStore {
  private readonly cache = new Map<string, CacheEntry>();
  /** Bumped by every write and invalidation: a read begun before one must not cache what it read. */
  private generation = 0;
  private readonly ttl: number;
  private readonly followedTtl: number;
  private readonly now: () => number;
  private follower: SystemFollower | null = null;

  private constructor(
    private readonly db: DocumentScope<unknown>,
    opts: SystemStoreOptions,
  ) {
    this.ttl = opts.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.followedTtl = Math.max(this.ttl, opts.followedTtlMs ?? DEFAULT_FOLLOWED_TTL_MS);
    const clock = opts.clock;
    this.now = clock ? () => clock.now() : () => Date.now();
  }

  /** Binds to an existing st-system database and installs its view. */
  static async open(db: DocumentScope<unknown>, opts: SystemStoreOptions = {}): Promise<SystemStore> {
    const store = new SystemStore(db, opts);
    await store.ensureDesign();
    if (opts.follow && store.ttl > 0) {
      try {
        store.follower = await followSystemChanges(db, {
          onChange: (ids) => store.forget(ids),
          ...(opts.onFollowError ? { onError: opts.onFollowError } : {}),
        });
      } catch (e) {
        throw storeError(e, 'following the system database');
      }
    }
    return store;
  }

  /** Whether changes by other processes reach the cache through the changes feed right now. */
  get following(): boolean {
    return this.follower?.healthy ?? false;
  }

  /** Stops following the changes feed (the store still answers, with the short TTL). */
  close(): void {
    this.follower?.close();
    this.follower = null;
  }

  private currentTtl(): number {
    return this.follower?.healthy ? this.followedTtl : this.ttl;
  }

  /** Drops cache entries of documents changed elsewhere; reads in flight must then not cache what they read. */
  private forget(changes: readonly DocChange[]): void {
    const stale = changes.filter((c) => c.rev === null || this.cache.get(c.id)?.rev !== c.rev);
    if (stale.length === 0) return; // only echoes of writes this process made and already cached
    this.generation++;
    for (const c of stale) this.cache.delete(c.id);
  }

  private async ensureDesign(): Promise<void> {
    for (;;) {
      let rev: string | undefined;
      try {
        const cur = (await this.db.get(DESIGN_ID)) as unknown as { _rev: string; views?: unknown };
        if (JSON.stringify(cur.views) === JSON.stringify(DESIGN.views)) return;
        rev = cur._rev;
      } catch (e) {
        if (statusOf(e) !== 404) throw storeError(e, 'installing the system view');
      }
      try {
        await this.db.insert({ _id: DESIGN_ID, ...(rev ? { _rev: rev } : {}), ...DESIGN } as never);
        return;
      } catch (e) {
        if (statusOf(e) !== 409) throw storeError(e, 'installing the system view');
      }
    }
  }

  // ---- typed accessors ----

  getUser = (id: string): Promise<UserRecord | null> => this.get('user', id);
  getSession = (id: string): Promise<SessionRecord | null> => this.get('session', id);
  getDevice = (id: string): Promise<DeviceRecord | null> => this.get('device', id);
  getEnrollment = (codeHash: string): Promise<EnrollmentRecord | null> => this.get('enrollment', codeHash, false);

  createUser = (u: UserRecord): Promise<void> => this.create('user', u.id, u);
  createSession = (s: SessionRecord): Promise<void> => this.create('session', s.id, s);
  createDevice = (d: DeviceRecord): Promise<void> => this.create('device', d.deviceId, d);
  createEnrollment = (e: EnrollmentRecord): Promise<void> => this.create('enrollment', e.codeHash, e);

  updateUser = (id: string, f: (u: UserRecord) => UserRecord | null): Promise<UserRecord> => this.modify('user', id, f);
  updateSession = (id: string, f: (s: SessionRecord) => SessionRecord | null): Promise<SessionRecord> =>
    this.modify('session', id, f);
  updateDevice = (id: string, f: (d: DeviceRecord) => DeviceRecord | null): Promise<DeviceRecord> =>
    this.modify('device', id, f);
  updateEnrollment = (
    codeHash: string,
    f: (e: EnrollmentRecord) => EnrollmentRecord | null,
  ): Promise<EnrollmentRecord> => this.modify('enrollment', codeHash, f);

  async listUsers(): Promise<UserRecord[]> {
    try {
      const res = await this.db.list({ startkey: 'user:', endkey: 'user:\ufff0', include_docs: true });
      return res.rows.map((r) => (r.doc as unknown as StoredDoc).value as UserRecord);
    } catch (e) {
      throw storeError(e, 'listing users');
    }
  }

  async listDevices(): Promise<DeviceRecord[]> {
    try {
      const res = await this.db.list({ startkey: 'device:', endkey: 'device:\ufff0', include_docs: true });
      return res.rows.map((r) => (r.doc as unknown as StoredDoc).value as DeviceRecord);
    } catch (e) {
      throw storeError(e, 'listing devices');
    }
  }

  sessionsOfUser = (userId: string): Promise<SessionRecord[]> => this.byOwner('session', userId);
  devicesOfEmployee = (employeeId: string): Promise<DeviceRecord[]> => this.byOwner('device', employeeId);
  enrollmentsOfEmployee = (employeeId: string): Promise<EnrollmentRecord[]> => this.byOwner('enrollment', employeeId);

  /** Teams an employee belongs to, from their enrolled (unrevoked) devices. */
  async teamsOfEmployee(employeeId: string): Promise<string[]> {
    const devices = await this.devicesOfEmployee(employeeId);
    return [...new Set(devices.filter((d) => d.revokedAt === null && d.teamId !== null).map((d) => d.teamId!))];
  }

  /** Forgets cached copies, e.g. after another process changed st-system. */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
  }

  // ---- generic document plumbing ----

  private docId(kind: Kind, id: string): string {
    return `${kind}:${id}`;
  }

  private async get<K extends Kind>(kind: K, id: string, cached = true): Promise<Kinds[K] | null> {
    const docId = this.docId(kind, id);
    const hit = this.cache.get(docId);
    // cached values are frozen and shared: a copy per hit showed in the gateway's profile (bench:server)
    if (cached && hit && this.now() - hit.at < this.currentTtl()) return hit.value as Kinds[K];
    const before = this.generation;
    const doc = await this.read(docId);
    if (!doc || doc.kind !== kind) {
      if (before === this.generation) this.cache.delete(docId);
      return null;
    }
    // a write (e.g. a revocation) landed while this read was in flight: its cache entry is newer
    if (before === this.generation) this.remember(docId, doc.value, doc._rev ?? null);
    return deepFreeze(doc.value) as Kinds[K];
  }

  private async read(docId: string): Promise<StoredDoc | null> {
    try {
      return (await this.db.get(docId)) as unknown as StoredDoc;
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw storeError(e, `reading ${docId.split(':')[0]}`);
    }
  }

  private async create<K extends Kind>(kind: K, id: string, value: Kinds[K]): Promise<void> {
    const docId = this.docId(kind, id);
    let rev: string | null = null;
    try {
      rev = (await this.db.insert({ _id: docId, kind, value } as never)).rev ?? null;
    } catch (e) {
      if (statusOf(e) === 409)
        throw new AuthError(
          'conflict',
          kind === 'user' || kind === 'device' ? `${kind} ${id} already exists` : `${kind} already exists`,
        );
      throw storeError(e, `creating ${kind}`);
    }
    this.generation++;
    this.remember(docId, value, rev);
  }

  /**
   * Read-modify-write with retry on conflict. `f` returns the new value, or
   * null for "no change"; it may throw an AuthError to refuse.
   */
  private async modify<K extends Kind>(kind: K, id: string, f: (cur: Kinds[K]) => Kinds[K] | null): Promise<Kinds[K]> {
    const docId = this.docId(kind, id);
    for (let attempt = 0; attempt < 20; attempt++) {
      const doc = await this.read(docId);
      if (!doc || doc.kind !== kind) throw new AuthError('not-found', `no such ${kind}`);
      const next = f(structuredClone(doc.value) as Kinds[K]);
      if (next === null) {
        this.remember(docId, doc.value, doc._rev ?? null);
        return doc.value as Kinds[K];
      }
      try {
        const written = await this.db.insert({ _id: docId, _rev: doc._rev, kind, value: next } as never);
        this.generation++;
        this.remember(docId, next, written.rev ?? null);
        return next;
      } catch (e) {
        if (statusOf(e) !== 409) throw storeError(e, `updating ${kind}`);
      }
    }
    throw new AuthError('conflict', `${kind} keeps changing; try again`);
  }

  private async byOwner<K extends Kind>(kind: K, owner: string): Promise<Kinds[K][]> {
    try {
      const res = await this.db.view('sealtime-system', 'by_owner', { key: [kind, owner], include_docs: true });
      return res.rows.flatMap((r) => {
        const doc = r.doc as unknown as StoredDoc | undefined;
        return doc && doc.kind === kind ? [doc.value as Kinds[K]] : [];
      });
    } catch (e) {
      throw storeError(e, `listing ${kind}s`);
    }
  }

  private remember(docId: string, value: unknown, rev: string | null): void {
    if (this.ttl <= 0) return;
    this.cache.set(docId, { value: deepFreeze(structuredClone(value)), at: this.now(), rev });
    if (this.cache.size > 10_000) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}

/**
 * Password login and the life of a session: rate-limited per client address
 * across accounts and per (account, IP), each address holding at most a small
 * share of the password hasher's queue (password.ts),
 * every attempt audited with time and IP, tokens of 32 random bytes of which
 * only the SHA-256 is stored, revocation effective at once.
 */
import type { LoginResult } from '@sealtime/shared';
import type { AuditSink } from '../audit/audit-log.js';
import { isValidEntityId } from '../provisioning/db-names.js';
import { mayRevokeSessionsOf } from './access-rules.js';
import { actorName, actorOrigin, type Actor } from './actor.js';
import { AuthError } from './auth-errors.js';
import type { Clock } from './clock.js';
import { MAX_PASSWORD_CHARS, type PasswordHasher } from './password.js';
import type { Role } from './principal.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { DEFAULT_SESSION_LIMITS, type SessionLimits } from './session-rules.js';
import type { SessionRecord, SystemStore } from './system-store.js';
import { isTokenOf, randomToken, SESSION_TOKEN_BYTES, sha256Hex } from './tokens.js';
import type { SecondFactor, SessionScope, TotpService } from './totp.js';

export const LOGIN_ATTEMPTS_PER_WINDOW = 10;
export const LOGIN_WINDOW_MS = 60_000;
/**
 * Attempts one client address may make per window, whatever the account
 * names: made-up names are new keys to the per-account limit, so only this
 * stops one address from guessing across many accounts (or burning hashes).
 */
export const ADDRESS_ATTEMPTS_PER_WINDOW = 30;
/** Rate-limited refusals to one address are audited at most this often (with a count of the rest). */
export const REFUSAL_AUDIT_EVERY_MS = 10_000;

/** The answer to a login: a wire contract (shared/src/wire/api-contract.ts). */
export type { LoginResult } from '@sealtime/shared';

export interface SessionServiceOptions {
  store: SystemStore;
  audit: AuditSink;
  clock: Clock;
  hasher: PasswordHasher;
  limits?: Partial<SessionLimits>;
  limiter?: SlidingWindowLimiter;
  /** Per client address, across account names (default ADDRESS_ATTEMPTS_PER_WINDOW a minute). */
  addressLimiter?: SlidingWindowLimiter;
  /** The second factor; without it logins need only the password. */
  totp?: TotpService;
}

const trim = (s: string | null | undefined, n: number): string | null => (typeof s === 'string' ? s.slice(0, n) : null);

export class SessionService {
  readonly limits: SessionLimits;
  private readonly store: SystemStore;
  private readonly audit: AuditSink;
  private readonly clock: Clock;
  private readonly hasher: PasswordHasher;
  private readonly limiter: SlidingWindowLimiter;
  private readonly addressLimiter: SlidingWindowLimiter;
  private readonly totp: TotpService | undefined;
  private readonly refusals = new Map<string, { at: number; suppressed: number }>();

  constructor(opts: SessionServiceOptions) {
    this.store = opts.store;
    this.audit = opts.audit;
    this.clock = opts.clock;
    this.hasher = opts.hasher;
    this.totp = opts.totp;
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...opts.limits };
    this.limiter =
      opts.limiter ??
      new SlidingWindowLimiter({ limit: LOGIN_ATTEMPTS_PER_WINDOW, windowMs: LOGIN_WINDOW_MS, clock: opts.clock });
    this.addressLimiter =
      opts.addressLimiter ??
      new SlidingWindowLimiter({ limit: ADDRESS_ATTEMPTS_PER_WINDOW, windowMs: LOGIN_WINDOW_MS, clock: opts.clock });
  }

  /** Password, then (when the account has TOTP) the code or a recovery code in `second`. */
  async login(
    userId: unknown,
    password: unknown,
    ip: string,
    userAgent: string | null,
    second: SecondFactor = {},
  ): Promise<LoginResult> {
    const ua = trim(userAgent, 256);
    const name = typeof userId === 'string' ? userId.slice(0, 64) : '';
    const target = `user:${name}`;
    const fail = (reason: string, extra: Record<string, unknown> = {}): void => {
      if (reason === 'rate-limited') {
        const suppressed = this.quietRefusal(ip);
        if (suppressed === null) return;
        if (suppressed > 0) extra = { ...extra, suppressed };
      }
      this.audit.record({
        actor: 'anonymous',
        action: 'login.failure',
        target,
        ip,
        userAgent: ua,
        details: { reason, ...extra },
      });
    };

    // Counted before any work, so refused attempts cost no password hashing:
    // first per address across all names, then per (account, address).
    const byAddress = this.addressLimiter.check(ip);
    const gate = byAddress.allowed ? this.limiter.attempt(`${name}\u0000${ip}`) : byAddress;
    if (byAddress.allowed) this.addressLimiter.hit(ip);
    if (!gate.allowed) {
      fail('rate-limited', { retryAfterMs: gate.retryAfterMs });
      throw new AuthError(
        'rate-limited',
        `too many login attempts; try again in ${Math.ceil(gate.retryAfterMs / 1000)} s`,
        gate.retryAfterMs,
      );
    }
    if (
      typeof userId !== 'string' ||
      !isValidEntityId(userId) ||
      typeof password !== 'string' ||
      password.length > MAX_PASSWORD_CHARS * 4
    ) {
      fail('malformed');
      throw new AuthError('invalid-credentials', 'wrong account name or password');
    }

    try {
      return await this.verifyAndOpen(userId, password, ip, ua, fail, second);
    } catch (e) {
      // Outages and overload are failed attempts too; wrong passwords were audited already.
      if (
        e instanceof AuthError &&
        (e.code === 'store-unavailable' || e.code === 'busy' || e.code === 'conflict' || e.code === 'rate-limited')
      )
        fail(e.code);
      throw e;
    }
  }

  private async verifyAndOpen(
    userId: string,
    password: string,
    ip: string,
    ua: string | null,
    fail: (reason: string) => void,
    second: SecondFactor,
  ): Promise<LoginResult> {
    const user = await this.store.getUser(userId);
    if (!user || user.disabled) {
      await this.hasher.verifyNothing(password, ip);
      fail(user ? 'disabled' : 'unknown-account');
      throw new AuthError('invalid-credentials', 'wrong account name or password');
    }
    if (!(await this.hasher.verify(password, user.passwordHash, ip))) {
      fail('wrong-password');
      throw new AuthError('invalid-credentials', 'wrong account name or password');
    }

    // wrong codes are audited and limited by the TOTP service itself
    const scope: SessionScope = this.totp ? await this.totp.checkLogin(user, second, ip, ua) : 'full';

    const now = this.clock.now();
    const token = randomToken(SESSION_TOKEN_BYTES);
    const session: SessionRecord = {
      id: sha256Hex(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      revokedAt: null,
      ip,
      userAgent: ua,
      ...(scope === 'full' ? {} : { scope }),
    };
    await this.store.createSession(session);
    this.audit.record({
      actor: `user:${userId}`,
      action: 'login.success',
      target: `session:${session.id}`,
      ip,
      userAgent: ua,
      details: { role: user.role, scope, totp: !!user.totp },
    });

    if (this.hasher.needsRehash(user.passwordHash)) {
      // Raise an old hash to today's cost while the password is at hand; a failure here must not fail the login.
      try {
        const passwordHash = await this.hasher.hash(password);
        await this.store.updateUser(userId, (u) =>
          u.passwordHash === user.passwordHash ? { ...u, passwordHash, updatedAt: now } : null,
        );
      } catch {
        /* next login tries again */
      }
    }
    return { token, sessionId: session.id, userId, role: user.role, inactivityMs: this.limits.inactivityMs, scope };
  }

  /**
   * Whether to audit a rate-limited refusal to `ip`: at most one per address
   * every REFUSAL_AUDIT_EVERY_MS, so a flood cannot turn each refused attempt
   * into an audit write. Returns null to stay quiet, else how many refusals
   * went unaudited since the last entry (recorded with this one).
   */
  private quietRefusal(ip: string): number | null {
    const now = this.clock.now();
    const seen = this.refusals.get(ip);
    if (seen && now - seen.at < REFUSAL_AUDIT_EVERY_MS) {
      seen.suppressed++;
      return null;
    }
    this.refusals.delete(ip);
    this.refusals.set(ip, { at: now, suppressed: 0 });
    if (this.refusals.size > 10_000) this.refusals.delete(this.refusals.keys().next().value!);
    return seen?.suppressed ?? 0;
  }

  /** Ends the session that `token` opened. Unknown or already-ended tokens are a no-op (false). */
  async logout(token: unknown, ip: string | null, userAgent: string | null): Promise<boolean> {
    if (!isTokenOf(token, SESSION_TOKEN_BYTES)) return false;
    const id = sha256Hex(token);
    const s = await this.store.getSession(id);
    if (!s || s.revokedAt !== null) return false;
    await this.store.updateSession(id, (cur) =>
      cur.revokedAt === null ? { ...cur, revokedAt: this.clock.now() } : null,
    );
    this.audit.record({
      actor: `user:${s.userId}`,
      action: 'logout',
      target: `session:${id}`,
      ip,
      userAgent: trim(userAgent, 256),
    });
    return true;
  }

  async revokeSession(actor: Actor, sessionId: string): Promise<void> {
    const s = /^[0-9a-f]{64}$/.test(sessionId) ? await this.store.getSession(sessionId) : null;
    if (!s) throw new AuthError('not-found', 'no such session');
    await this.authorise(actor, s.userId);
    const before = s.revokedAt;
    const after = await this.store.updateSession(sessionId, (cur) =>
      cur.revokedAt === null ? { ...cur, revokedAt: this.clock.now() } : null,
    );
    this.audit.record({
      actor: actorName(actor),
      action: 'session.revoke',
      target: `session:${sessionId}`,
      before: { revokedAt: before },
      after: { revokedAt: after.revokedAt },
      ...actorOrigin(actor),
      details: { userId: s.userId },
    });
  }

  /** Ends every live session of `userId` at once; returns how many were ended. */
  async revokeAllForUser(actor: Actor, userId: string): Promise<number> {
    await this.authorise(actor, userId);
    const now = this.clock.now();
    let ended = 0;
    for (const s of await this.store.sessionsOfUser(userId)) {
      if (s.revokedAt !== null) continue;
      const after = await this.store.updateSession(s.id, (cur) =>
        cur.revokedAt === null ? { ...cur, revokedAt: now } : null,
      );
      if (after.revokedAt === now) ended++;
    }
    this.audit.record({
      actor: actorName(actor),
      action: 'session.revoke-all',
      target: `user:${userId}`,
      ...actorOrigin(actor),
      details: { ended },
    });
    return ended;
  }

  private async authorise(actor: Actor, userId: string): Promise<void> {
    if (actor.kind === 'system') return;
    if (actor.principal.userId === userId) return;
    const target = await this.store.getUser(userId);
    if (!target || !mayRevokeSessionsOf(actor.principal, userId, target.role)) {
      throw new AuthError('forbidden', "you may not end that account's sessions");
    }
  }
}

/**
 * TOTP second factor for people (RFC 6238 through the `otpauth` package:
 * SHA-1, 6 digits, 30 s steps, one step of drift either way) with ten
 * single-use recovery codes.
 *
 *   setup   → a new secret, shown once as base32 and as an otpauth:// URI,
 *             kept sealed as `totpPending` until confirmed
 *   enable  → the first code from the app confirms it; the recovery codes
 *             are shown once, kept only as keyed hashes
 *   login   → after the password, a code (or a recovery code) is required
 *   disable → by the person with a code, or by an account manager (lost phone)
 *
 * A code's time step is remembered: the same or an older step is refused,
 * so an observed code cannot be replayed within its window. Wrong codes are
 * audited and limited per account (an attacker holding the password may
 * come from many addresses). The secret is sealed with the server secret
 * (server-secret.ts), so st-system alone does not give it away.
 *
 * Policy: roles in `requiredFor` get no full session without TOTP: until
 * they enable it, logins open an enrolment session that can only set it up
 * (the API refuses everything else with `totp-enrolment-required`).
 */
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { AuditSink } from '../audit/audit-log.js';
import { mayManageUser } from './access-rules.js';
import { actorName, actorOrigin, type Actor } from './actor.js';
import { AuthError } from './auth-errors.js';
import type { Clock } from './clock.js';
import type { SessionScope, TotpStatus } from '@sealtime/shared';
import type { Role } from './principal.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import type { ServerSecret } from './server-secret.js';
import type { SystemStore, UserRecord } from './system-store.js';

export const TOTP_PERIOD_S = 30;
export const TOTP_DIGITS = 6;
export const RECOVERY_CODE_COUNT = 10;
export const TOTP_FAILURES_PER_WINDOW = 5;
export const TOTP_FAILURE_WINDOW_MS = 5 * 60_000;
const ISSUER = 'Sealtime';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** What a login says about the second factor (a full session, or one that may only enrol) and the status shown: wire contracts. */
export type { SessionScope, TotpStatus } from '@sealtime/shared';

export interface SecondFactor {
  totp?: unknown;
  recoveryCode?: unknown;
}

export interface TotpSetup {
  /** Base32, to type into an authenticator app; shown once. */
  secret: string;
  /** otpauth:// URI, for a QR code; shown once. */
  uri: string;
}

export interface TotpServiceOptions {
  store: SystemStore;
  audit: AuditSink;
  clock: Clock;
  secret: ServerSecret;
  /** Roles that need TOTP for a full session; `admin` implies `super-admin`. */
  requiredFor?: readonly Role[];
}

function recoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => BASE32[b & 31]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

const normaliseRecovery = (c: string): string => c.toLowerCase().replace(/[\s-]/g, '');

export class TotpService {
  private readonly store: SystemStore;
  private readonly audit: AuditSink;
  private readonly clock: Clock;
  private readonly secret: ServerSecret;
  private readonly requiredFor: ReadonlySet<Role>;
  private readonly failures: SlidingWindowLimiter;

  constructor(opts: TotpServiceOptions) {
    this.store = opts.store;
    this.audit = opts.audit;
    this.clock = opts.clock;
    this.secret = opts.secret;
    const roles = new Set(opts.requiredFor ?? []);
    if (roles.has('admin')) roles.add('super-admin');
    this.requiredFor = roles;
    this.failures = new SlidingWindowLimiter({
      limit: TOTP_FAILURES_PER_WINDOW,
      windowMs: TOTP_FAILURE_WINDOW_MS,
      clock: opts.clock,
    });
  }

  required(role: Role): boolean {
    return this.requiredFor.has(role);
  }

  get policy(): Role[] {
    return [...this.requiredFor];
  }

  status(user: UserRecord): TotpStatus {
    const t = user.totp;
    return {
      enabled: !!t,
      enabledAt: t?.enabledAt ?? null,
      recoveryCodesLeft: t?.recoveryCodeHashes.length ?? 0,
      required: this.required(user.role),
    };
  }

  /**
   * The second step of a login, after the right password: 'full' when no code
   * is needed or a right one was given, 'totp-enrolment' when policy requires
   * TOTP the account has not set up; throws `totp-required` (no code given),
   * `invalid-totp` (wrong or replayed) or `rate-limited`.
   */
  async checkLogin(user: UserRecord, given: SecondFactor, ip: string, userAgent: string | null): Promise<SessionScope> {
    if (!user.totp) return this.required(user.role) ? 'totp-enrolment' : 'full';
    if (given.totp === undefined && given.recoveryCode === undefined) {
      throw new AuthError(
        'totp-required',
        'this account needs a code from its authenticator app (totp) or a recovery code (recoveryCode)',
      );
    }
    const origin = { ip, userAgent };
    if (given.recoveryCode !== undefined) await this.useRecoveryCode(user.id, given.recoveryCode, 'login', origin);
    else await this.useCode(user.id, given.totp, 'login', origin);
    return 'full';
  }

  /** Starts (or restarts) setting up TOTP for the actor's own account. */
  async setup(actor: Actor): Promise<TotpSetup> {
    const userId = this.self(actor);
    const secret = new Secret({ size: 20 });
    const sealed = this.secret.seal(new Uint8Array(secret.buffer), `totp:${userId}`);
    await this.store.updateUser(userId, (u) => {
      if (u.totp) throw new AuthError('conflict', 'TOTP is already enabled for this account; disable it first');
      return { ...u, totpPending: { secret: sealed, createdAt: this.clock.now() } };
    });
    this.audit.record({
      actor: actorName(actor),
      action: 'totp.setup',
      target: `user:${userId}`,
      ...actorOrigin(actor),
    });
    return { secret: secret.base32, uri: this.totp(userId, secret).toString() };
  }

  /**
   * Confirms setup with a first code; returns the recovery codes (shown
   * once). An enrolment session (`sessionId`) becomes a full one.
   */
  async enable(actor: Actor, code: unknown, sessionId?: string): Promise<{ recoveryCodes: string[] }> {
    const userId = this.self(actor);
    const user = await this.store.getUser(userId);
    if (!user?.totpPending) throw new AuthError('conflict', 'start with POST totp/setup');
    const step = this.matchStep(userId, user.totpPending.secret, code, actor);
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, recoveryCode);
    const recoveryCodeHashes = codes.map((c) => this.secret.mac(normaliseRecovery(c), `recovery:${userId}`));
    const now = this.clock.now();
    await this.store.updateUser(userId, (u) => {
      if (!u.totpPending || u.totpPending.secret !== user.totpPending!.secret)
        throw new AuthError('conflict', 'TOTP setup changed meanwhile; start again');
      return {
        ...u,
        totp: { secret: u.totpPending.secret, enabledAt: now, lastStep: step, recoveryCodeHashes },
        totpPending: null,
        updatedAt: now,
      };
    });
    if (sessionId)
      await this.store.updateSession(sessionId, (s) => (s.scope === 'totp-enrolment' ? { ...s, scope: 'full' } : null));
    this.audit.record({
      actor: actorName(actor),
      action: 'totp.enable',
      target: `user:${userId}`,
      ...actorOrigin(actor),
      details: { recoveryCodes: RECOVERY_CODE_COUNT },
    });
    return { recoveryCodes: codes };
  }

  /**
   * Turns TOTP off: for one's own account with a current code or a recovery
   * code; for someone else's by whoever may manage that account (no code).
   */
  async disable(actor: Actor, userId: string, given: SecondFactor): Promise<void> {
    const user = await this.store.getUser(userId);
    if (!user) throw new AuthError('not-found', 'no such account');
    const self = actor.kind === 'person' && actor.principal.userId === userId;
    if (!self && actor.kind === 'person' && !mayManageUser(actor.principal, user.role, user.role)) {
      throw new AuthError('forbidden', `a ${actor.principal.role} may not manage ${user.role} accounts`);
    }
    if (!user.totp && !user.totpPending) return;
    if (self && user.totp) {
      const origin = actorOrigin(actor);
      if (given.recoveryCode !== undefined) await this.useRecoveryCode(userId, given.recoveryCode, 'disable', origin);
      else await this.useCode(userId, given.totp, 'disable', origin);
    }
    await this.store.updateUser(userId, (u) => ({ ...u, totp: null, totpPending: null, updatedAt: this.clock.now() }));
    this.audit.record({
      actor: actorName(actor),
      action: 'totp.disable',
      target: `user:${userId}`,
      ...actorOrigin(actor),
      details: { self },
    });
  }

  // ---- codes ----

  private totp(userId: string, secret: Secret): TOTP {
    return new TOTP({
      issuer: ISSUER,
      label: userId,
      algorithm: 'SHA1',
      digits: TOTP_DIGITS,
      period: TOTP_PERIOD_S,
      secret,
    });
  }

  /** The time step `code` belongs to (±1 step), or a typed refusal (audited, counted). */
  private matchStep(
    userId: string,
    sealed: string,
    code: unknown,
    actor: Actor | { ip: string | null; userAgent: string | null },
    purpose = 'enable',
  ): number {
    this.gate(userId);
    const now = this.clock.now();
    let delta: number | null = null;
    if (typeof code === 'string' && /^\d{6}$/.test(code)) {
      const secret = new Secret({ buffer: new Uint8Array(this.secret.open(sealed, `totp:${userId}`)).buffer });
      delta = this.totp(userId, secret).validate({ token: code, timestamp: now, window: 1 });
    }
    if (delta === null)
      this.refuse(
        userId,
        purpose,
        'wrong-code',
        'kind' in actor ? { actor: actorName(actor), ...actorOrigin(actor) } : { actor: 'anonymous', ...actor },
      );
    return Math.floor(now / 1000 / TOTP_PERIOD_S) + delta!;
  }

  private async useCode(
    userId: string,
    code: unknown,
    purpose: string,
    origin: { ip: string | null; userAgent: string | null },
  ): Promise<void> {
    const user = await this.store.getUser(userId);
    if (!user?.totp) throw new AuthError('invalid-totp', 'TOTP is not enabled for this account');
    const step = this.matchStep(userId, user.totp.secret, code, origin, purpose);
    let replayed = false;
    await this.store.updateUser(userId, (u) => {
      if (!u.totp) throw new AuthError('invalid-totp', 'TOTP was disabled meanwhile');
      // the same code twice, or an older one after a newer: refused (RFC 6238 §5.2)
      if (step <= u.totp.lastStep) {
        replayed = true;
        return null;
      }
      return { ...u, totp: { ...u.totp, lastStep: step } };
    });
    if (replayed)
      this.refuse(userId, purpose, 'replayed-code', {
        actor: purpose === 'login' ? 'anonymous' : `user:${userId}`,
        ...origin,
      });
  }

  private async useRecoveryCode(
    userId: string,
    code: unknown,
    purpose: string,
    origin: { ip: string | null; userAgent: string | null },
  ): Promise<void> {
    this.gate(userId);
    const mac =
      typeof code === 'string' && code.length <= 64
        ? this.secret.mac(normaliseRecovery(code), `recovery:${userId}`)
        : null;
    let left = -1;
    await this.store.updateUser(userId, (u) => {
      const i = mac && u.totp ? u.totp.recoveryCodeHashes.indexOf(mac) : -1;
      if (i < 0 || !u.totp) return null;
      const rest = u.totp.recoveryCodeHashes.filter((_, k) => k !== i);
      left = rest.length;
      return { ...u, totp: { ...u.totp, recoveryCodeHashes: rest } };
    });
    const actor = purpose === 'login' ? 'anonymous' : `user:${userId}`;
    if (left < 0) this.refuse(userId, purpose, 'wrong-recovery-code', { actor, ...origin });
    this.audit.record({
      actor,
      action: 'totp.recovery-code-used',
      target: `user:${userId}`,
      ...origin,
      details: { purpose, left },
    });
  }

  private gate(userId: string): void {
    const d = this.failures.check(userId);
    if (!d.allowed)
      throw new AuthError(
        'rate-limited',
        `too many wrong codes for this account; try again in ${Math.ceil(d.retryAfterMs / 1000)} s`,
        d.retryAfterMs,
      );
  }

  private refuse(
    userId: string,
    purpose: string,
    reason: string,
    who: { actor: string; ip: string | null; userAgent: string | null },
  ): never {
    this.failures.hit(userId);
    this.audit.record({
      actor: who.actor,
      action: 'totp.failure',
      target: `user:${userId}`,
      ip: who.ip,
      userAgent: who.userAgent,
      details: { purpose, reason },
    });
    throw new AuthError(
      'invalid-totp',
      reason === 'replayed-code' ? 'that code was used already; wait for the next one' : 'wrong code',
    );
  }

  private self(actor: Actor): string {
    if (actor.kind !== 'person') throw new AuthError('forbidden', 'TOTP is set up by the person who will use it');
    return actor.principal.userId;
  }
}

/**
 * Wires the identity layer together for the gateway and the CLI: one store
 * over st-system, one password hasher, and the services that share them.
 */
import type { DocumentScope } from 'nano';
import type { Logger } from 'pino';
import type { AuditSink } from '../audit/audit-log.js';
import type { Clock } from './clock.js';
import { EnrollmentService } from './enrollment.js';
import { createIdentity } from './identity.js';
import { LoginTarpit } from './login-tarpit.js';
import { PasswordHasher, type PasswordCost } from './password.js';
import type { Identity, Role } from './principal.js';
import type { SessionLimits } from './session-rules.js';
import { SessionService } from './sessions.js';
import type { ServerSecret } from './server-secret.js';
import { SystemStore } from './system-store.js';
import { TotpService } from './totp.js';
import { UserAdmin } from './user-admin.js';

export interface AuthServicesOptions {
  systemDb: DocumentScope<unknown>;
  audit: AuditSink;
  clock: Clock;
  sessionLimits?: Partial<SessionLimits>;
  passwordCost?: PasswordCost;
  /** How long st-system lookups are cached (default DEFAULT_CACHE_TTL_MS, 30 s; this process's own writes apply at once). */
  cacheTtlMs?: number;
  /** Follow st-system's changes feed so other processes' changes reach the cache at once (default true; SystemStoreOptions.follow). */
  followChanges?: boolean;
  enrollmentTtlMs?: number;
  logger?: Logger;
  /** Seals TOTP secrets and keys recovery-code hashes (server-secret.ts); without it TOTP is off. */
  serverSecret?: ServerSecret;
  /** Roles that get no full session without TOTP (`admin` implies `super-admin`). */
  requireTotpFor?: readonly Role[];
}

export interface AuthServices {
  store: SystemStore;
  hasher: PasswordHasher;
  sessions: SessionService;
  users: UserAdmin;
  enrollment: EnrollmentService;
  identity: Identity;
  /** Present when a server secret was given. */
  totp: TotpService | null;
  /** Slows down answers to refused logins (the login route holds them here). */
  tarpit: LoginTarpit;
  /** Stops following st-system's changes feed (before the engine goes away). */
  close(): void;
}

export async function openAuthServices(opts: AuthServicesOptions): Promise<AuthServices> {
  const log = opts.logger;
  const store = await SystemStore.open(opts.systemDb, {
    clock: opts.clock,
    follow: opts.followChanges ?? true,
    ...(opts.cacheTtlMs !== undefined ? { cacheTtlMs: opts.cacheTtlMs } : {}),
    ...(log
      ? {
          onFollowError: (message: string) =>
            log.warn(
              { err: message },
              'st-system changes feed failed; the identity cache falls back to its short lifetime',
            ),
        }
      : {}),
  });
  const hasher = new PasswordHasher(opts.passwordCost ? { cost: opts.passwordCost } : {});
  const totp = opts.serverSecret
    ? new TotpService({
        store,
        audit: opts.audit,
        clock: opts.clock,
        secret: opts.serverSecret,
        ...(opts.requireTotpFor ? { requiredFor: opts.requireTotpFor } : {}),
      })
    : null;
  const sessions = new SessionService({
    store,
    audit: opts.audit,
    clock: opts.clock,
    hasher,
    ...(opts.sessionLimits ? { limits: opts.sessionLimits } : {}),
    ...(totp ? { totp } : {}),
  });
  const users = new UserAdmin(store, sessions, hasher, opts.audit, opts.clock);
  const enrollment = new EnrollmentService({
    store,
    audit: opts.audit,
    clock: opts.clock,
    ...(opts.enrollmentTtlMs !== undefined ? { defaultTtlMs: opts.enrollmentTtlMs } : {}),
  });
  const identity = createIdentity(store, opts.clock, {
    ...sessions.limits,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  return {
    store,
    hasher,
    sessions,
    users,
    enrollment,
    identity,
    totp,
    tarpit: new LoginTarpit(),
    close: () => {
      store.close();
      void hasher.close();
    },
  };
}

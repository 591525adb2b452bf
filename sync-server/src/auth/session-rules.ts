/** When a session stops being valid: shared by login bookkeeping and the identity layer. */
import type { SessionRecord } from './system-store.js';

export interface SessionLimits {
  /** Idle time after which a session ends (default 30 min). */
  inactivityMs: number;
  /** Age after which a session ends however active it is (default 12 h). */
  maxAgeMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { inactivityMs: 30 * 60_000, maxAgeMs: 12 * 3_600_000 };

export type SessionState = 'live' | 'revoked' | 'idle-expired' | 'max-age-expired';

export function sessionState(s: SessionRecord, now: number, limits: SessionLimits): SessionState {
  if (s.revokedAt !== null) return 'revoked';
  if (now - s.lastSeenAt > limits.inactivityMs) return 'idle-expired';
  if (now - s.createdAt > limits.maxAgeMs) return 'max-age-expired';
  return 'live';
}

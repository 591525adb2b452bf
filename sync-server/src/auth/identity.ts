/**
 * Turns a request's Authorization header into a principal:
 *
 *   Authorization: Bearer <session token>               people (admin app, CLI)
 *   Authorization: Device <deviceId>:<credential>        devices (agent)
 *   Authorization: Basic base64(<deviceId>:<credential>) devices, for clients
 *                                                        that only speak Basic
 *
 * Anything absent, malformed, unknown, revoked or expired yields null (the
 * gateway answers 401). A live session's lastSeenAt is refreshed at most once
 * per `touchIntervalMs`, in the background, so a busy replication stream does
 * not turn every request into a write; a device's lastSeenAt likewise. The user document is read (briefly
 * cached) on every request, so a role change or disabling applies at once.
 * If st-system is unreachable this throws AuthError('store-unavailable'),
 * which the gateway should answer with 503, not 401.
 */
import type { Logger } from 'pino';
import { isValidEntityId } from '../provisioning/db-names.js';
import type { Clock } from './clock.js';
import type { DevicePrincipal, Identity, PersonPrincipal } from './principal.js';
import { DEFAULT_SESSION_LIMITS, sessionState, type SessionLimits } from './session-rules.js';
import type { SystemStore } from './system-store.js';
import { DEVICE_CREDENTIAL_BYTES, equalHex, isTokenOf, SESSION_TOKEN_BYTES, sha256Hex } from './tokens.js';

export interface IdentityOptions extends Partial<SessionLimits> {
  /** How stale lastSeenAt may get before it is written again (default 60 s). */
  touchIntervalMs?: number;
  logger?: Logger;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function authorization(headers: Headers): string | null {
  // Node lower-cases incoming header names; accept either spelling from other callers.
  const raw = headers['authorization'] ?? headers['Authorization'];
  const value = Array.isArray(raw) ? (raw.length === 1 ? raw[0] : undefined) : raw;
  return typeof value === 'string' && value.length <= 512 ? value.trim() : null;
}

function deviceCredentials(scheme: string, rest: string): { deviceId: string; credential: string } | null {
  let pair = rest;
  if (scheme === 'basic') {
    if (!/^[A-Za-z0-9+/]+=*$/.test(rest)) return null;
    pair = Buffer.from(rest, 'base64').toString('utf8');
  }
  const i = pair.indexOf(':');
  if (i < 0) return null;
  const deviceId = pair.slice(0, i);
  const credential = pair.slice(i + 1);
  return isValidEntityId(deviceId) && isTokenOf(credential, DEVICE_CREDENTIAL_BYTES) ? { deviceId, credential } : null;
}

export function createIdentity(store: SystemStore, clock: Clock, opts: IdentityOptions = {}): Identity {
  const limits: SessionLimits = {
    inactivityMs: opts.inactivityMs ?? DEFAULT_SESSION_LIMITS.inactivityMs,
    maxAgeMs: opts.maxAgeMs ?? DEFAULT_SESSION_LIMITS.maxAgeMs,
  };
  const touchEvery = opts.touchIntervalMs ?? 60_000;
  const touching = new Set<string>();
  // Activity seen here but perhaps not yet written: counts for expiry at once.
  const seen = new Map<string, number>();

  function touch(sessionId: string, at: number): void {
    if (touching.has(sessionId)) return;
    touching.add(sessionId);
    // Only lastSeenAt moves forward; a concurrent revocation is kept.
    store
      .updateSession(sessionId, (s) => (s.lastSeenAt >= at ? null : { ...s, lastSeenAt: at }))
      .catch((e: unknown) => opts.logger?.warn({ err: (e as Error).message }, 'could not record session activity'))
      .finally(() => touching.delete(sessionId));
  }

  async function person(token: string): Promise<PersonPrincipal | null> {
    if (!isTokenOf(token, SESSION_TOKEN_BYTES)) return null;
    const id = sha256Hex(token);
    const stored = await store.getSession(id);
    const now = clock.now();
    if (!stored) return null;
    const session = { ...stored, lastSeenAt: Math.max(stored.lastSeenAt, seen.get(id) ?? 0) };
    if (sessionState(session, now, limits) !== 'live') {
      seen.delete(id);
      return null;
    }
    seen.delete(id);
    seen.set(id, now);
    if (seen.size > 100_000) seen.delete(seen.keys().next().value!);
    const user = await store.getUser(session.userId);
    if (!user || user.disabled) return null;
    if (now - stored.lastSeenAt >= touchEvery) touch(id, now);
    return {
      type: 'person',
      userId: user.id,
      role: user.role,
      teams: [...user.teams],
      employeeId: user.employeeId,
      sessionId: id,
      ...(stored.scope === 'totp-enrolment' ? { totpEnrolmentOnly: true } : {}),
    };
  }

  const touchingDevices = new Set<string>();
  /** A device's last contact, for the admin app's device list; a concurrent revocation is kept. */
  function touchDevice(deviceId: string, at: number): void {
    if (touchingDevices.has(deviceId)) return;
    touchingDevices.add(deviceId);
    store
      .updateDevice(deviceId, (d) => ((d.lastSeenAt ?? 0) >= at ? null : { ...d, lastSeenAt: at }))
      .catch((e: unknown) => opts.logger?.warn({ err: (e as Error).message }, 'could not record device contact'))
      .finally(() => touchingDevices.delete(deviceId));
  }

  async function device(deviceId: string, credential: string): Promise<DevicePrincipal | null> {
    const d = await store.getDevice(deviceId);
    if (!d || d.revokedAt !== null || !equalHex(sha256Hex(credential), d.credentialHash)) return null;
    const now = clock.now();
    if (now - (d.lastSeenAt ?? 0) >= touchEvery) touchDevice(d.deviceId, now);
    return {
      type: 'device',
      deviceId: d.deviceId,
      employeeId: d.employeeId,
      teamId: d.teamId,
      signPublicKey: d.signPublicKey ?? null,
    };
  }

  return {
    async authenticate(headers) {
      const auth = authorization(headers);
      if (!auth) return null;
      const sp = auth.indexOf(' ');
      if (sp < 0) return null;
      const scheme = auth.slice(0, sp).toLowerCase();
      const rest = auth.slice(sp + 1).trim();
      if (scheme === 'bearer') return person(rest);
      if (scheme === 'device' || scheme === 'basic') {
        const c = deviceCredentials(scheme, rest);
        return c ? device(c.deviceId, c.credential) : null;
      }
      return null;
    },
  };
}

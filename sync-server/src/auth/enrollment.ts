/**
 * Device enrollment: an admin creates a one-time code for an employee that
 * expires (default 24 h); the employee's agent redeems it once for a device id
 * and a credential of its own. Only hashes of codes and credentials are kept.
 * Failed redemptions are rate-limited per IP and audited.
 */
import type { EnrollmentCode as CreatedEnrollment, PublicDevice } from '@sealtime/shared';
import type { AuditSink } from '../audit/audit-log.js';
import { isValidEntityId } from '../provisioning/db-names.js';
import { mayManageDevices } from './access-rules.js';
import { actorName, actorOrigin, type Actor } from './actor.js';
import { AuthError } from './auth-errors.js';
import type { Clock } from './clock.js';
import {
  ENROLLMENT_SECRET_BYTES,
  formatEnrollmentCode,
  normalizeFingerprint,
  parseEnrollmentCode,
} from './enrollment-code.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import type { DeviceRecord, EnrollmentRecord, SystemStore } from './system-store.js';
import { DEVICE_CREDENTIAL_BYTES, randomHex, randomToken, sha256Hex } from './tokens.js';

export const DEFAULT_ENROLLMENT_TTL_MS = 24 * 3_600_000;
const MIN_TTL_MS = 60_000;
const MAX_TTL_MS = 30 * 24 * 3_600_000;

export interface NewEnrollment {
  employeeId: string;
  teamId?: string | null;
  /** fingerprint(orgSignPublicKey) from @sealtime/shared. */
  orgKeyFingerprint: string;
  ttlMs?: number;
}

/** A new enrollment code (a wire contract: the code is shown once to the admin; only its hash is stored). */
export type { EnrollmentCode as CreatedEnrollment } from '@sealtime/shared';

export interface DeviceInfo {
  name?: unknown;
  platform?: unknown;
  /** base64url of the device's 32-byte Ed25519 public key (the API requires it). */
  signPublicKey?: unknown;
}

/**
 * The key as stored, or an error text; only undefined means "not given" (the
 * API requires it; tests and the CLI may enroll keyless). A JSON null is a
 * wrong type, not an absent key: accepting it enrolled a device whose records
 * no signature check could ever bind.
 */
export function checkSignPublicKey(x: unknown): { ok: true; value: string | null } | { ok: false; reason: string } {
  if (x === undefined) return { ok: true, value: null };
  const wanted = 'signPublicKey must be the base64url (unpadded) encoding of a 32-byte Ed25519 public key';
  if (typeof x !== 'string')
    return {
      ok: false,
      reason: `${wanted}, not ${x === null ? 'null' : Array.isArray(x) ? 'an array' : `a ${typeof x}`}`,
    };
  if (!/^[A-Za-z0-9_-]{43}$/.test(x) || Buffer.from(x, 'base64url').length !== 32) {
    return { ok: false, reason: `${wanted} (43 characters; got ${Math.min(x.length, 9999)})` };
  }
  return { ok: true, value: x };
}

export interface EnrolledDevice {
  deviceId: string;
  /** Shown once to the device; only its hash is stored. */
  deviceCredential: string;
  employeeId: string;
  teamId: string | null;
  orgKeyFingerprint: string;
}

/** An enrolled device as the API shows it (a wire contract): the record without its credential hash. */
export type { PublicDevice } from '@sealtime/shared';

export interface EnrollmentServiceOptions {
  store: SystemStore;
  audit: AuditSink;
  clock: Clock;
  defaultTtlMs?: number;
  /** Failed redemptions allowed per IP per minute (default 10). */
  failuresPerMinute?: number;
}

const label = (x: unknown): string | null => (typeof x === 'string' && x.trim() !== '' ? x.trim().slice(0, 100) : null);

export function publicDevice(d: DeviceRecord): PublicDevice {
  const { credentialHash: _omit, ...rest } = d;
  return rest;
}

export class EnrollmentService {
  private readonly store: SystemStore;
  private readonly audit: AuditSink;
  private readonly clock: Clock;
  private readonly defaultTtlMs: number;
  private readonly failures: SlidingWindowLimiter;

  constructor(opts: EnrollmentServiceOptions) {
    this.store = opts.store;
    this.audit = opts.audit;
    this.clock = opts.clock;
    this.defaultTtlMs = opts.defaultTtlMs ?? DEFAULT_ENROLLMENT_TTL_MS;
    this.failures = new SlidingWindowLimiter({
      limit: opts.failuresPerMinute ?? 10,
      windowMs: 60_000,
      clock: opts.clock,
    });
  }

  async createCode(actor: Actor, input: NewEnrollment): Promise<CreatedEnrollment> {
    if (actor.kind === 'person' && !mayManageDevices(actor.principal))
      throw new AuthError('forbidden', 'only admins create enrollment codes');
    if (typeof input?.employeeId !== 'string' || !isValidEntityId(input.employeeId))
      throw new AuthError('invalid-input', 'employeeId must be an id (lowercase letters, digits, dashes)');
    const teamId = input.teamId ?? null;
    if (teamId !== null && (typeof teamId !== 'string' || !isValidEntityId(teamId)))
      throw new AuthError('invalid-input', 'teamId must be an id or null');
    const fp = normalizeFingerprint(input.orgKeyFingerprint);
    if (!fp)
      throw new AuthError(
        'invalid-input',
        'orgKeyFingerprint must be the 32-hex-digit fingerprint of the organisation signing key',
      );
    const ttl = input.ttlMs ?? this.defaultTtlMs;
    if (!Number.isInteger(ttl) || ttl < MIN_TTL_MS || ttl > MAX_TTL_MS)
      throw new AuthError('invalid-input', 'ttlMs must be between one minute and 30 days');

    const secret = randomToken(ENROLLMENT_SECRET_BYTES);
    const now = this.clock.now();
    const rec: EnrollmentRecord = {
      codeHash: sha256Hex(secret),
      employeeId: input.employeeId,
      teamId,
      expiresAt: now + ttl,
      usedAt: null,
      usedByDevice: null,
      createdBy: actorName(actor),
      createdAt: now,
      orgKeyFingerprint: fp,
    };
    await this.store.createEnrollment(rec);
    this.audit.record({
      actor: actorName(actor),
      action: 'enrollment.create',
      target: `employee:${rec.employeeId}`,
      ...actorOrigin(actor),
      details: { teamId, expiresAt: rec.expiresAt, codeId: rec.codeHash.slice(0, 16) },
    });
    return { code: formatEnrollmentCode(secret, fp), employeeId: rec.employeeId, teamId, expiresAt: rec.expiresAt };
  }

  /** Trades a valid, unused, unexpired code for a device identity. Each code works once. */
  async redeem(
    code: unknown,
    info: DeviceInfo,
    origin: { ip: string; userAgent: string | null },
  ): Promise<EnrolledDevice> {
    // Checked before the code is looked at, so a malformed key never uses up a code.
    const signKey = checkSignPublicKey(info?.signPublicKey);
    if (!signKey.ok) throw new AuthError('invalid-input', signKey.reason);
    const key = origin.ip;
    const gate = this.failures.check(key);
    if (!gate.allowed)
      throw new AuthError(
        'rate-limited',
        `too many failed enrollments; try again in ${Math.ceil(gate.retryAfterMs / 1000)} s`,
        gate.retryAfterMs,
      );
    const refuse = (err: AuthError, codeId: string | null): never => {
      this.failures.hit(key);
      this.audit.record({
        actor: 'anonymous',
        action: 'enrollment.failure',
        target: codeId ? `enrollment:${codeId}` : 'enrollment',
        ...origin,
        details: { reason: err.code },
      });
      throw err;
    };

    const parsed = parseEnrollmentCode(code);
    if (!parsed)
      return refuse(
        new AuthError('enrollment-invalid', 'this is not an enrollment code (expected st1.<secret>.<fingerprint>)'),
        null,
      );
    const codeHash = sha256Hex(parsed.secret);
    const codeId = codeHash.slice(0, 16);
    const rec = await this.store.getEnrollment(codeHash);
    if (!rec)
      return refuse(new AuthError('enrollment-unknown', 'unknown enrollment code; ask an admin for a new one'), codeId);
    if (rec.orgKeyFingerprint !== parsed.orgKeyFingerprint)
      return refuse(
        new AuthError('enrollment-invalid', 'the code was altered: its key fingerprint does not match'),
        codeId,
      );

    const deviceId = `dev-${randomHex(10)}`;
    const now = this.clock.now();
    let claimed: EnrollmentRecord;
    try {
      // The revision check makes this the single winner when two devices race with one code.
      claimed = await this.store.updateEnrollment(codeHash, (cur) => {
        if (cur.usedAt !== null)
          throw new AuthError('enrollment-used', 'this enrollment code was already used; ask an admin for a new one');
        if (now >= cur.expiresAt)
          throw new AuthError('enrollment-expired', 'this enrollment code has expired; ask an admin for a new one');
        return { ...cur, usedAt: now, usedByDevice: deviceId };
      });
    } catch (e) {
      if (e instanceof AuthError && e.code.startsWith('enrollment-')) return refuse(e, codeId);
      throw e;
    }

    const credential = randomToken(DEVICE_CREDENTIAL_BYTES);
    const device: DeviceRecord = {
      deviceId,
      employeeId: claimed.employeeId,
      teamId: claimed.teamId,
      credentialHash: sha256Hex(credential),
      revokedAt: null,
      enrolledAt: now,
      name: label(info?.name),
      platform: label(info?.platform),
      signPublicKey: signKey.value,
    };
    await this.store.createDevice(device);
    this.audit.record({
      actor: `device:${deviceId}`,
      action: 'device.enroll',
      target: `employee:${device.employeeId}`,
      after: publicDevice(device),
      ...origin,
      details: { codeId, createdBy: claimed.createdBy },
    });
    return {
      deviceId,
      deviceCredential: credential,
      employeeId: device.employeeId,
      teamId: device.teamId,
      orgKeyFingerprint: claimed.orgKeyFingerprint,
    };
  }

  async revokeDevice(actor: Actor, deviceId: string): Promise<PublicDevice> {
    if (actor.kind === 'person' && !mayManageDevices(actor.principal))
      throw new AuthError('forbidden', 'only admins revoke devices');
    const found =
      typeof deviceId === 'string' && isValidEntityId(deviceId) ? await this.store.getDevice(deviceId) : null;
    if (!found) throw new AuthError('not-found', 'no such device');
    // the state this change was applied to: a last-contact write in between is not part of the revocation
    let before: DeviceRecord = found;
    const after = await this.store.updateDevice(deviceId, (d) => {
      before = d;
      return d.revokedAt === null ? { ...d, revokedAt: this.clock.now() } : null;
    });
    this.audit.record({
      actor: actorName(actor),
      action: 'device.revoke',
      target: `device:${deviceId}`,
      before: publicDevice(before),
      after: publicDevice(after),
      ...actorOrigin(actor),
    });
    return publicDevice(after);
  }

  /** Revokes every device of an employee (leaving, erasure); returns how many were live. */
  async revokeDevicesOfEmployee(actor: Actor, employeeId: string): Promise<number> {
    let n = 0;
    for (const d of await this.store.devicesOfEmployee(employeeId)) {
      if (d.revokedAt !== null) continue;
      await this.revokeDevice(actor, d.deviceId);
      n++;
    }
    return n;
  }

  async devicesOf(employeeId: string): Promise<PublicDevice[]> {
    return (await this.store.devicesOfEmployee(employeeId)).map(publicDevice);
  }
}

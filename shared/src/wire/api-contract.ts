/**
 * Request and response bodies of the sync-server's JSON API
 * (/_sealtime/api/): the server's routes answer with them and the admin
 * client reads them, so a change to either side breaks the build of both.
 * Only the shapes that cross the wire live here; the server's handler
 * plumbing stays in sync-server/src/api/api-types.ts.
 */
import type { Role } from './roles.js';

export const API_PREFIX = '/_sealtime/api/';

/** 'totp-enrolment': the server's policy requires TOTP of this role; the session may only set it up. */
export type SessionScope = 'full' | 'totp-enrolment';

/** The second step of a login to an account with TOTP (the server first answers 401 `totp-required`). */
export interface SecondFactor {
  totp?: string;
  recoveryCode?: string;
}

/** POST login. */
export interface LoginRequest extends SecondFactor {
  userId: string;
  password: string;
}

export interface LoginResult {
  /** Give to the client once; never stored or logged. */
  token: string;
  sessionId: string;
  userId: string;
  role: Role;
  inactivityMs: number;
  scope: SessionScope;
}

/** GET totp. */
export interface TotpStatus {
  enabled: boolean;
  enabledAt: number | null;
  recoveryCodesLeft: number;
  /** Whether the server's policy requires TOTP for this account's role. */
  required: boolean;
}

/** GET me: who the credential on the request belongs to. */
export interface PersonMe {
  type: 'person';
  userId: string;
  role: Role;
  teams: string[];
  employeeId: string | null;
  scope: SessionScope;
}

export interface DeviceMe {
  type: 'device';
  deviceId: string;
  employeeId: string;
  teamId: string | null;
}

export type Me = PersonMe | DeviceMe;

/** POST users. */
export interface CreateUserRequest {
  id: string;
  password: string;
  role: Role;
  teams?: string[];
  employeeId?: string | null;
}

/** An account as the API shows it: never the password hash or TOTP secrets. */
export interface PublicUser {
  id: string;
  role: Role;
  teams: string[];
  employeeId: string | null;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  totpEnabled: boolean;
}

/** POST enrollment-codes. */
export interface EnrollmentCodeRequest {
  employeeId: string;
  teamId: string | null;
  orgKeyFingerprint: string;
  ttlMs?: number;
}

export interface EnrollmentCode {
  /** Shown once to the admin; only its hash is stored. */
  code: string;
  employeeId: string;
  teamId: string | null;
  expiresAt: number;
}

/** GET devices, GET devices/:id: an enrolled device without its credential hash. */
export interface PublicDevice {
  deviceId: string;
  employeeId: string;
  teamId: string | null;
  revokedAt: number | null;
  enrolledAt: number;
  name: string | null;
  platform: string | null;
  /** The device's Ed25519 public key (base64url); reviewers verify record chains with it. */
  signPublicKey?: string | null;
  /** The device's last authenticated request (absent before its first one). */
  lastSeenAt?: number | null;
}

/** Every refusal, from the API and the CouchDB surface alike. */
export interface ErrorBody {
  error: string;
  reason: string;
}

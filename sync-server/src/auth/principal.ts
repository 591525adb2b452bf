/**
 * Who is making a request, as established by the identity layer (auth/) and
 * consumed by the gateway's access rules. Pure types: no I/O.
 */
import type { Role } from '@sealtime/shared';

// Account roles are a wire contract (shared/src/wire/roles.ts): the admin side chooses them too.
export type { Role };

export interface PersonPrincipal {
  readonly type: 'person';
  readonly userId: string;
  readonly role: Role;
  /** Teams a manager is assigned to (empty for other roles). */
  readonly teams: readonly string[];
  /** The employee record this login belongs to, if the person is also tracked. */
  readonly employeeId: string | null;
  readonly sessionId: string;
  /** Set for a session that may only set up TOTP (totp.ts policy); everything else refuses it. */
  readonly totpEnrolmentOnly?: boolean;
}

export interface DevicePrincipal {
  readonly type: 'device';
  readonly deviceId: string;
  readonly employeeId: string;
  readonly teamId: string | null;
  /** The device's Ed25519 public key as enrolled (base64url); the gateway verifies its records with it. Null: none enrolled. */
  readonly signPublicKey?: string | null;
}

export type Principal = PersonPrincipal | DevicePrincipal;

/** Resolves the credentials on a request to a principal; null = anonymous. */
export interface Identity {
  authenticate(headers: Readonly<Record<string, string | string[] | undefined>>, ip: string): Promise<Principal | null>;
}

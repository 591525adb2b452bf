/**
 * A small Identity for gateway tests: bearer tokens mapped to principals in
 * memory. The real identity layer (auth/identity.ts) is tested on its own;
 * this one lets gateway tests name exactly who is asking.
 */
import { randomBytes } from 'node:crypto';
import type { DevicePrincipal, Identity, PersonPrincipal, Principal, Role } from '../src/auth/principal.js';

export class TestIdentity implements Identity {
  private readonly tokens = new Map<string, Principal>();
  /** When set, authenticate throws it (to simulate an unavailable store). */
  failWith: Error | null = null;

  add(principal: Principal): string {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, principal);
    return token;
  }

  /** A device principal; `signPublicKey` is its enrolled Ed25519 key (the gateway refuses records from a device without one). */
  device(
    deviceId: string,
    employeeId: string,
    teamId: string | null = null,
    signPublicKey?: Uint8Array,
  ): { token: string; principal: DevicePrincipal } {
    const principal: DevicePrincipal = {
      type: 'device',
      deviceId,
      employeeId,
      teamId,
      signPublicKey: signPublicKey ? Buffer.from(signPublicKey).toString('base64url') : null,
    };
    return { token: this.add(principal), principal };
  }

  person(
    userId: string,
    role: Role,
    extra: { teams?: string[]; employeeId?: string | null } = {},
  ): { token: string; principal: PersonPrincipal } {
    const principal: PersonPrincipal = {
      type: 'person',
      userId,
      role,
      teams: extra.teams ?? [],
      employeeId: extra.employeeId ?? null,
      sessionId: `s-${userId}`,
    };
    return { token: this.add(principal), principal };
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  async authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<Principal | null> {
    if (this.failWith) throw this.failWith;
    const h = headers['authorization'];
    if (typeof h !== 'string' || !h.startsWith('Bearer ')) return null;
    return this.tokens.get(h.slice(7)) ?? null;
  }
}

/**
 * Who asks for a change to accounts, sessions or devices: a logged-in person
 * (checked against the rules, audited with their IP and user agent) or the
 * local operator through the CLI (trusted: they run the server).
 */
import type { PersonPrincipal } from './principal.js';

export type Actor =
  | { kind: 'person'; principal: PersonPrincipal; ip: string | null; userAgent: string | null }
  | { kind: 'system'; name: string };

export function personActor(
  principal: PersonPrincipal,
  ip: string | null = null,
  userAgent: string | null = null,
): Actor {
  return { kind: 'person', principal, ip, userAgent };
}

export function systemActor(name: string): Actor {
  return { kind: 'system', name };
}

/** The audit trail's name for an actor. */
export function actorName(a: Actor): string {
  return a.kind === 'person' ? `user:${a.principal.userId}` : `system:${a.name}`;
}

export function actorOrigin(a: Actor): { ip: string | null; userAgent: string | null } {
  return a.kind === 'person' ? { ip: a.ip, userAgent: a.userAgent } : { ip: null, userAgent: null };
}

/**
 * Who can open a record: RECIPIENTS names roles per kind; a RecipientDirectory
 * turns roles into the public keys currently in force for this employee (from
 * enrollment and key rings that arrive in the inbox). A role with no key (no
 * team assigned) is skipped; the organisation must always be reachable.
 */
import { RECIPIENTS, type RecipientRole, type RecordKind } from '@sealtime/shared';

export interface RecipientDirectory {
  /** X25519 public keys for a role: none, one, or several (e.g. during a rotation). */
  publicKeysFor(role: RecipientRole): readonly Uint8Array[];
}

export class StaticRecipientDirectory implements RecipientDirectory {
  private keys: Partial<Record<RecipientRole, readonly Uint8Array[]>>;
  constructor(keys: Partial<Record<RecipientRole, Uint8Array | readonly Uint8Array[]>>) {
    this.keys = {};
    this.replace(keys);
  }
  /** Swap the keys in force (a new key ring arrived). */
  replace(keys: Partial<Record<RecipientRole, Uint8Array | readonly Uint8Array[]>>): void {
    const next: Partial<Record<RecipientRole, readonly Uint8Array[]>> = {};
    for (const [role, k] of Object.entries(keys) as Array<
      [RecipientRole, Uint8Array | readonly Uint8Array[] | undefined]
    >) {
      if (k) next[role] = k instanceof Uint8Array ? [k] : [...k];
    }
    this.keys = next;
  }
  publicKeysFor(role: RecipientRole): readonly Uint8Array[] {
    return this.keys[role] ?? [];
  }
}

export type RecipientsResult = { ok: true; keys: Uint8Array[] } | { ok: false; message: string };

export function recipientKeysFor(directory: RecipientDirectory, kind: RecordKind): RecipientsResult {
  const roles = RECIPIENTS[kind];
  const keys: Uint8Array[] = [];
  for (const role of roles) {
    const found = directory.publicKeysFor(role);
    if (role === 'organisation' && found.length === 0)
      return { ok: false, message: `no organisation key: a ${kind} record would be unreadable to the organisation` };
    keys.push(...found);
  }
  return { ok: true, keys };
}

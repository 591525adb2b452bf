/**
 * Key rings of the organisation, HR, teams and employees: created here
 * (Argon2id-wrapped by a passphrase, with a recovery key printed once), kept
 * in the directory signed by the organisation key, fetched back and checked
 * before anyone types a passphrase into them.
 *
 * Trust: the organisation ring must be signed by its own active key and that
 * key's fingerprint must equal the one pinned in the admin's profile (pinned
 * at `org init`, or on first read). Every other ring must be signed by that
 * organisation key. A ring that fails either is refused as tampered.
 */
import {
  activePublicKeys,
  createKeyring,
  fingerprint,
  newPwhashParams,
  sameFingerprint,
  unlockKeyring,
  validateKeyringDoc,
  type KeyRole,
  type KeyringDoc,
  type PersonKeys,
  type PwhashParams,
  type RecoveryKey,
  type UnlockedKeyring,
} from '@sealtime/shared';
import { AdminError } from './admin-error.js';
import { DIRECTORY_DB, keyringDocId, signed, verifiedBody, wireDoc } from './directory-docs.js';
import type { AdminServer, TrustPins } from './ports.js';

export interface KeyCustodyOptions {
  /** Internal (tests): Argon2id cost for new rings (each ring still gets its own salt); never a CLI flag. */
  params?: Pick<PwhashParams, 'opsLimit' | 'memLimitBytes'> | undefined;
  now?: (() => number) | undefined;
}

export interface VerifiedOrgRing {
  orgId: string;
  doc: KeyringDoc;
  signPublicKey: Uint8Array;
  fingerprint: string;
  /** True when this read pinned the fingerprint (no pin existed). */
  pinnedNow: boolean;
}

export interface NewRing {
  unlocked: UnlockedKeyring;
  recoveryKey: RecoveryKey;
}

/** The keys of the ring's active generation. */
export function activeKeys(ring: UnlockedKeyring): PersonKeys {
  const pub = activePublicKeys(ring.doc);
  const keys = pub ? ring.keys.get(pub.keyId) : undefined;
  if (!keys)
    throw new AdminError('tampered', `the ${ring.doc.role} key ring ${ring.doc.ownerId} has no usable active key`);
  return keys;
}

/** Public keys of a ring's active generation, as a recipients document lists them. */
export function publicPair(doc: KeyringDoc): { boxPublicKey: Uint8Array; signPublicKey: Uint8Array } {
  const pub = activePublicKeys(doc);
  if (!pub)
    throw new AdminError(
      'not-found',
      `the ${doc.role} key ring ${doc.ownerId} has no active key (rotated away or revoked)`,
    );
  return { boxPublicKey: pub.boxPublicKey, signPublicKey: pub.signPublicKey };
}

export function unlockRing(doc: KeyringDoc, passphrase: string): UnlockedKeyring {
  const r = unlockKeyring(doc, passphrase);
  if (r.ok) return r.value;
  const what = `the ${doc.role} key ring ${doc.ownerId}`;
  if (r.error.code === 'wrong-passphrase')
    throw new AdminError('wrong-passphrase', `wrong passphrase for ${what}: nothing was changed`);
  throw new AdminError('tampered', `${what} does not open (${r.error.message}); it may have been tampered with`);
}

export class KeyCustody {
  private readonly now: () => number;

  constructor(
    private readonly client: AdminServer,
    private readonly profile: TrustPins,
    private readonly opts: KeyCustodyOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  create(role: KeyRole, ownerId: string, passphrase: string): NewRing {
    const p = this.opts.params;
    const made = createKeyring({
      ownerId,
      role,
      passphrase,
      now: this.now(),
      ...(p ? { params: newPwhashParams(p.opsLimit, p.memLimitBytes) } : {}),
    });
    if (!made.ok) throw new AdminError('bad-input', `cannot create the ${role} key ring: ${made.error.message}`);
    return made.value;
  }

  /** Signs rings with the organisation key and writes them to the directory (replacing same-id rings). */
  async publish(rings: readonly KeyringDoc[], org: PersonKeys): Promise<void> {
    const docs = [];
    for (const ring of rings) {
      const { signature: _old, ...body } = ring as KeyringDoc & { signature?: unknown };
      const id = keyringDocId(ring.role, ring.ownerId);
      const cur = await this.client.getDoc(DIRECTORY_DB, id);
      docs.push(wireDoc(id, signed(body as unknown as Record<string, unknown>, org), cur?._rev));
    }
    await this.client.bulkDocs(DIRECTORY_DB, docs);
  }

  async exists(role: KeyRole, ownerId: string): Promise<boolean> {
    return (await this.client.getDoc(DIRECTORY_DB, keyringDocId(role, ownerId))) !== null;
  }

  /** The organisation ring from the directory, checked against the pin (pinned now if there was none). */
  async orgRing(): Promise<VerifiedOrgRing> {
    const pin = await this.profile.trust(this.client.url);
    let orgId = pin?.orgId;
    if (!orgId) {
      const ids = (await this.client.allDocs<{ type?: string; role?: string; ownerId?: string }>(DIRECTORY_DB))
        .filter((d) => d._id.startsWith('keyring:organisation:'))
        .map((d) => d._id.slice('keyring:organisation:'.length));
      if (ids.length === 0)
        throw new AdminError(
          'not-found',
          'this server has no organisation key ring yet: run `sealtime-admin org init --org <id>` first',
        );
      if (ids.length > 1)
        throw new AdminError(
          'tampered',
          `the directory holds several organisation key rings (${ids.join(', ')}); refusing to guess which one is genuine`,
        );
      orgId = ids[0]!;
    }
    const wire = await this.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, keyringDocId('organisation', orgId));
    if (!wire)
      throw new AdminError(
        pin ? 'tampered' : 'not-found',
        `the organisation key ring ${orgId} is missing from ${DIRECTORY_DB}`,
      );
    const { _id: _i, _rev: _r, ...raw } = wire;
    const valid = validateKeyringDoc(raw);
    if (!valid.ok || valid.value.role !== 'organisation' || valid.value.ownerId !== orgId) {
      throw new AdminError(
        'tampered',
        `the organisation key ring ${orgId} in ${DIRECTORY_DB} is malformed (${valid.ok ? 'wrong role or owner' : valid.error.message}); it was refused`,
      );
    }
    const { signPublicKey } = publicPair(valid.value);
    const fp = fingerprint(signPublicKey);
    if (pin && !sameFingerprint(pin.orgFingerprint, fp)) {
      throw new AdminError(
        'tampered',
        `the organisation key in ${DIRECTORY_DB} (${fp}) is not the one this profile pinned (${pin.orgFingerprint}); it was refused`,
      );
    }
    verifiedBody<KeyringDoc>(wire, signPublicKey, `the organisation key ring ${orgId}`);
    if (!pin) await this.profile.pin({ server: this.client.url, orgId, orgFingerprint: fp });
    return { orgId, doc: valid.value, signPublicKey, fingerprint: fp, pinnedNow: !pin };
  }

  /** Unlocks the organisation ring: the key every publishing step signs with. */
  async unlockOrg(passphrase: string): Promise<{ org: VerifiedOrgRing; keys: PersonKeys; unlocked: UnlockedKeyring }> {
    const org = await this.orgRing();
    const unlocked = unlockRing(org.doc, passphrase);
    return { org, keys: activeKeys(unlocked), unlocked };
  }

  /** A team, HR or employee ring from the directory, signed by the organisation; null when absent. */
  async ring(role: KeyRole, ownerId: string, orgSignPublicKey: Uint8Array): Promise<KeyringDoc | null> {
    const wire = await this.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, keyringDocId(role, ownerId));
    if (!wire) return null;
    const body = verifiedBody<KeyringDoc>(wire, orgSignPublicKey, `the ${role} key ring ${ownerId}`);
    const valid = validateKeyringDoc(body);
    if (!valid.ok || valid.value.role !== role || valid.value.ownerId !== ownerId) {
      throw new AdminError(
        'tampered',
        `the ${role} key ring ${ownerId} is malformed (${valid.ok ? 'wrong role or owner' : valid.error.message})`,
      );
    }
    return valid.value;
  }

  /**
   * The rings the server delivers to the signed-in person (GET keyrings): the
   * ones their role holds, as the directory keeps them, for HR and managers,
   * who may not read the directory. No organisation signature can be checked
   * here (they hold no organisation key); the passphrase is what authenticates
   * a ring to its holder: its secrets are AEAD-wrapped under a key derived from
   * it, bound to owner and key id, and the public keys are re-derived on
   * unlock, so a ring the server forged or swapped does not open.
   */
  async deliveredRings(role: KeyRole, ownerId?: string): Promise<KeyringDoc[]> {
    const out: KeyringDoc[] = [];
    for (const raw of await this.client.myKeyrings()) {
      const v = validateKeyringDoc(raw);
      if (!v.ok)
        throw new AdminError(
          'tampered',
          `a key ring the server delivered is malformed (${v.error.message}); it was refused`,
        );
      if (v.value.role === role && (ownerId === undefined || v.value.ownerId === ownerId)) out.push(v.value);
    }
    return out;
  }

  async requireRing(role: KeyRole, ownerId: string, orgSignPublicKey: Uint8Array): Promise<KeyringDoc> {
    const r = await this.ring(role, ownerId, orgSignPublicKey);
    if (!r)
      throw new AdminError(
        'not-found',
        `no ${role} key ring ${ownerId} in ${DIRECTORY_DB}${role === 'team' ? `: run \`sealtime-admin team create ${ownerId}\`` : role === 'employee' ? `: run \`sealtime-admin employee add ${ownerId}\`` : ''}`,
      );
    return r;
  }
}

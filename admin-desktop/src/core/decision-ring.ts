/**
 * The key that signs correction decisions: the HR ring. HR holds it among
 * its own rings; an admin reads it from the directory (signed by the
 * organisation key, checked by KeyCustody). For offline decisions the
 * *wrapped* ring is kept in the replica's meta at unlock, as the org ring is.
 */
import { validateKeyringDoc, type KeyringDoc, type UnlockedKeyring } from '@sealtime/shared';
import { isAdminError } from '../admin/admin-error.js';
import { KeyCustody, unlockRing } from '../admin/key-custody.js';
import type { ProfileStore } from '../admin/node/profile-store.js';
import { apiError } from './core-errors.js';
import type { Unlocked } from './unlocked-session.js';

const META_ID = 'hr-ring';

/** Admins: fetch the verified HR ring and keep it wrapped for offline use. Online only. */
export async function keepHrRing(u: Unlocked, profile: ProfileStore): Promise<KeyringDoc> {
  if (!u.keys.orgSignPublicKey)
    throw apiError('integrity', 'the organisation signing key is unknown: unlock once with the server reachable');
  const doc = await new KeyCustody(u.client, profile).requireRing('hr', u.keys.orgId, u.keys.orgSignPublicKey);
  await u.store.putMeta(META_ID, { doc });
  return doc;
}

export async function decisionRing(u: Unlocked, profile: ProfileStore): Promise<UnlockedKeyring> {
  const own = u.keys.rings.find((r) => r.doc.role === 'hr');
  if (own) return own;
  if (u.keys.scope.keyRole !== 'organisation')
    throw apiError('forbidden', 'only HR and admins decide correction requests');
  let doc: KeyringDoc;
  try {
    doc = await keepHrRing(u, profile);
  } catch (err) {
    if (!isAdminError(err, 'unreachable')) throw err;
    const kept = await u.store.getMeta<{ doc: unknown }>(META_ID);
    const v = kept ? validateKeyringDoc(kept.doc) : null;
    if (!v)
      throw apiError(
        'server-unreachable',
        'the server does not answer and the HR key ring was not kept from an online unlock: decide when the server is back',
      );
    if (!v.ok) throw apiError('integrity', `the kept HR key ring is not valid: ${v.error.message}`);
    doc = v.value;
  }
  try {
    return unlockRing(doc, u.passphrase);
  } catch (err) {
    if (isAdminError(err, 'wrong-passphrase'))
      throw apiError(
        'forbidden',
        'the HR key ring does not open with your passphrase: an admin must share it with you',
      );
    throw err;
  }
}

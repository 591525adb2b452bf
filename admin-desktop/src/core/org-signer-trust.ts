/**
 * Which key signs the organisation's documents (schedules, productivity rule
 * sets) for this session. An admin holds the organisation key. HR and
 * managers hold none: they pin the signer the first verifying documents name
 * (trust on first use, kept in the profile as an admin's pin is) and accept
 * only that signer after.
 */
import { fingerprint, namedSigner, sameFingerprint, verifyDocument } from '@sealtime/shared';
import type { CoreContext, Unlocked } from './unlocked-session.js';

export async function trustedOrgSignKeys(
  ctx: CoreContext,
  u: Unlocked,
  docs: readonly Record<string, unknown>[],
): Promise<Uint8Array[]> {
  if (u.keys.orgSignPublicKey) return [u.keys.orgSignPublicKey];
  const pin = await ctx.profile.trust(u.client.url);
  const named = docs.flatMap((d) => {
    const k = namedSigner(d);
    return k && verifyDocument(d, [k]).ok ? [k] : [];
  });
  if (pin) return named.filter((k) => sameFingerprint(pin.orgFingerprint, fingerprint(k))).slice(0, 1);
  const fps = new Set(named.map((k) => fingerprint(k)));
  // several signers and nothing pinned: no way to tell the organisation's, so trust none
  if (fps.size !== 1) return [];
  await ctx.profile.pin({ server: u.client.url, orgId: u.keys.orgId, orgFingerprint: [...fps][0]! });
  return [named[0]!];
}

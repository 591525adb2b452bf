/**
 * `org init`: the organisation and HR key rings are born here. Each gets a
 * recovery key the caller must show once and never store; the rings (public
 * keys and wrapped secrets only) go to the directory signed by the new
 * organisation key, and this profile pins the organisation fingerprint.
 */
import { fingerprint } from '@sealtime/shared';
import { AdminError } from './admin-error.js';
import { checkId, DIRECTORY_DB } from './directory-docs.js';
import { activeKeys, type KeyCustody } from './key-custody.js';
import type { AdminServer, TrustPins } from './ports.js';

export interface OrgInitInput {
  orgId: string;
  passphrase: string;
  /** Wraps the HR ring; default: the organisation passphrase (HR can change it later). */
  hrPassphrase?: string;
  force?: boolean;
}

export interface OrgInitResult {
  orgId: string;
  fingerprint: string;
  recoveryKeys: Array<{ role: 'organisation' | 'hr'; ownerId: string; text: string }>;
}

export async function initOrganisation(
  deps: { client: AdminServer; custody: KeyCustody; profile: TrustPins },
  input: OrgInitInput,
): Promise<OrgInitResult> {
  const orgId = checkId('organisation', input.orgId);
  if (!input.force) {
    const existing = (await deps.client.allDocs(DIRECTORY_DB)).filter(
      (d) => d._id.startsWith('keyring:organisation:') || d._id.startsWith('keyring:hr:'),
    );
    if (existing.length > 0) {
      throw new AdminError(
        'exists',
        `the directory already holds ${existing.map((d) => d._id).join(', ')}; an organisation exists. --force replaces it (every device enrolled so far would have to be enrolled again)`,
      );
    }
  }
  const org = deps.custody.create('organisation', orgId, input.passphrase);
  const hr = deps.custody.create('hr', orgId, input.hrPassphrase ?? input.passphrase);
  const orgKeys = activeKeys(org.unlocked);
  await deps.custody.publish([org.unlocked.doc, hr.unlocked.doc], orgKeys);
  const fp = fingerprint(orgKeys.signPublicKey);
  await deps.profile.pin({ server: deps.client.url, orgId, orgFingerprint: fp });
  return {
    orgId,
    fingerprint: fp,
    recoveryKeys: [
      { role: 'organisation', ownerId: orgId, text: org.recoveryKey.text },
      { role: 'hr', ownerId: orgId, text: hr.recoveryKey.text },
    ],
  };
}

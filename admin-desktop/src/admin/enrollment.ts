/**
 * `enroll-code`: an enrollment code carrying the organisation fingerprint (the
 * device's trust anchor), then the signed recipients document (organisation,
 * team, HR and employee public keys, from the verified directory rings) and
 * the employee's own key ring into their inbox, so the device gets its keys
 * as soon as it enrolls, with the organisation and team policy layers in force. Nothing is published unless the org key unlocked.
 */
import { createRecipientsDocument, RECIPIENTS_DOC_ID, type RecipientKeyPair } from '@sealtime/shared';
import { AdminError } from './admin-error.js';
import { checkId, keyringDocId } from './directory-docs.js';
import { publishToInbox } from './inbox-publisher.js';
import { publicPair } from './key-custody.js';
import type { Deps } from './people-setup.js';
import { employeeRecord } from './people-setup.js';
import { inheritedPolicyDocs } from './policy-publishing.js';
import { inheritedRuleSetDocs } from './productivity-publishing.js';

export interface EnrollCodeInput {
  employeeId: string;
  /** Default: the team the directory lists for the employee. */
  teamId?: string | null;
  orgPassphrase: string;
  ttlMs?: number;
}

export interface EnrollCodeResult {
  code: string;
  employeeId: string;
  teamId: string | null;
  expiresAt: number;
  fingerprint: string;
  agentCommand: string;
}

export async function issueEnrollmentCode(deps: Deps, input: EnrollCodeInput): Promise<EnrollCodeResult> {
  const employeeId = checkId('employee', input.employeeId);
  const { org, keys } = await deps.custody.unlockOrg(input.orgPassphrase);
  const record = await employeeRecord(deps.client, employeeId, org.signPublicKey);
  if (!record)
    throw new AdminError(
      'not-found',
      `employee ${employeeId} is not in the directory: run \`sealtime-admin employee add ${employeeId}\` first`,
    );
  const teamId = input.teamId === undefined ? record.teamId : input.teamId ? checkId('team', input.teamId) : null;
  if (input.teamId && record.teamId !== input.teamId)
    throw new AdminError(
      'bad-input',
      `employee ${employeeId} belongs to ${record.teamId ?? 'no team'} in the directory, not ${input.teamId}`,
    );

  // every key is read and checked before the server is asked for anything
  const pairs: Partial<Record<'organisation' | 'team' | 'hr' | 'employee', RecipientKeyPair[]>> = {
    organisation: [publicPair(org.doc)],
  };
  const hr = await deps.custody.ring('hr', org.orgId, org.signPublicKey);
  if (hr) pairs.hr = [publicPair(hr)];
  if (teamId) pairs.team = [publicPair(await deps.custody.requireRing('team', teamId, org.signPublicKey))];
  const employeeRing = await deps.custody.requireRing('employee', employeeId, org.signPublicKey);
  pairs.employee = [publicPair(employeeRing)];
  const now = (deps.now ?? Date.now)();
  const recipients = createRecipientsDocument({ employeeId, teamId, issuedAt: now, keys: pairs }, keys);
  if (!recipients.ok)
    throw new AdminError('bad-input', `cannot build the recipients document: ${recipients.error.message}`);

  const policies = await inheritedPolicyDocs(deps, org.orgId, teamId, org.signPublicKey);
  const ruleSets = await inheritedRuleSetDocs(deps, org.orgId, teamId, org.signPublicKey);
  const code = await deps.client.createEnrollmentCode({
    employeeId,
    teamId,
    orgKeyFingerprint: org.fingerprint,
    ...(input.ttlMs !== undefined ? { ttlMs: input.ttlMs } : {}),
  });
  await publishToInbox(deps.client, employeeId, [
    { id: RECIPIENTS_DOC_ID, type: 'recipients', issuedAt: now, doc: recipients.value },
    { id: keyringDocId('employee', employeeId), type: 'keyring', issuedAt: now, doc: employeeRing },
    ...policies.map((p) => ({ id: p.id, type: 'policy' as const, issuedAt: p.issuedAt, doc: p.doc })),
    ...ruleSets.map((r) => ({ id: r.id, type: 'productivity-rules' as const, issuedAt: r.issuedAt, doc: r.doc })),
  ]);
  return {
    code: code.code,
    employeeId,
    teamId,
    expiresAt: code.expiresAt,
    fingerprint: org.fingerprint,
    agentCommand: `sealtime-agent enroll ${deps.client.url} ${code.code}`,
  };
}

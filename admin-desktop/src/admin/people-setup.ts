/**
 * `team create` and `employee add`: a key ring for the team's managers or for
 * the employee, wrapped by that holder's passphrase, signed into the directory
 * with the organisation key, plus a signed directory entry saying who belongs
 * where (policy fan-out and recipients documents are built from it).
 *
 * The employee's ring is also put in their own inbox (type 'keyring') so the
 * employee can unlock their own data on their device. The inbox exists once
 * the first enrollment code provisioned it; until then `enroll-code` writes it.
 */
import type { PersonKeys } from '@sealtime/shared';
import { AdminError, isAdminError } from './admin-error.js';
import {
  checkDisplayName,
  checkId,
  DIRECTORY_DB,
  employeeDocId,
  keyringDocId,
  signed,
  teamDocId,
  verifiedBody,
  wireDoc,
  type EmployeeRecord,
  type TeamRecord,
} from './directory-docs.js';
import { publishToInbox } from './inbox-publisher.js';
import type { KeyCustody } from './key-custody.js';
import type { AdminServer, ReadText } from './ports.js';

export interface Deps {
  client: AdminServer;
  custody: KeyCustody;
  now?: (() => number) | undefined;
  /** For `--keyring-file` (record-reader.ts); absent where files cannot be named. */
  readText?: ReadText;
}

async function putSigned(
  client: AdminServer,
  id: string,
  body: Record<string, unknown>,
  org: PersonKeys,
): Promise<void> {
  const cur = await client.getDoc(DIRECTORY_DB, id);
  await client.bulkDocs(DIRECTORY_DB, [wireDoc(id, signed(body, org), cur?._rev)]);
}

export async function createTeam(
  deps: Deps,
  input: { teamId: string; orgPassphrase: string; teamPassphrase: string; force?: boolean },
): Promise<{ teamId: string; recoveryKey: string }> {
  const teamId = checkId('team', input.teamId);
  const { keys: org } = await deps.custody.unlockOrg(input.orgPassphrase);
  if (!input.force && (await deps.custody.exists('team', teamId)))
    throw new AdminError(
      'exists',
      `team ${teamId} already has a key ring (${keyringDocId('team', teamId)}); --force replaces it`,
    );
  const ring = deps.custody.create('team', teamId, input.teamPassphrase);
  await deps.custody.publish([ring.unlocked.doc], org);
  const record: TeamRecord = { type: 'team', teamId, createdAt: (deps.now ?? Date.now)() };
  await putSigned(deps.client, teamDocId(teamId), { ...record }, org);
  return { teamId, recoveryKey: ring.recoveryKey.text };
}

export interface AddEmployeeInput {
  employeeId: string;
  teamId?: string | null;
  orgPassphrase: string;
  employeePassphrase: string;
  /** Shown to reviewers instead of the id; signed into the directory entry. */
  displayName?: string;
  /** Also create the employee's member account. */
  user?: { id: string; password: string };
  force?: boolean;
}

export interface AddEmployeeResult {
  employeeId: string;
  teamId: string | null;
  recoveryKey: string;
  /** False when the inbox does not exist yet (the first enrollment code creates it). */
  inboxCopy: boolean;
  userId: string | null;
}

export async function addEmployee(deps: Deps, input: AddEmployeeInput): Promise<AddEmployeeResult> {
  const employeeId = checkId('employee', input.employeeId);
  const teamId = input.teamId ? checkId('team', input.teamId) : null;
  const displayName = input.displayName === undefined ? undefined : checkDisplayName(input.displayName);
  const { org, keys } = await deps.custody.unlockOrg(input.orgPassphrase);
  if (teamId && !(await deps.custody.ring('team', teamId, org.signPublicKey)))
    throw new AdminError(
      'not-found',
      `team ${teamId} does not exist: run \`sealtime-admin team create ${teamId}\` first`,
    );
  if (!input.force && (await deps.custody.exists('employee', employeeId)))
    throw new AdminError(
      'exists',
      `employee ${employeeId} already has a key ring; --force replaces it (their old data stays readable only with the old ring)`,
    );
  const now = (deps.now ?? Date.now)();
  const ring = deps.custody.create('employee', employeeId, input.employeePassphrase);
  await deps.custody.publish([ring.unlocked.doc], keys);
  const record: EmployeeRecord = {
    type: 'employee',
    employeeId,
    teamId,
    createdAt: now,
    ...(displayName ? { displayName } : {}),
  };
  await putSigned(deps.client, employeeDocId(employeeId), { ...record }, keys);
  let inboxCopy = true;
  try {
    await publishToInbox(deps.client, employeeId, [
      { id: keyringDocId('employee', employeeId), type: 'keyring', issuedAt: now, doc: ring.unlocked.doc },
    ]);
  } catch (err) {
    if (!isAdminError(err, 'not-found')) throw err;
    inboxCopy = false; // not provisioned yet: enroll-code writes it after provisioning
  }
  let userId: string | null = null;
  if (input.user) {
    await deps.client.createUser({
      id: input.user.id,
      password: input.user.password,
      role: 'member',
      employeeId,
      teams: teamId ? [teamId] : [],
    });
    userId = input.user.id;
  }
  return { employeeId, teamId, recoveryKey: ring.recoveryKey.text, inboxCopy, userId };
}

/** Every employee the directory knows, with their team (entries not signed by the org key are refused). */
export async function listEmployees(client: AdminServer, orgSignPublicKey: Uint8Array): Promise<EmployeeRecord[]> {
  const docs = await client.allDocs<Record<string, unknown>>(DIRECTORY_DB);
  return docs
    .filter((d) => d._id.startsWith('employee:'))
    .map((d) => verifiedBody<EmployeeRecord>(d, orgSignPublicKey, `directory entry ${d._id}`))
    .sort((a, b) => a.employeeId.localeCompare(b.employeeId));
}

/** Every team the directory knows (entries not signed by the org key are refused). */
export async function listTeams(client: AdminServer, orgSignPublicKey: Uint8Array): Promise<TeamRecord[]> {
  const docs = await client.allDocs<Record<string, unknown>>(DIRECTORY_DB);
  return docs
    .filter((d) => d._id.startsWith('team:'))
    .map((d) => verifiedBody<TeamRecord>(d, orgSignPublicKey, `directory entry ${d._id}`))
    .sort((a, b) => a.teamId.localeCompare(b.teamId));
}

export async function employeeRecord(
  client: AdminServer,
  employeeId: string,
  orgSignPublicKey: Uint8Array,
): Promise<EmployeeRecord | null> {
  const d = await client.getDoc<Record<string, unknown>>(DIRECTORY_DB, employeeDocId(employeeId));
  return d ? verifiedBody<EmployeeRecord>(d, orgSignPublicKey, `directory entry ${d._id}`) : null;
}

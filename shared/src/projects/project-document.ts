/**
 * A project (with its tasks) as a signed organisation document, stored in
 * the directory and delivered to inboxes under `project:<id>`. The server
 * keeps it in the clear but can neither forge nor alter it: readers verify
 * the signature against keys they already trust.
 *
 * Who may sign, by who holds which key:
 *   organisation key  any project (admins hold it)
 *   a team's key      only a project of that team alone (`teamIds` = [team]):
 *                     a manager holds the keys of the teams they manage, so a
 *                     manager's project can never reach another team's people
 *                     or claim another team's time
 */
import { toBase64 } from '../envelope/codec.js';
import { keyIdHex } from '../envelope/hash.js';
import { keyFail, type KeyResult } from '../keys/key-errors.js';
import { signDocument, verifyDocument } from '../keys/signed-document.js';
import { projectDocId, type Project, type ProjectVersion } from './project-types.js';
import { problemText, validateProject } from './validate-project.js';

export const PROJECT_FORMAT = 'sealtime-project' as const;

type Signer = { signPublicKey: Uint8Array; signSecretKey: Uint8Array };

/** The signing keys a reader trusts: the organisation's, and each team's (from the recipients or key rings). */
export interface ProjectSigners {
  organisation: readonly Uint8Array[];
  teams: Readonly<Record<string, readonly Uint8Array[]>>;
}

/** Who signed a verified project. */
export type ProjectSignerRole = { role: 'organisation' } | { role: 'team'; teamId: string };

export function createProjectDocument(
  project: Project,
  issuedAt: number,
  signer: Signer,
): KeyResult<Record<string, unknown>> {
  const problems = validateProject(project);
  if (problems.length > 0) return keyFail('malformed-document', `project: ${problemText(problems)}`);
  if (!Number.isSafeInteger(issuedAt) || issuedAt < 0)
    return keyFail('malformed-document', 'issuedAt must be a time in ms');
  const plain = JSON.parse(JSON.stringify(project)) as Project; // canonical JSON needs plain data
  // names its signer (covered by the signature), as schedules do: a reviewer who holds no organisation key
  // pins the organisation's signer from the documents it signed (the key is still checked against trust)
  return signDocument(
    { format: PROJECT_FORMAT, v: 1 as const, issuedAt, project: plain, signer: toBase64(signer.signPublicKey) },
    signer.signPublicKey,
    signer.signSecretKey,
  );
}

function roleOf(keyId: string, signers: ProjectSigners): ProjectSignerRole | null {
  if (signers.organisation.some((k) => keyIdHex(k) === keyId)) return { role: 'organisation' };
  for (const [teamId, keys] of Object.entries(signers.teams))
    if (keys.some((k) => keyIdHex(k) === keyId)) return { role: 'team', teamId };
  return null;
}

/** The project a stored document holds, if a key allowed to sign it did, it is well-formed and stored under its own id. */
export function verifyProjectDocument(
  docId: string,
  input: unknown,
  signers: ProjectSigners,
): KeyResult<ProjectVersion & { signer: ProjectSignerRole }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return keyFail('malformed-document', 'a project document is a JSON object');
  const d = input as Record<string, unknown>;
  if (d.format !== PROJECT_FORMAT || d.v !== 1)
    return keyFail('malformed-document', 'not a version 1 project document');
  const all = [...signers.organisation, ...Object.values(signers.teams).flat()];
  const sig = verifyDocument(d, all);
  if (!sig.ok) return sig;
  const problems = validateProject(d.project);
  if (problems.length > 0) return keyFail('malformed-document', `project: ${problemText(problems)}`);
  const project = d.project as Project;
  // a valid signature on another project's document, copied here, must not apply here
  if (projectDocId(project.id) !== docId)
    return keyFail('malformed-document', `it holds project ${project.id}, not ${docId}`);
  if (!Number.isSafeInteger(d.issuedAt) || (d.issuedAt as number) < 0)
    return keyFail('malformed-document', 'issuedAt must be a time in ms');
  const signer = roleOf(sig.value.signerKeyId, signers);
  if (!signer) return keyFail('untrusted-signer', `signed by ${sig.value.signerKeyId}, which is not a trusted key`);
  if (signer.role === 'team' && (project.teamIds.length !== 1 || project.teamIds[0] !== signer.teamId))
    return keyFail(
      'untrusted-signer',
      `the key of team ${signer.teamId} may sign projects of that team alone; ${project.id} names ${project.teamIds.join(', ') || 'no team'}`,
    );
  return { ok: true, value: { project, issuedAt: d.issuedAt as number, signer } };
}

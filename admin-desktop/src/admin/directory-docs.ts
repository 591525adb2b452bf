/**
 * What the admin side keeps in st-org-directory, all signed by the
 * organisation signing key so a server operator can neither swap a public key
 * nor move an employee to another team unnoticed:
 *
 *   keyring:<role>:<id>   a KeyringDoc (public keys + wrapped secrets only);
 *                         the organisation's own ring is signed by itself and
 *                         checked against the fingerprint the admin pinned
 *   team:<teamId>         { type: 'team', teamId, createdAt }
 *   employee:<id>         { type: 'employee', employeeId, teamId, createdAt, displayName? }
 *
 * The key ring is stored flat (its own `type: 'keyring'` and `ownerId`), which
 * is what the server's crypto-shredding looks for when an employee is erased.
 */
import {
  dbNames,
  isValidEntityId,
  signDocument,
  verifyDocument,
  type KeyRole,
  type PersonKeys,
} from '@sealtime/shared';
import { AdminError } from './admin-error.js';

export const DIRECTORY_DB = dbNames.orgDirectory;
export const keyringDocId = (role: KeyRole, ownerId: string): string => `keyring:${role}:${ownerId}`;
export const teamDocId = (teamId: string): string => `team:${teamId}`;
export const employeeDocId = (employeeId: string): string => `employee:${employeeId}`;
export const employeeInbox = (employeeId: string): string => dbNames.employeeInbox(checkId('employee', employeeId));

/** Ids of organisations, teams and employees: the server's own rule (lowercase, digits, dashes). */
export function checkId(kind: string, id: unknown): string {
  if (typeof id !== 'string' || !isValidEntityId(id))
    throw new AdminError(
      'bad-input',
      `${kind} id '${String(id)}' is invalid: use 1-63 lowercase letters, digits and dashes`,
    );
  return id;
}

export interface TeamRecord {
  type: 'team';
  teamId: string;
  createdAt: number;
}

export interface EmployeeRecord {
  type: 'employee';
  employeeId: string;
  teamId: string | null;
  createdAt: number;
  /** The person's name as reviewers see it; signed with the rest (absent in older entries: the id is shown). */
  displayName?: string;
}

type Signer = Pick<PersonKeys, 'signPublicKey' | 'signSecretKey'>;

export function signed<T extends Record<string, unknown>>(
  doc: T,
  signer: Signer,
): T & { signature: { keyId: string; sig: string } } {
  const s = signDocument(doc, signer.signPublicKey, signer.signSecretKey);
  if (!s.ok) throw new AdminError('bad-input', `cannot sign: ${s.error.message}`);
  return s.value;
}

/** CouchDB's fields off, signature checked: the document as it was signed, or a 'tampered' error. */
export function verifiedBody<T>(wire: Record<string, unknown>, orgSignPublicKey: Uint8Array, what: string): T {
  const { _id: _i, _rev: _r, _revisions: _v, ...body } = wire;
  const v = verifyDocument(body, [orgSignPublicKey]);
  if (!v.ok)
    throw new AdminError(
      'tampered',
      `${what} in ${DIRECTORY_DB} is not signed by the organisation key (${v.error.message}); it was refused`,
    );
  return body as T;
}

/** The wire form: body plus _id, and the current _rev when replacing. */
export function wireDoc(id: string, body: Record<string, unknown>, rev?: string): Record<string, unknown> {
  return { _id: id, ...(rev ? { _rev: rev } : {}), ...body };
}

/** A display name: trimmed, 1-100 characters, no control characters. */
export function checkDisplayName(name: unknown): string {
  const t = typeof name === 'string' ? name.trim() : '';
  if (t.length === 0 || [...t].length > 100 || /[\u0000-\u001f\u007f]/.test(t))
    throw new AdminError('bad-input', 'a display name needs 1-100 characters and no control characters');
  return t;
}

/**
 * Privacy use-cases against the server (the app and, later, the CLI call
 * these): deletion markers for records removed on request, the purge of
 * chosen records, and the erasure of a person. The server route does the
 * removal (admins only, audited); this side signs what only it can sign.
 */
import {
  createDeletionMarker,
  deletionMarkerId,
  fromBase64,
  verifyDeletionMarker,
  type DeletedLink,
  type DeletionMarker,
  type PersonKeys,
} from '@sealtime/shared';
import { AdminError } from './admin-error.js';
import { DIRECTORY_DB, signed, verifiedBody, wireDoc } from './directory-docs.js';
import type { AdminServer } from './ports.js';

const API = '/_sealtime/api/';

export interface ServerEraseResult {
  employeeId: string;
  devicesRevoked: number;
  enrollmentsCancelled: number;
  accountsDisabled: string[];
  directoryDocs: Record<string, number>;
  consolidatedDocs: Record<string, number>;
  databasesDeleted: string[];
}

/** Signs a deletion marker for each envelope (base64url, as stored) and writes them to the directory. */
export async function publishDeletionMarkers(
  client: AdminServer,
  envelopes: ReadonlyArray<{ envelope: string; kind: string }>,
  org: Pick<PersonKeys, 'signPublicKey' | 'signSecretKey'>,
  by: { userId: string; now: number },
): Promise<DeletionMarker[]> {
  const markers: DeletionMarker[] = [];
  for (const e of envelopes) {
    const bytes = fromBase64(e.envelope);
    if (!bytes.ok) throw new AdminError('tampered', 'a record to delete is not readable: refused to mark it');
    const m = createDeletionMarker(
      bytes.value,
      { kind: e.kind, deletedAt: by.now, deletedBy: `user:${by.userId}` },
      org,
    );
    if (!m.ok) throw new AdminError('tampered', m.error.message);
    markers.push(m.value);
  }
  if (markers.length === 0) return markers;
  const res = await client.bulkDocs(
    DIRECTORY_DB,
    markers.map((m) => wireDoc(deletionMarkerId(m.deviceId, m.seq), m as unknown as Record<string, unknown>)),
  );
  // a marker already there (a retried deletion) is fine: it says the same
  const failed = res.filter((r) => r.error && r.error !== 'conflict');
  if (failed.length > 0)
    throw new AdminError(
      'server',
      `the deletion markers were not all stored (${failed[0]!.id}: ${failed[0]!.reason ?? failed[0]!.error})`,
    );
  return markers;
}

/** The organisation-signed deletion markers of one employee (others are ignored: they explain nothing). */
export async function deletedLinks(
  client: AdminServer,
  employeeId: string,
  orgSignPublicKey: Uint8Array,
): Promise<DeletedLink[]> {
  const docs = await client.allDocs<Record<string, unknown>>(DIRECTORY_DB);
  const out: DeletedLink[] = [];
  for (const d of docs) {
    if (!d._id.startsWith('deletion:') || d.employeeId !== employeeId) continue;
    const v = verifyDeletionMarker(d, orgSignPublicKey);
    if (v.ok) out.push(v.value);
  }
  return out;
}

export function purgeRecords(
  client: AdminServer,
  input: { employeeId: string; recordIds: string[]; blobIds: string[] },
): Promise<{ employeeId: string; removed: Record<string, number> }> {
  return client.request('POST', `${API}privacy/records/purge`, input);
}

export function eraseOnServer(client: AdminServer, employeeId: string, confirm: string): Promise<ServerEraseResult> {
  return client.request('POST', `${API}privacy/erase`, { employeeId, confirm });
}

/**
 * An erasure notice (`erasure:<employeeId>` in the directory, organisation-signed):
 * the server has forgotten the person, and so must every admin's replica.
 */
export async function publishErasureNotice(
  client: AdminServer,
  employeeId: string,
  org: Pick<PersonKeys, 'signPublicKey' | 'signSecretKey'>,
  by: { userId: string; now: number },
): Promise<void> {
  const id = `erasure:${employeeId}`;
  const cur = await client.getDoc(DIRECTORY_DB, id);
  const body = signed(
    { type: 'employee-erasure', v: 1, employeeId, erasedAt: by.now, erasedBy: `user:${by.userId}` },
    org,
  );
  const res = await client.bulkDocs(DIRECTORY_DB, [wireDoc(id, body, cur?._rev)]);
  if (res[0]?.error)
    throw new AdminError(
      'server',
      `the erasure notice for ${employeeId} was not stored (${res[0].reason ?? res[0].error})`,
    );
}

/** Employees named by organisation-signed erasure notices (unsigned ones are ignored). */
export async function erasedEmployees(client: AdminServer, orgSignPublicKey: Uint8Array): Promise<string[]> {
  const out: string[] = [];
  for (const d of await client.allDocs<Record<string, unknown>>(DIRECTORY_DB)) {
    if (!d._id.startsWith('erasure:') || d.type !== 'employee-erasure') continue;
    try {
      const body = verifiedBody<{ employeeId?: unknown }>(d, orgSignPublicKey, `the erasure notice ${d._id}`);
      if (typeof body.employeeId === 'string' && d._id === `erasure:${body.employeeId}`) out.push(body.employeeId);
    } catch {
      // not signed by the organisation: it erases nothing here
    }
  }
  return out;
}

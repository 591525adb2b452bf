/**
 * A deletion marker: the organisation's signed statement that one record of a
 * device chain was removed on purpose (a screenshot deleted on request). It
 * keeps the deleted envelope's chain hash and prevHash — never its content —
 * so a chain check can bridge the hole (verifyChain's `deleted`): the records
 * either side must still link to exactly these hashes, so a marker explains
 * one deliberate deletion and cannot cover a swapped or forged neighbour.
 * Markers live in st-org-directory as `deletion:<deviceId>:<seq, 12 digits>`.
 */
import { toHex } from '../envelope/bytes.js';
import { decodeEnvelope } from '../envelope/envelope-format.js';
import { chainHash, signedDigest } from '../envelope/hash.js';
import { keyFail, type KeyResult } from '../keys/key-errors.js';
import { signDocument, verifyDocument, type DocumentSignature } from '../keys/signed-document.js';
import { sodium } from '../envelope/sodium.js';

const fromHex = (h: string): Uint8Array => sodium().from_hex(h);

export const DELETION_MARKER_TYPE = 'record-deletion' as const;

export interface DeletionMarker {
  type: typeof DELETION_MARKER_TYPE;
  v: 1;
  employeeId: string;
  deviceId: string;
  seq: number;
  /** Hex chain hash of the deleted envelope, and the prevHash it carried. */
  hash: string;
  prevHash: string;
  /** What was deleted, as the reviewer saw it (e.g. 'screenshot'). */
  kind: string;
  deletedAt: number;
  deletedBy: string;
  signature: DocumentSignature;
}

export const deletionMarkerId = (deviceId: string, seq: number): string =>
  `deletion:${deviceId}:${String(seq).padStart(12, '0')}`;

/** The marker for one sealed envelope, signed by the organisation key. */
export function createDeletionMarker(
  envelope: Uint8Array,
  about: { kind: string; deletedAt: number; deletedBy: string },
  org: { signPublicKey: Uint8Array; signSecretKey: Uint8Array },
): KeyResult<DeletionMarker> {
  const d = decodeEnvelope(envelope);
  if (!d.ok) return keyFail('malformed-document', `the record to delete is not an envelope: ${d.error.message}`);
  const e = d.value.envelope;
  const body = {
    type: DELETION_MARKER_TYPE,
    v: 1 as const,
    employeeId: e.employeeId,
    deviceId: e.deviceId,
    seq: e.seq,
    hash: toHex(chainHash(signedDigest(d.value.signed), e.signature)),
    prevHash: toHex(e.prevHash),
    kind: about.kind,
    deletedAt: about.deletedAt,
    deletedBy: about.deletedBy,
  };
  return signDocument(body, org.signPublicKey, org.signSecretKey);
}

export interface DeletedLink {
  employeeId: string;
  deviceId: string;
  seq: number;
  hash: Uint8Array;
  prevHash: Uint8Array;
}

const HEX32 = /^[0-9a-f]{64}$/;

/** A marker signed by the organisation: the link it stands in for, or why it is refused. Never throws. */
export function verifyDeletionMarker(doc: unknown, orgSignPublicKey: Uint8Array): KeyResult<DeletedLink> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return keyFail('malformed-document', 'a deletion marker is a JSON object');
  const { _id: _i, _rev: _r, ...m } = doc as Record<string, unknown>;
  if (m.type !== DELETION_MARKER_TYPE || m.v !== 1)
    return keyFail('malformed-document', 'not a version 1 deletion marker');
  if (
    typeof m.employeeId !== 'string' ||
    typeof m.deviceId !== 'string' ||
    !Number.isSafeInteger(m.seq) ||
    (m.seq as number) < 0
  )
    return keyFail('malformed-document', 'a deletion marker names an employee, a device and a seq');
  if (typeof m.hash !== 'string' || !HEX32.test(m.hash) || typeof m.prevHash !== 'string' || !HEX32.test(m.prevHash))
    return keyFail('malformed-document', 'hash and prevHash are 32 bytes of hex');
  const sig = verifyDocument(m, [orgSignPublicKey]);
  if (!sig.ok) return sig;
  return {
    ok: true,
    value: {
      employeeId: m.employeeId,
      deviceId: m.deviceId,
      seq: m.seq as number,
      hash: fromHex(m.hash),
      prevHash: fromHex(m.prevHash),
    },
  };
}

/**
 * Building and checking the stored form of a sealed record. The sync-server
 * runs `validateRecordDoc` on every write: the clear routing fields must match
 * the signed header inside the envelope, so the server cannot be fooled into
 * routing a record somewhere its signature does not say.
 */
import { fromBase64, toBase64 } from '../envelope/codec.js';
import { decodeEnvelope, MAX_ENVELOPE_BYTES, type Envelope } from '../envelope/envelope-format.js';
import { fail, ok, type Result } from '../envelope/errors.js';
import { recordDocId, type RecordDoc } from './collections.js';
import { isRecordKind } from './record-kinds.js';

export function toRecordDoc(envelopeBytes: Uint8Array): Result<RecordDoc> {
  const d = decodeEnvelope(envelopeBytes);
  if (!d.ok) return d;
  const e = d.value.envelope;
  return ok({
    id: recordDocId(e.deviceId, e.seq),
    deviceId: e.deviceId,
    employeeId: e.employeeId,
    kind: e.kind,
    seq: e.seq,
    createdAt: e.createdAt,
    envelope: toBase64(envelopeBytes),
    bytes: envelopeBytes.length,
  });
}

const FIELDS = ['id', 'deviceId', 'employeeId', 'kind', 'seq', 'createdAt', 'envelope', 'bytes'];

/** Structural check plus header agreement. Signature checks need the device key: see verifyEnvelope. */
export function validateRecordDoc(input: unknown): Result<{ doc: RecordDoc; envelope: Envelope; bytes: Uint8Array }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail('invalid-field', 'a record is a JSON object');
  const doc = input as Record<string, unknown>;
  // CouchDB adds _id/_rev/_deleted/_revisions; RxDB adds _meta/_attachments: not ours to judge
  const extra = Object.keys(doc).find((k) => !k.startsWith('_') && !FIELDS.includes(k));
  if (extra) return fail('invalid-field', `unknown field ${extra}`, extra);
  const bytes = fromBase64(doc.envelope, MAX_ENVELOPE_BYTES);
  if (!bytes.ok) return fail(bytes.error.code, `envelope: ${bytes.error.message}`, 'envelope');
  const decoded = decodeEnvelope(bytes.value);
  if (!decoded.ok) return fail(decoded.error.code, `envelope: ${decoded.error.message}`, 'envelope');
  const e = decoded.value.envelope;
  if (!isRecordKind(e.kind)) return fail('invalid-field', `unknown record kind ${e.kind}`, 'kind');
  const expected: Record<string, unknown> = {
    id: recordDocId(e.deviceId, e.seq),
    deviceId: e.deviceId,
    employeeId: e.employeeId,
    kind: e.kind,
    seq: e.seq,
    createdAt: e.createdAt,
    bytes: bytes.value.length,
  };
  // on the CouchDB wire the primary key travels as _id (RxDB's replication swaps it); both must agree
  if (doc.id === undefined && doc._id === undefined) return fail('invalid-field', 'id is required', 'id');
  if (doc._id !== undefined && doc._id !== expected.id) return fail('invalid-field', '_id disagrees with the signed envelope', '_id');
  for (const [k, v] of Object.entries(expected)) {
    if (k === 'id' && doc.id === undefined) continue;
    if (doc[k] !== v) return fail('invalid-field', `${k} disagrees with the signed envelope`, k);
  }
  const normalised = { ...doc, id: expected.id } as unknown as RecordDoc;
  return ok({ doc: normalised, envelope: e, bytes: bytes.value });
}

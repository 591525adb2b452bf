/**
 * Building and checking the stored form of a sealed record. The sync-server
 * runs `validateRecordDoc` on every write: the clear routing fields must match
 * the signed header inside the envelope, so the server cannot be fooled into
 * routing a record somewhere its signature does not say.
 *
 * Two shapes are valid: the current one (`class`, `hour`) for any envelope,
 * and the legacy one (`kind`, `createdAt`) for version 1 envelopes only, which
 * show those in their header anyway. Documents stored before version 2 stay
 * valid and readable; new ones show no kind and no exact time.
 */
import { fromBase64, toBase64 } from '../envelope/codec.js';
import { decodeEnvelope, MAX_ENVELOPE_BYTES, type Envelope } from '../envelope/envelope-format.js';
import { fail, ok, type EnvelopeError, type Result } from '../envelope/errors.js';
import { hourOf } from '../envelope/sealed-content.js';
import { recordDocId, upgradeRecordDoc, type LegacyRecordDoc, type RecordDoc } from './collections.js';
import { isRecordKind } from './record-kinds.js';
import { isRoutingClass, v1RoutingClassOf } from './routing-class.js';

export type StoredRecordDoc = RecordDoc | LegacyRecordDoc;

/** The routing class and hour of a header: v1 headers derive them from the kind and time. */
function routingOf(e: Envelope): { class: string | undefined; hour: number } {
  return { class: e.version === 1 ? v1RoutingClassOf(e.kind) : e.routingClass, hour: e.hour };
}

/** The stored id of a sealed record: its class's id range for version 2, the plain form for version 1. */
export function recordDocIdOf(e: Envelope): string {
  return recordDocId(e.deviceId, e.seq, e.version === 2 ? e.routingClass : undefined);
}

export function toRecordDoc(envelopeBytes: Uint8Array): Result<RecordDoc, EnvelopeError> {
  const d = decodeEnvelope(envelopeBytes);
  if (!d.ok) return d;
  const e = d.value.envelope;
  const routing = routingOf(e);
  if (routing.class === undefined)
    return fail('invalid-field', `kind ${e.version === 1 ? e.kind : ''} has no routing class`, 'kind');
  return ok({
    id: recordDocIdOf(e),
    deviceId: e.deviceId,
    employeeId: e.employeeId,
    class: routing.class,
    seq: e.seq,
    hour: routing.hour,
    envelope: toBase64(envelopeBytes),
    bytes: envelopeBytes.length,
  });
}

/** The hour bucket of a stored record of either shape (retention and day queries). */
export function recordHourOf(doc: { hour?: unknown; createdAt?: unknown }): number | undefined {
  if (typeof doc.hour === 'number') return doc.hour;
  return typeof doc.createdAt === 'number' ? hourOf(doc.createdAt) : undefined;
}

/** The routing class of a stored record of either shape (consolidation). */
export function recordClassOf(doc: { class?: unknown; kind?: unknown }): string | undefined {
  if (typeof doc.class === 'string') return doc.class;
  return typeof doc.kind === 'string' ? v1RoutingClassOf(doc.kind) : undefined;
}

/**
 * A stored record of either shape in the current one, e.g. as an RxDB pull
 * modifier: consolidated databases hold documents of both shapes, the
 * collection schema (version 1) only the current one.
 */
export function asCurrentRecordDoc(doc: StoredRecordDoc): RecordDoc {
  return 'kind' in doc ? upgradeRecordDoc(doc) : doc;
}

const FIELDS = ['id', 'deviceId', 'employeeId', 'class', 'seq', 'hour', 'envelope', 'bytes'];
const LEGACY_FIELDS = ['id', 'deviceId', 'employeeId', 'kind', 'seq', 'createdAt', 'envelope', 'bytes'];

/** Structural check plus header agreement. Signature checks need the device key: see verifyEnvelope. */
export function validateRecordDoc(
  input: unknown,
): Result<{ doc: StoredRecordDoc; envelope: Envelope; bytes: Uint8Array }, EnvelopeError> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('invalid-field', 'a record is a JSON object');
  const doc = input as Record<string, unknown>;
  const legacy = doc.kind !== undefined || doc.createdAt !== undefined;
  const fields = legacy ? LEGACY_FIELDS : FIELDS;
  // CouchDB adds _id/_rev/_deleted/_revisions; RxDB adds _meta/_attachments: not ours to judge
  const extra = Object.keys(doc).find((k) => !k.startsWith('_') && !fields.includes(k));
  if (extra)
    return fail(
      'invalid-field',
      legacy
        ? `unknown field ${extra} (a record shows kind/createdAt or class/hour, not both)`
        : `unknown field ${extra}`,
      extra,
    );
  const bytes = fromBase64(doc.envelope, MAX_ENVELOPE_BYTES);
  if (!bytes.ok) return fail(bytes.error.code, `envelope: ${bytes.error.message}`, 'envelope');
  const decoded = decodeEnvelope(bytes.value);
  if (!decoded.ok) return fail(decoded.error.code, `envelope: ${decoded.error.message}`, 'envelope');
  const e = decoded.value.envelope;
  if (e.version === 1 && !isRecordKind(e.kind)) return fail('invalid-field', `unknown record kind ${e.kind}`, 'kind');
  if (e.version === 2 && !isRoutingClass(e.routingClass))
    return fail('invalid-field', `unknown routing class ${e.routingClass}`, 'class');
  // the legacy shape repeats what a version 1 header shows; a version 2 header has no kind to repeat
  if (legacy && e.version !== 1)
    return fail('invalid-field', 'a version 2 envelope is stored with class and hour, not kind and createdAt', 'kind');
  const expected: Record<string, unknown> = {
    id: recordDocIdOf(e),
    deviceId: e.deviceId,
    employeeId: e.employeeId,
    seq: e.seq,
    bytes: bytes.value.length,
  };
  if (e.version === 1 && legacy) Object.assign(expected, { kind: e.kind, createdAt: e.createdAt });
  else Object.assign(expected, { class: routingOf(e).class, hour: e.hour });
  // on the CouchDB wire the primary key travels as _id (RxDB's replication swaps it); both must agree
  if (doc.id === undefined && doc._id === undefined) return fail('invalid-field', 'id is required', 'id');
  if (doc._id !== undefined && doc._id !== expected.id)
    return fail('invalid-field', '_id disagrees with the signed envelope', '_id');
  for (const [k, v] of Object.entries(expected)) {
    if (k === 'id' && doc.id === undefined) continue;
    if (doc[k] !== v) return fail('invalid-field', `${k} disagrees with the signed envelope`, k);
  }
  const normalised = { ...doc, id: expected.id } as unknown as StoredRecordDoc;
  return ok({ doc: normalised, envelope: e, bytes: bytes.value });
}

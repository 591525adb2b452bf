/**
 * Payload bytes ⇄ typed payloads. Encoding is canonical JSON so equal payloads
 * seal to equal plaintext; decoding bounds the size, parses, migrates older
 * versions and validates — and returns a typed error for anything else.
 */
import { canonicalJson, parseJson } from '../envelope/canonical-json.js';
import { fromUtf8, utf8 } from '../envelope/bytes.js';
import { fail, ok, type EnvelopeError, type Result } from '../envelope/errors.js';
import { migratePayload } from './migrations.js';
import type { PayloadByKind, RecordKind } from './payload-types.js';
import { isRecordKind, validatePayload } from './record-kinds.js';

/** JSON payloads are small; images travel as blobs, not JSON. */
export const MAX_JSON_PAYLOAD_BYTES = 256 * 1024;

export function encodePayload<K extends RecordKind>(
  kind: K,
  payload: PayloadByKind[K],
): Result<Uint8Array, EnvelopeError> {
  const valid = validatePayload(kind, payload);
  if (!valid.ok) return fail('bad-payload', valid.message);
  const json = canonicalJson(payload);
  if (!json.ok) return json;
  const bytes = utf8(json.value);
  if (bytes.length > MAX_JSON_PAYLOAD_BYTES)
    return fail('oversize', `${kind} payload of ${bytes.length} bytes exceeds ${MAX_JSON_PAYLOAD_BYTES}`);
  return ok(bytes);
}

export function decodePayload<K extends RecordKind>(
  kind: K,
  bytes: Uint8Array,
): Result<PayloadByKind[K], EnvelopeError> {
  if (!isRecordKind(kind)) return fail('bad-payload', `unknown record kind ${String(kind)}`);
  if (bytes.length > MAX_JSON_PAYLOAD_BYTES)
    return fail('oversize', `payload of ${bytes.length} bytes exceeds ${MAX_JSON_PAYLOAD_BYTES}`);
  const text = fromUtf8(bytes);
  if (text === undefined) return fail('bad-encoding', 'payload is not valid UTF-8');
  const parsed = parseJson(text, { maxBytes: MAX_JSON_PAYLOAD_BYTES });
  if (!parsed.ok) return fail('bad-payload', parsed.error.message);
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))
    return fail('bad-payload', 'payload must be a JSON object');
  const migrated = migratePayload(kind, parsed.value as Record<string, unknown>);
  if (!migrated.ok) return fail('bad-payload', migrated.message);
  const valid = validatePayload(kind, migrated.value);
  if (!valid.ok) return fail('bad-payload', valid.message);
  return ok(valid.value);
}

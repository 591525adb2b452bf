/**
 * The sealed envelope's canonical binary layout. Every field has one
 * encoding and a bound; decoding rejects anything else with a typed error, so
 * two parties that accept an envelope agree on its exact bytes (and its hash).
 * Both versions stay readable side by side; devices write version 2.
 *
 *   "STE" u8(version)
 *   v1: kind, deviceId, employeeId            u8 length + ASCII
 *       seq u64, createdAt u64 (ms)
 *   v2: routing class, deviceId, employeeId   u8 length + ASCII
 *       seq u64, hour u64 (createdAt floored to 3 600 000 ms)
 *       (kind and exact createdAt travel inside the ciphertext: sealed-content.ts)
 *   signerKeyId[8] epochId[16] prevHash[32]
 *   u8 n, n × (recipient keyId[8], wrapped data key[80]) sorted by keyId, unique
 *   nonce[24]                        ── end of the AEAD additional data
 *   u32 length, ciphertext
 *   signature[64]                    Ed25519 over BLAKE2b-256(all bytes before it)
 */
import { ByteReader, ByteWriter, compareBytes, fromAscii, fromUtf8, toHex } from './bytes.js';
import { fail, ok, type EnvelopeError, type Result } from './errors.js';
import { HOUR_MS, hourOf, isPaddedSize } from './sealed-content.js';

/** The version devices write; version 1 envelopes stay readable and verifiable. */
export const ENVELOPE_VERSION = 2;
export type EnvelopeVersion = 1 | 2;
const MAGIC = [0x53, 0x54, 0x45] as const; // "STE"
export const KEY_ID_BYTES = 8;
export const EPOCH_ID_BYTES = 16;
export const HASH_BYTES = 32;
export const NONCE_BYTES = 24;
export const WRAPPED_KEY_BYTES = 80; // crypto_box_seal of a 32-byte key: 32 + 48
export const SIGNATURE_BYTES = 64;
export const AEAD_TAG_BYTES = 16;
export const MAX_RECIPIENTS = 16;
/** Screenshots are the largest payloads (a few hundred KB); 16 MiB leaves room without inviting abuse. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
export const MAX_ENVELOPE_BYTES = MAX_PAYLOAD_BYTES + AEAD_TAG_BYTES + 4096;

const KIND_RE = /^[a-z][a-z0-9-]{0,31}$/;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface Recipient {
  keyId: Uint8Array;
  wrappedKey: Uint8Array;
}

interface HeaderCommon {
  deviceId: string;
  employeeId: string;
  seq: number;
  /** createdAt floored to the hour: all a version 2 header tells about time. */
  hour: number;
  signerKeyId: Uint8Array;
  epochId: Uint8Array;
  prevHash: Uint8Array;
  recipients: Recipient[];
}

/**
 * The clear header. Version 1 shows the kind and the exact time; version 2 only
 * a routing class and the hour (the kind and time are known after opening).
 */
export type EnvelopeHeader = HeaderCommon &
  ({ version: 1; kind: string; createdAt: number } | { version: 2; routingClass: string });

export type Envelope = EnvelopeHeader & {
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  signature: Uint8Array;
};

export interface DecodedEnvelope {
  envelope: Envelope;
  /** Header through nonce: the AEAD additional data. */
  aad: Uint8Array;
  /** Everything the signature covers. */
  signed: Uint8Array;
}

export function isValidKind(kind: string): boolean {
  return KIND_RE.test(kind);
}
export function isValidId(id: string): boolean {
  return ID_RE.test(id);
}

/** Checks what the encoder would otherwise silently mangle; returns a message or undefined. */
export function checkHeader(h: EnvelopeHeader): string | undefined {
  if (h.version === 1) {
    if (!KIND_RE.test(h.kind)) return `kind ${JSON.stringify(h.kind)} must match ${KIND_RE}`;
    if (!Number.isSafeInteger(h.createdAt) || h.createdAt < 0)
      return 'createdAt must be a non-negative safe integer (ms)';
    if (h.hour !== hourOf(h.createdAt)) return 'hour must be createdAt floored to the hour';
  } else {
    if (!KIND_RE.test(h.routingClass)) return `routing class ${JSON.stringify(h.routingClass)} must match ${KIND_RE}`;
    if (!Number.isSafeInteger(h.hour) || h.hour < 0 || h.hour % HOUR_MS !== 0)
      return 'hour must be a non-negative multiple of 3 600 000 ms';
  }
  if (!ID_RE.test(h.deviceId)) return `deviceId ${JSON.stringify(h.deviceId)} must match ${ID_RE}`;
  if (!ID_RE.test(h.employeeId)) return `employeeId ${JSON.stringify(h.employeeId)} must match ${ID_RE}`;
  if (!Number.isSafeInteger(h.seq) || h.seq < 0) return 'seq must be a non-negative safe integer';
  if (h.signerKeyId.length !== KEY_ID_BYTES) return `signerKeyId must be ${KEY_ID_BYTES} bytes`;
  if (h.epochId.length !== EPOCH_ID_BYTES) return `epochId must be ${EPOCH_ID_BYTES} bytes`;
  if (h.prevHash.length !== HASH_BYTES) return `prevHash must be ${HASH_BYTES} bytes`;
  if (h.recipients.length < 1 || h.recipients.length > MAX_RECIPIENTS) return `1..${MAX_RECIPIENTS} recipients`;
  let last = '';
  for (const r of h.recipients) {
    if (r.keyId.length !== KEY_ID_BYTES || r.wrappedKey.length !== WRAPPED_KEY_BYTES)
      return 'recipient entry has the wrong size';
    const id = toHex(r.keyId);
    if (id <= last) return 'recipients must be sorted by keyId and unique';
    last = id;
  }
  return undefined;
}

/** Header + recipients + nonce: the AEAD additional data (and the start of the envelope). */
export function encodeAad(h: EnvelopeHeader, nonce: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  w.bytes(Uint8Array.from(MAGIC)).u8(h.version);
  w.shortString(h.version === 1 ? h.kind : h.routingClass)
    .shortString(h.deviceId)
    .shortString(h.employeeId);
  w.u64(h.seq).u64(h.version === 1 ? h.createdAt : h.hour);
  w.bytes(h.signerKeyId).bytes(h.epochId).bytes(h.prevHash);
  w.u8(h.recipients.length);
  for (const r of h.recipients) w.bytes(r.keyId).bytes(r.wrappedKey);
  w.bytes(nonce);
  return w.finish();
}

/** The signed part: aad + length-prefixed ciphertext. */
export function encodeSigned(aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return new ByteWriter().bytes(aad).u32(ciphertext.length).bytes(ciphertext).finish();
}

export function encodeEnvelope(signed: Uint8Array, signature: Uint8Array): Uint8Array {
  return new ByteWriter().bytes(signed).bytes(signature).finish();
}

function readAscii(r: ByteReader, field: string, re: RegExp): Result<string, EnvelopeError> {
  const at = r.offset;
  const len = r.u8();
  if (len === undefined) return fail('truncated', `input ends before ${field}`, at);
  const raw = r.bytes(len);
  if (!raw) return fail('truncated', `input ends inside ${field}`, at);
  // the identifiers are ASCII by their pattern: skip the UTF-8 decoder for them
  const s = fromAscii(raw) ?? fromUtf8(raw);
  if (s === undefined || !re.test(s)) return fail('invalid-field', `${field} is not a valid identifier`, field);
  return ok(s);
}

export function decodeEnvelope(buf: Uint8Array): Result<DecodedEnvelope, EnvelopeError> {
  if (!(buf instanceof Uint8Array)) return fail('invalid-field', 'envelope must be bytes');
  if (buf.length > MAX_ENVELOPE_BYTES)
    return fail('oversize', `envelope is ${buf.length} bytes; the limit is ${MAX_ENVELOPE_BYTES}`);
  const r = new ByteReader(buf);
  const magic = r.bytes(3);
  if (!magic) return fail('truncated', 'input ends inside the magic bytes', 0);
  if (magic[0] !== MAGIC[0] || magic[1] !== MAGIC[1] || magic[2] !== MAGIC[2])
    return fail('bad-magic', 'not a Sealtime envelope', 0);
  const version = r.u8();
  if (version === undefined) return fail('truncated', 'input ends before the version', 3);
  if (version !== 1 && version !== 2)
    return fail(
      'unsupported-version',
      `envelope version ${version} is not supported (expected 1 or ${ENVELOPE_VERSION})`,
      3,
    );

  const label = readAscii(r, version === 1 ? 'kind' : 'routing class', KIND_RE);
  if (!label.ok) return label;
  const deviceId = readAscii(r, 'deviceId', ID_RE);
  if (!deviceId.ok) return deviceId;
  const employeeId = readAscii(r, 'employeeId', ID_RE);
  if (!employeeId.ok) return employeeId;

  const seq = r.u64();
  const time = r.u64();
  if (seq === undefined || time === undefined) return fail('truncated', 'input ends inside seq/time', r.offset);
  if (Number.isNaN(seq) || Number.isNaN(time)) return fail('invalid-field', 'seq or time beyond 2^53', 'seq');
  if (version === 2 && time % HOUR_MS !== 0)
    return fail('invalid-field', 'a version 2 header carries a whole hour', 'hour');

  const signerKeyId = r.bytes(KEY_ID_BYTES);
  const epochId = r.bytes(EPOCH_ID_BYTES);
  const prevHash = r.bytes(HASH_BYTES);
  if (!signerKeyId || !epochId || !prevHash)
    return fail('truncated', 'input ends inside the key/epoch/chain fields', r.offset);

  const n = r.u8();
  if (n === undefined) return fail('truncated', 'input ends before the recipient count', r.offset);
  if (n < 1 || n > MAX_RECIPIENTS)
    return fail('invalid-field', `recipient count ${n} outside 1..${MAX_RECIPIENTS}`, 'recipients');
  const recipients: Recipient[] = [];
  let last: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const keyId = r.bytes(KEY_ID_BYTES);
    const wrappedKey = r.bytes(WRAPPED_KEY_BYTES);
    if (!keyId || !wrappedKey) return fail('truncated', `input ends inside recipient ${i}`, r.offset);
    if (last && compareBytes(keyId, last) <= 0)
      return fail('invalid-field', 'recipients are not sorted by keyId or repeat one', 'recipients');
    last = keyId;
    recipients.push({ keyId, wrappedKey });
  }
  const nonce = r.bytes(NONCE_BYTES);
  if (!nonce) return fail('truncated', 'input ends inside the nonce', r.offset);
  const aadEnd = r.offset;

  const ctLen = r.u32();
  if (ctLen === undefined) return fail('truncated', 'input ends before the ciphertext length', r.offset);
  if (ctLen < AEAD_TAG_BYTES)
    return fail('invalid-field', 'ciphertext shorter than its authentication tag', 'ciphertext');
  if (ctLen > MAX_PAYLOAD_BYTES + AEAD_TAG_BYTES)
    return fail('oversize', `ciphertext of ${ctLen} bytes exceeds the limit`, 'ciphertext');
  // version 2 pads inside the AEAD: any other length would say more than the bucket
  if (version === 2 && !isPaddedSize(ctLen - AEAD_TAG_BYTES))
    return fail('invalid-field', `ciphertext of ${ctLen} bytes is not a padded size`, 'ciphertext');
  const ciphertext = r.bytes(ctLen);
  if (!ciphertext)
    return fail('truncated', `input ends inside the ciphertext (${r.remaining} of ${ctLen} bytes)`, r.offset);
  const signedEnd = r.offset;
  const signature = r.bytes(SIGNATURE_BYTES);
  if (!signature) return fail('truncated', 'input ends inside the signature', r.offset);
  if (r.remaining !== 0) return fail('trailing-bytes', `${r.remaining} bytes after the signature`, r.offset);

  // literals of one fixed shape, not spreads: opening copies this header, and copying a spread-built one cost ~7 µs
  const envelope: Envelope =
    version === 1
      ? {
          version,
          kind: label.value,
          createdAt: time,
          deviceId: deviceId.value,
          employeeId: employeeId.value,
          seq,
          hour: hourOf(time),
          signerKeyId,
          epochId,
          prevHash,
          recipients,
          nonce,
          ciphertext,
          signature,
        }
      : {
          version,
          routingClass: label.value,
          deviceId: deviceId.value,
          employeeId: employeeId.value,
          seq,
          hour: time,
          signerKeyId,
          epochId,
          prevHash,
          recipients,
          nonce,
          ciphertext,
          signature,
        };
  return ok({
    envelope,
    aad: buf.subarray(0, aadEnd),
    signed: buf.subarray(0, signedEnd),
  });
}

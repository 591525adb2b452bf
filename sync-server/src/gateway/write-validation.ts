/**
 * What a written document must look like, per database family, before the
 * gateway forwards it. Sealed records must agree with their signed envelope
 * (validateRecordDoc), belong to the database's employee and, from a device,
 * to that very device. Each function returns the document to forward or a
 * reason to refuse the whole request.
 */
import {
  decodeEnvelope,
  fromBase64,
  MAX_ENVELOPE_BYTES,
  recordDocId,
  validateRecordDoc,
  type InboxDocType,
} from '@sealtime/shared';
import type { Principal } from '../auth/principal.js';
import type { ParsedDbName } from '../provisioning/db-names.js';
import { isPlainObject } from './json-body.js';

export interface CheckedWrite {
  doc: Record<string, unknown>;
  docId: string;
  docType?: string;
  deleting: boolean;
}

export type WriteCheck = { ok: true; value: CheckedWrite } | { ok: false; reason: string };

const SPECIAL = new Set(['_id', '_rev', '_deleted', '_revisions']);
const INBOX_TYPES: readonly InboxDocType[] = [
  'policy',
  'keyring',
  'correction-decision',
  'device-registration',
  'recipients',
  'project',
  'productivity-rules',
];
const BLOB_FIELDS = ['deviceId', 'employeeId', 'hour', 'envelope', 'bytes'];
/** Blobs stored before envelope version 2 show the exact createdAt instead of the hour. */
const LEGACY_BLOB_FIELDS = ['deviceId', 'employeeId', 'createdAt', 'envelope', 'bytes'];
const MAX_ID = 256;

const no = (reason: string): WriteCheck => ({ ok: false, reason });

/** CouchDB's own fields: only the ones replication writes; attachments are not accepted at all. */
function checkSpecialFields(doc: Record<string, unknown>): string | undefined {
  for (const k of Object.keys(doc)) {
    if (!k.startsWith('_') || SPECIAL.has(k)) continue;
    if (k === '_attachments' && isPlainObject(doc[k]) && Object.keys(doc[k]).length === 0) continue;
    return `field ${k} is not accepted`;
  }
  if (doc._rev !== undefined && (typeof doc._rev !== 'string' || !/^\d+-[0-9a-f]{1,64}$/.test(doc._rev)))
    return '_rev is malformed';
  if (doc._deleted !== undefined && typeof doc._deleted !== 'boolean') return '_deleted must be a boolean';
  if (doc._revisions !== undefined) {
    const r = doc._revisions;
    if (
      !isPlainObject(r) ||
      !Number.isSafeInteger(r.start) ||
      !Array.isArray(r.ids) ||
      r.ids.length > 1000 ||
      r.ids.some((x) => typeof x !== 'string')
    ) {
      return '_revisions is malformed';
    }
  }
  return undefined;
}

function withoutEmptyAttachments(doc: Record<string, unknown>): Record<string, unknown> {
  if (!('_attachments' in doc)) return doc;
  const { _attachments: _dropped, ...rest } = doc;
  return rest;
}

/**
 * The envelope bytes a record's check decoded (and found canonical), by the
 * document object: the integrity check of the same request reads them here
 * instead of decoding the base64 text a second time (a third of the
 * gateway's time on a backlog, bench:agent drain).
 */
const checkedBytes = new WeakMap<object, Uint8Array>();

/** The envelope bytes of a record document that passed checkWriteContent, if it did. */
export function checkedEnvelopeBytes(doc: object): Uint8Array | undefined {
  return checkedBytes.get(doc);
}

function checkRecord(doc: Record<string, unknown>, employeeId: string, principal: Principal): string | undefined {
  const r = validateRecordDoc(doc);
  if (!r.ok) return r.error.message;
  if (r.value.doc.employeeId !== employeeId) return `this database holds the records of ${employeeId} only`;
  if (principal.type === 'device' && r.value.doc.deviceId !== principal.deviceId)
    return `a device may only write records it sealed itself (${principal.deviceId})`;
  checkedBytes.set(doc, r.value.bytes);
  return undefined;
}

/** Blobs carry a sealed image: the clear fields must match its signed header, as for records. */
function checkBlob(doc: Record<string, unknown>, employeeId: string, principal: Principal): string | undefined {
  const legacy = doc.createdAt !== undefined;
  const fields = legacy ? LEGACY_BLOB_FIELDS : BLOB_FIELDS;
  const extra = Object.keys(doc).find((k) => !k.startsWith('_') && k !== 'id' && !fields.includes(k));
  if (extra) return `unknown field ${extra}`;
  const bytes = fromBase64(doc.envelope, MAX_ENVELOPE_BYTES);
  if (!bytes.ok) return `envelope: ${bytes.error.message}`;
  const decoded = decodeEnvelope(bytes.value);
  if (!decoded.ok) return `envelope: ${decoded.error.message}`;
  const e = decoded.value.envelope;
  if (legacy && e.version !== 1) return 'a version 2 blob is stored with its hour, not createdAt';
  const time = e.version === 1 && legacy ? { createdAt: e.createdAt } : { hour: e.hour };
  const expected: Record<string, unknown> = {
    deviceId: e.deviceId,
    employeeId: e.employeeId,
    ...time,
    bytes: bytes.value.length,
  };
  for (const [k, v] of Object.entries(expected)) {
    if (doc[k] !== v) return `${k} disagrees with the signed envelope`;
  }
  const id = recordDocId(e.deviceId, e.seq);
  if (doc._id !== id || (doc.id !== undefined && doc.id !== id)) return '_id disagrees with the signed envelope';
  if (e.employeeId !== employeeId) return `this database holds the blobs of ${employeeId} only`;
  if (principal.type === 'device' && e.deviceId !== principal.deviceId)
    return `a device may only write blobs it sealed itself (${principal.deviceId})`;
  return undefined;
}

function checkInbox(doc: Record<string, unknown>): string | undefined {
  const extra = Object.keys(doc).find(
    (k) => !k.startsWith('_') && !['id', 'type', 'target', 'issuedAt', 'doc'].includes(k),
  );
  if (extra) return `unknown field ${extra}`;
  if (doc.id !== undefined && doc.id !== doc._id) return 'id and _id disagree';
  if (!INBOX_TYPES.includes(doc.type as InboxDocType)) return `type must be one of ${INBOX_TYPES.join(', ')}`;
  if (typeof doc.target !== 'string' || doc.target.length === 0 || doc.target.length > 64)
    return 'target must be an id of at most 64 characters';
  if (!Number.isSafeInteger(doc.issuedAt) || (doc.issuedAt as number) < 0)
    return 'issuedAt must be a time in milliseconds';
  if (!isPlainObject(doc.doc)) return 'doc must be an object';
  return undefined;
}

/**
 * The first look at one written document: a JSON object with a usable _id
 * and only the CouchDB fields replication writes. Enough to ask the access
 * rules about it (id, type, deletion) before judging its content.
 */
export function checkWriteShape(input: unknown): WriteCheck {
  if (!isPlainObject(input)) return no('each document must be a JSON object');
  const docId = input._id;
  if (typeof docId !== 'string' || docId.length === 0 || docId.length > MAX_ID)
    return no('each document needs an _id (a string of at most 256 characters)');
  if (docId.startsWith('_')) return no(`${docId}: ids starting with _ are reserved`);
  const special = checkSpecialFields(input);
  if (special) return no(`${docId}: ${special}`);
  const doc = withoutEmptyAttachments(input);
  const docType = typeof doc.type === 'string' ? doc.type : undefined;
  return {
    ok: true,
    value: { doc, docId, deleting: doc._deleted === true, ...(docType !== undefined ? { docType } : {}) },
  };
}

/** The content of a document the access rules let `principal` write to `db`: a reason to refuse, or undefined. */
export function checkWriteContent(db: ParsedDbName, principal: Principal, w: CheckedWrite): string | undefined {
  // a tombstone has no fields to check; whether it may be written is the access rules' call
  if (w.deleting) return undefined;
  let problem: string | undefined;
  switch (db.kind) {
    case 'employee-records':
      problem = checkRecord(w.doc, db.employeeId, principal);
      break;
    case 'employee-blobs':
      problem = checkBlob(w.doc, db.employeeId, principal);
      break;
    case 'employee-inbox':
      problem = checkInbox(w.doc);
      break;
    case 'org-directory':
      break; // signed documents; their signatures are checked by the apps that read them
    default:
      problem = `${db.kind} is written by the server only`;
  }
  return problem ? `${w.docId}: ${problem}` : undefined;
}

/** Both checks in one, for callers that have already settled access. */
export function checkWrite(db: ParsedDbName, principal: Principal, input: unknown): WriteCheck {
  const shape = checkWriteShape(input);
  if (!shape.ok) return shape;
  const problem = checkWriteContent(db, principal, shape.value);
  return problem ? no(problem) : shape;
}

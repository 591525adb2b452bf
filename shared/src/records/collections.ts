/**
 * The stored collections, the same locally (RxDB) and on the server (CouchDB):
 * a handful, with a `kind` field, because open-source RxDB allows at most 13
 * collections per process. Only routing metadata is in the clear.
 *
 *   records  one sealed envelope per record (every kind except images)
 *   blobs    sealed screenshot images, replicated apart and fetched on demand
 *   inbox    signed documents sent down to devices (policies, key rings, decisions)
 *
 * Schema versions move with `migrationStrategies`; version 0 is the first.
 */
import type { RxJsonSchema } from 'rxdb';

export interface RecordDoc {
  /** `<deviceId>:<seq, 12 digits>`: sorts by device then chain order. */
  id: string;
  deviceId: string;
  employeeId: string;
  kind: string;
  seq: number;
  createdAt: number;
  /** base64url of the envelope bytes */
  envelope: string;
  bytes: number;
}

export interface BlobDoc {
  id: string;
  deviceId: string;
  employeeId: string;
  createdAt: number;
  envelope: string;
  bytes: number;
}

export type InboxDocType = 'policy' | 'keyring' | 'correction-decision' | 'device-registration' | 'recipients';

export interface InboxDoc {
  id: string;
  type: InboxDocType;
  /** Who it is for: an employee, team or device id, or '*' for everyone. */
  target: string;
  issuedAt: number;
  /** The signed document as JSON (its own `signature` field inside). */
  doc: Record<string, unknown>;
}

const MAX_TIME = 8_640_000_000_000_000;
const idField = { type: 'string', maxLength: 100 } as const;
const shortId = { type: 'string', maxLength: 64 } as const;
const timeField = { type: 'integer', minimum: 0, maximum: MAX_TIME, multipleOf: 1 } as const;

export const recordsSchema: RxJsonSchema<RecordDoc> = {
  title: 'sealtime records',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    deviceId: shortId,
    employeeId: shortId,
    kind: { type: 'string', maxLength: 32 },
    seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, multipleOf: 1 },
    createdAt: timeField,
    envelope: { type: 'string' },
    bytes: { type: 'integer', minimum: 0, maximum: 64 * 1024 * 1024 },
  },
  required: ['id', 'deviceId', 'employeeId', 'kind', 'seq', 'createdAt', 'envelope', 'bytes'],
  indexes: [['employeeId', 'createdAt'], ['kind', 'createdAt'], ['deviceId', 'seq']],
  additionalProperties: false,
};

export const blobsSchema: RxJsonSchema<BlobDoc> = {
  title: 'sealtime blobs',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    deviceId: shortId,
    employeeId: shortId,
    createdAt: timeField,
    envelope: { type: 'string' },
    bytes: { type: 'integer', minimum: 0, maximum: 64 * 1024 * 1024 },
  },
  required: ['id', 'deviceId', 'employeeId', 'createdAt', 'envelope', 'bytes'],
  indexes: [['employeeId', 'createdAt']],
  additionalProperties: false,
};

export const inboxSchema: RxJsonSchema<InboxDoc> = {
  title: 'sealtime inbox',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    type: { type: 'string', maxLength: 32 },
    target: shortId,
    issuedAt: timeField,
    doc: { type: 'object' },
  },
  required: ['id', 'type', 'target', 'issuedAt', 'doc'],
  indexes: [['type', 'issuedAt'], ['target', 'issuedAt']],
  additionalProperties: false,
};

/** RxDB `addCollections` input; migrationStrategies gain an entry with each schema version. */
export const SEALTIME_COLLECTIONS = {
  records: { schema: recordsSchema, migrationStrategies: {} },
  blobs: { schema: blobsSchema, migrationStrategies: {} },
  inbox: { schema: inboxSchema, migrationStrategies: {} },
} as const;

export function recordDocId(deviceId: string, seq: number): string {
  return `${deviceId}:${String(seq).padStart(12, '0')}`;
}

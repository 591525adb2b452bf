/**
 * The stored collections, the same locally (RxDB) and on the server (CouchDB):
 * a handful, with a `kind` field, because open-source RxDB allows at most 13
 * collections per process. Only routing metadata is in the clear: a routing
 * class instead of the kind, the hour instead of the exact time, the padded
 * size (README, "What the server operator sees").
 *
 *   records  one sealed envelope per record (every kind except images)
 *   blobs    sealed screenshot images, replicated apart and fetched on demand
 *   inbox    signed documents sent down to devices (policies, key rings, decisions)
 *
 * Schema versions move with `migrationStrategies`; version 0 is the first.
 * Version 1 replaced `kind` and `createdAt` by `class` and `hour`.
 */
import { addRxPlugin, type RxJsonSchema } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { HOUR_MS } from '../envelope/sealed-content.js';
import { ROUTING_CLASSES, v1RoutingClassOf } from './routing-class.js';

export interface RecordDoc {
  /** `<deviceId>:<seq, 12 digits>`: sorts by device then chain order. */
  id: string;
  deviceId: string;
  employeeId: string;
  /** Routing class (routing-class.ts); the kind is sealed inside the envelope. */
  class: string;
  seq: number;
  /** createdAt floored to the hour (ms); the exact time is sealed inside. */
  hour: number;
  /** base64url of the envelope bytes */
  envelope: string;
  /** Envelope length: the payload inside is padded to a size bucket. */
  bytes: number;
}

/** A record stored before schema version 1 (envelope version 1): kind and exact time in the clear. */
export interface LegacyRecordDoc {
  id: string;
  deviceId: string;
  employeeId: string;
  kind: string;
  seq: number;
  createdAt: number;
  envelope: string;
  bytes: number;
}

export interface BlobDoc {
  id: string;
  deviceId: string;
  employeeId: string;
  hour: number;
  envelope: string;
  bytes: number;
}

export interface LegacyBlobDoc {
  id: string;
  deviceId: string;
  employeeId: string;
  createdAt: number;
  envelope: string;
  bytes: number;
}

export type InboxDocType =
  | 'policy'
  | 'keyring'
  | 'correction-decision'
  | 'device-registration'
  | 'recipients'
  | 'project'
  | 'productivity-rules';

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
const hourField = { type: 'integer', minimum: 0, maximum: MAX_TIME, multipleOf: HOUR_MS } as const;

export const recordsSchema: RxJsonSchema<RecordDoc> = {
  title: 'sealtime records',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    deviceId: shortId,
    employeeId: shortId,
    class: { type: 'string', enum: [...ROUTING_CLASSES], maxLength: 32 },
    seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, multipleOf: 1 },
    hour: hourField,
    envelope: { type: 'string' },
    bytes: { type: 'integer', minimum: 0, maximum: 64 * 1024 * 1024 },
  },
  required: ['id', 'deviceId', 'employeeId', 'class', 'seq', 'hour', 'envelope', 'bytes'],
  indexes: [
    ['employeeId', 'hour'],
    ['class', 'hour'],
    ['deviceId', 'seq'],
  ],
  additionalProperties: false,
};

export const blobsSchema: RxJsonSchema<BlobDoc> = {
  title: 'sealtime blobs',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    deviceId: shortId,
    employeeId: shortId,
    hour: hourField,
    envelope: { type: 'string' },
    bytes: { type: 'integer', minimum: 0, maximum: 64 * 1024 * 1024 },
  },
  required: ['id', 'deviceId', 'employeeId', 'hour', 'envelope', 'bytes'],
  indexes: [['employeeId', 'hour']],
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
  indexes: [
    ['type', 'issuedAt'],
    ['target', 'issuedAt'],
  ],
  additionalProperties: false,
};

/**
 * A version 0 record document in the version 1 shape. The envelope inside is
 * unchanged (it is signed); the gateway accepts a version 1 envelope under
 * either shape. A kind without a class (none today) goes to the organisation only.
 */
export function upgradeRecordDoc(old: LegacyRecordDoc): RecordDoc {
  const { kind, createdAt, ...rest } = old;
  return { ...rest, class: v1RoutingClassOf(kind) ?? 'org', hour: Math.floor(createdAt / HOUR_MS) * HOUR_MS };
}

export function upgradeBlobDoc(old: LegacyBlobDoc): BlobDoc {
  const { createdAt, ...rest } = old;
  return { ...rest, hour: Math.floor(createdAt / HOUR_MS) * HOUR_MS };
}

// RxDB refuses a schema above version 0 without this plugin, even on an empty
// database; registering it here keeps SEALTIME_COLLECTIONS usable on its own
// (adding a plugin twice is a no-op)
addRxPlugin(RxDBMigrationSchemaPlugin);

/** RxDB `addCollections` input; migrationStrategies gain an entry with each schema version. */
export const SEALTIME_COLLECTIONS = {
  records: {
    schema: recordsSchema,
    migrationStrategies: { 1: (d: LegacyRecordDoc): RecordDoc => upgradeRecordDoc(d) },
  },
  blobs: { schema: blobsSchema, migrationStrategies: { 1: (d: LegacyBlobDoc): BlobDoc => upgradeBlobDoc(d) } },
  inbox: { schema: inboxSchema, migrationStrategies: {} },
} as const;

/**
 * The stored id of a record: `<deviceId>:<seq, 12 digits>`, or for a
 * version 2 record of class `media` `<deviceId>:m<seq, 12 digits>`, which
 * sorts after every other id of the device (routing-class.ts says why). Blobs
 * keep the plain form. Seq is one chain over both ranges: look a record up
 * by seq with recordDocIdsOfSeq, or by the (deviceId, seq) index.
 */
export function recordDocId(deviceId: string, seq: number, routingClass?: string): string {
  return `${deviceId}:${routingClass === 'media' ? MEDIA_ID_MARK : ''}${String(seq).padStart(12, '0')}`;
}

/** What follows `<deviceId>:` in the id of a media record. */
export const MEDIA_ID_MARK = 'm';

/** The ids a record of this seq may be stored under (its class decides which). */
export function recordDocIdsOfSeq(deviceId: string, seq: number): [string, string] {
  return [recordDocId(deviceId, seq), recordDocId(deviceId, seq, 'media')];
}

/**
 * A device's two id ranges as `_all_docs` bounds, [from, to): every record
 * but media ones, then the media ones.
 */
export function recordIdRanges(deviceId: string): {
  main: { from: string; to: string };
  media: { from: string; to: string };
} {
  return {
    main: { from: `${deviceId}:`, to: `${deviceId}:${MEDIA_ID_MARK}` },
    media: { from: `${deviceId}:${MEDIA_ID_MARK}`, to: `${deviceId}:${MEDIA_ID_MARK}\uffff` },
  };
}

/**
 * The engine's own second wall (DESIGN.md decision 3): `_security` objects and
 * `validate_doc_update` functions, installed by provisioning on both engines.
 * The gateway validates every write first; these functions catch anything
 * that reaches the engine some other way (a misconfigured proxy, a script
 * with the engine credential). They are ES5 source strings because CouchDB
 * evaluates them in its own JavaScript engine.
 */
import { MEDIA_ID_MARK, RECORD_KINDS, ROUTING_CLASSES } from '@sealtime/shared';

/** Only server admins: CouchDB 3 treats a members role of `_admin` as admin-only. */
export const ADMIN_ONLY_SECURITY = {
  admins: { names: [] as string[], roles: [] as string[] },
  members: { names: [] as string[], roles: ['_admin'] },
};

export const DESIGN_DOC_ID = '_design/sealtime';
/** Bumped whenever a function below changes, so provisioning replaces installed copies. */
export const DESIGN_VERSION = 3;

export interface DesignDoc {
  _id: string;
  _rev?: string;
  version: number;
  validate_doc_update: string;
}

// envelope version 2 documents show class and hour; version 1 ones kind and createdAt (LEGACY_*)
const RECORD_FIELDS = ['deviceId', 'employeeId', 'class', 'seq', 'hour', 'envelope', 'bytes'];
const LEGACY_RECORD_FIELDS = ['deviceId', 'employeeId', 'kind', 'seq', 'createdAt', 'envelope', 'bytes'];
const BLOB_FIELDS = ['deviceId', 'employeeId', 'hour', 'envelope', 'bytes'];
const LEGACY_BLOB_FIELDS = ['deviceId', 'employeeId', 'createdAt', 'envelope', 'bytes'];
const INBOX_TYPES = [
  'policy',
  'keyring',
  'correction-decision',
  'device-registration',
  'recipients',
  'project',
  'productivity-rules',
];

/**
 * Sealed records and blobs: fixed fields, id derived from device and seq (and class),
 * owned by the database's employee (when it has one), never deleted or
 * changed once written (retention uses _purge, which bypasses this).
 */
function sealedFunction(
  shapes: { fields: string[]; legacy: string[] },
  opts: {
    employeeId: string | null;
    kinds: readonly string[] | null;
    classes: readonly string[] | null;
    seqInId: boolean;
  },
): string {
  return `function (newDoc, oldDoc, userCtx, secObj) {
  if (newDoc._id.indexOf('_design/') === 0) return;
  var LEGACY = newDoc.createdAt !== undefined || newDoc.kind !== undefined;
  var FIELDS = LEGACY ? ${JSON.stringify(shapes.legacy)} : ${JSON.stringify(shapes.fields)};
  var EMPLOYEE = ${JSON.stringify(opts.employeeId)};
  var KINDS = ${JSON.stringify(opts.kinds)};
  var CLASSES = ${JSON.stringify(opts.classes)};
  function no(why) { throw({ forbidden: why }); }
  if (newDoc._deleted) no('sealed documents cannot be deleted');
  if (newDoc.id !== undefined && newDoc.id !== newDoc._id) no('id and _id disagree');
  for (var k in newDoc) {
    if (k.charAt(0) !== '_' && k !== 'id' && FIELDS.indexOf(k) < 0) no('unknown field ' + k);
  }
  for (var i = 0; i < FIELDS.length; i++) {
    if (newDoc[FIELDS[i]] === undefined) no(FIELDS[i] + ' is required');
  }
  if (typeof newDoc.deviceId !== 'string' || typeof newDoc.employeeId !== 'string' || typeof newDoc.envelope !== 'string') no('deviceId, employeeId and envelope are strings');
  if (typeof newDoc.bytes !== 'number') no('bytes is a number');
  if (LEGACY && typeof newDoc.createdAt !== 'number') no('createdAt is a number');
  if (!LEGACY && (typeof newDoc.hour !== 'number' || newDoc.hour % 3600000 !== 0)) no('hour is a whole hour in milliseconds');
  if (EMPLOYEE !== null && newDoc.employeeId !== EMPLOYEE) no('this database holds the records of ' + EMPLOYEE + ' only');
  if (LEGACY && KINDS !== null && KINDS.indexOf(newDoc.kind) < 0) no('kind ' + newDoc.kind + ' does not belong here');
  if (!LEGACY && CLASSES !== null && CLASSES.indexOf(newDoc['class']) < 0) no('class ' + newDoc['class'] + ' does not belong here');
  if (${opts.seqInId ? 'true' : 'false'}) {
    if (typeof newDoc.seq !== 'number' || newDoc.seq < 0 || Math.floor(newDoc.seq) !== newDoc.seq) no('seq is a non-negative integer');
    var pad = String(newDoc.seq);
    while (pad.length < 12) pad = '0' + pad;
    // version 2 media records have their own id range (shared recordDocId)
    var mark = !LEGACY && newDoc['class'] === 'media' ? ${JSON.stringify(MEDIA_ID_MARK)} : '';
    if (newDoc._id !== newDoc.deviceId + ':' + mark + pad) no('_id must be <deviceId>:<seq, 12 digits> (media: <deviceId>:m<seq>)');
  } else if (newDoc._id.indexOf(newDoc.deviceId + ':') !== 0) {
    no('_id must start with <deviceId>:');
  }
  if (oldDoc && !oldDoc._deleted && oldDoc.envelope !== newDoc.envelope) no('sealed documents are immutable');
}`;
}

const INBOX_FUNCTION = `function (newDoc, oldDoc, userCtx, secObj) {
  if (newDoc._id.indexOf('_design/') === 0 || newDoc._deleted) return;
  var TYPES = ${JSON.stringify(INBOX_TYPES)};
  function no(why) { throw({ forbidden: why }); }
  if (newDoc.id !== undefined && newDoc.id !== newDoc._id) no('id and _id disagree');
  for (var k in newDoc) {
    if (k.charAt(0) !== '_' && ['id', 'type', 'target', 'issuedAt', 'doc'].indexOf(k) < 0) no('unknown field ' + k);
  }
  if (TYPES.indexOf(newDoc.type) < 0) no('type must be one of ' + TYPES.join(', '));
  if (typeof newDoc.target !== 'string' || newDoc.target.length === 0) no('target is required');
  if (typeof newDoc.issuedAt !== 'number') no('issuedAt is a number');
  if (typeof newDoc.doc !== 'object' || newDoc.doc === null) no('doc is an object');
}`;

function design(fn: string): DesignDoc {
  return { _id: DESIGN_DOC_ID, version: DESIGN_VERSION, validate_doc_update: fn };
}

export function employeeRecordsDesign(employeeId: string): DesignDoc {
  return design(
    sealedFunction(
      { fields: RECORD_FIELDS, legacy: LEGACY_RECORD_FIELDS },
      { employeeId, kinds: RECORD_KINDS, classes: ROUTING_CLASSES, seqInId: true },
    ),
  );
}

export function employeeBlobsDesign(employeeId: string): DesignDoc {
  return design(
    sealedFunction(
      { fields: BLOB_FIELDS, legacy: LEGACY_BLOB_FIELDS },
      { employeeId, kinds: null, classes: null, seqInId: false },
    ),
  );
}

/** Consolidated databases take any employee's records, of the kinds (v1) or classes (v2) routed there. */
export function consolidatedDesign(kinds: readonly string[], classes: readonly string[]): DesignDoc {
  return design(
    sealedFunction(
      { fields: RECORD_FIELDS, legacy: LEGACY_RECORD_FIELDS },
      { employeeId: null, kinds, classes, seqInId: true },
    ),
  );
}

export function inboxDesign(): DesignDoc {
  return design(INBOX_FUNCTION);
}

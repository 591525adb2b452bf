export type * from './payload-types.js';
export { PAYLOAD_SHAPES, MAX_THUMB_BYTES, MAX_SLOT_APPS, MAX_SLOT_TEXT, MANUAL_NOTE_MAX } from './payload-shapes.js';
export { checkShape, type FieldSpec, type Shape } from './check.js';
export { CURRENT_VERSION, MIGRATIONS, migratePayload, type MigrationStep, type MigrationResult } from './migrations.js';
export {
  RECORD_KINDS,
  RECIPIENTS,
  isRecordKind,
  validatePayload,
  type RecipientRole,
  type PayloadCheck,
} from './record-kinds.js';
export { encodePayload, decodePayload, MAX_JSON_PAYLOAD_BYTES } from './payload-codec.js';
export * from './collections.js';
export {
  toRecordDoc,
  validateRecordDoc,
  recordDocIdOf,
  recordHourOf,
  recordClassOf,
  asCurrentRecordDoc,
  type StoredRecordDoc,
} from './record-doc.js';
export {
  ROUTING_CLASSES,
  CLASS_ROLES,
  KIND_CLASS,
  SCREENSHOT_IMAGE_KIND,
  isRoutingClass,
  routingClassOf,
  v1RoutingClassOf,
  classesFor,
  type RoutingClass,
  type ReviewingRole,
} from './routing-class.js';

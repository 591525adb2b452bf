export type * from './payload-types.js';
export { PAYLOAD_SHAPES, MAX_THUMB_BYTES } from './payload-shapes.js';
export { checkShape, type FieldSpec, type Shape } from './check.js';
export { CURRENT_VERSION, MIGRATIONS, migratePayload, type MigrationStep, type MigrationResult } from './migrations.js';
export { RECORD_KINDS, RECIPIENTS, isRecordKind, validatePayload, type RecipientRole, type PayloadCheck } from './record-kinds.js';
export { encodePayload, decodePayload, MAX_JSON_PAYLOAD_BYTES } from './payload-codec.js';
export * from './collections.js';
export { toRecordDoc, validateRecordDoc } from './record-doc.js';

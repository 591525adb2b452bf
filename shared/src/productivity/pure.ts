// The productivity parts without signing code (no libsodium): what renderers
// import, through @sealtime/shared/views.
export * from './productivity-types.js';
export * from './safe-pattern.js';
export * from './validate-rules.js';
export * from './classify.js';
export * from './productivity-summary.js';
export * from './day-productivity.js';

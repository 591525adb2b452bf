// Productivity rules: signed per organisation and team, applied at view time (issue 17).
export * from './productivity-types.js';
export * from './safe-pattern.js';
export * from './validate-rules.js';
export * from './rules-document.js';
export * from './classify.js';
export * from './productivity-summary.js';
export * from './day-productivity.js';

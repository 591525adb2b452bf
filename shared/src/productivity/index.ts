// Productivity rules: signed per organisation and team, applied at view time (issue 17).
export * from './pure.js';
export * from './rules-document.js';

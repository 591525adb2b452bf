export * from './schedule-types.js';
export * from './validate-schedule.js';
export * from './schedule-document.js';
export * from './resolve-schedule.js';

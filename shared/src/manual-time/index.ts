// Manual time entries: the rules a new entry must meet.
export * from './manual-entry.js';

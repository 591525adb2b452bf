// Contracts two programs speak over the wire: imported by both sides.
export * from './integrity-alerts.js';
export * from './db-names.js';
export * from './roles.js';
export * from './api-contract.js';
export * from './error-codes.js';

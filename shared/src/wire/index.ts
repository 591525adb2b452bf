// Contracts two programs speak over the wire: imported by both sides.
export * from './integrity-alerts.js';

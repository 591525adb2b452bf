export * from './heartbeat-merge.js';
export * from './activity-percent.js';
export * from './slot-app-usage.js';

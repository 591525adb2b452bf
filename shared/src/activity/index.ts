export * from './heartbeat-merge.js';
export * from './activity-percent.js';

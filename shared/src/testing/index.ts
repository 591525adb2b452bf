// @sealtime/shared/testing: fixtures other packages' tests may use (opened records for view tests).
export * from '../views/test-support/opened-records.js';

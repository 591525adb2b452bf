// The admin app's view models: pure functions from opened records to what a screen shows.
export * from './opened-record.js';

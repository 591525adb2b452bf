export type * from './types.js';
export { localDateOf, zonedTimeToEpoch, localDayBounds } from './time-zone.js';
export * from './sessions.js';
export * from './worked-time.js';

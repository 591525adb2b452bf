// @sealtime/sync-server/testing: what other packages' tests may use of the server.
// The one way in from outside; their tests never reach into sync-server/src.
export { startSealtimeServer, type SealtimeServer } from '../compose.js';
export { systemActor } from '../auth/actor.js';
export { startServerWithRoot, type ServerWithRoot, type ServerWithRootOptions } from './server-with-root.js';
export * from '../../test-support/sealed-records.js';
export { openEngineFixture, type EngineFixture } from '../../test-support/engine-fixture.js';

// @sealtime/sync-server: the server as a library, for the root tools that embed it (`npm start`, the benches).
// Apps never import it (layering.test.ts); tests use @sealtime/sync-server/testing.
export { startSealtimeServer, type SealtimeServer, type SealtimeServerOptions } from './compose.js';
export { systemActor } from './auth/actor.js';
export { COUCHDB_URL_ENV } from './cli/couchdb-url-option.js';
export { splitCredentials } from './engine/url-credentials.js';

// The admin use-cases with their Node adapters: the profile on disk, the server over HTTP, one session's wiring.
export * from '../index.js';
export * from './server-client.js';
export * from './profile-store.js';
export * from './admin-context.js';

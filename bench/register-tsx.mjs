// Loads TypeScript as `sealtime-server` does (bin/: tsx's ESM hooks only).
// `--import tsx` would also hook CommonJS require(), and the engine's
// packages call require() per request (readable-stream 1.x in its
// constructors, express-pouchdb's body parser): the bench would then time a
// resolver that the deployed server never runs.
import { register } from 'tsx/esm/api';

register();

import type { ServerScope } from 'nano';

/**
 * A storage engine that speaks the CouchDB HTTP API. Both variants expose a
 * real CouchDB-compatible base URL, so provisioning (nano) and tests are the
 * same code against the embedded PouchDB engine and against Apache CouchDB.
 * Clients never see this URL: only the gateway talks to the engine.
 */
export interface Engine {
  readonly kind: 'embedded' | 'couchdb';
  /** Base URL with admin credentials, e.g. http://admin:secret@127.0.0.1:5984 (never logged). */
  readonly url: string;
  /** nano client bound to `url`, with admin rights on the engine. */
  readonly nano: ServerScope;
  close(): Promise<void>;
}

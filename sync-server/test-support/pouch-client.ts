/**
 * A real PouchDB replication client over HTTP for tests, authenticating to
 * the gateway with a bearer token. `skip_setup` because clients never create
 * databases (PUT /db is refused by the gateway).
 */
import { httpPouch, leveldbPouch, type PouchConstructor, type PouchDatabase } from '../src/engine/pouch-modules.js';

export interface RemoteDb extends PouchDatabase {
  bulkDocs(
    docs: object[],
    opts?: object,
  ): Promise<Array<{ ok?: boolean; id: string; error?: string; reason?: string }>>;
  allDocs(opts?: object): Promise<{ rows: Array<{ id: string; doc?: Record<string, unknown> }> }>;
}

let http: PouchConstructor | null = null;

export function remoteDb(url: string, token: string): RemoteDb {
  http ??= httpPouch();
  const authorizedFetch = (u: string, init: { headers: Headers }): Promise<Response> => {
    init.headers.set('authorization', `Bearer ${token}`);
    return fetch(u, init as RequestInit);
  };
  return new http(url, { skip_setup: true, fetch: authorizedFetch }) as unknown as RemoteDb;
}

/** A local on-disk PouchDB class (the client side's own store). */
export function localPouch(dir: string): PouchConstructor {
  return leveldbPouch(dir);
}

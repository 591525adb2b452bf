/**
 * One real PouchDB server with an `st-system` database for a whole suite:
 * started before its first test, closed after its last.
 */
import { afterAll, beforeAll } from 'vitest';
import type { DocumentScope } from 'nano';
import { startPouchServer, type PouchServer } from './pouch-server.js';

export interface SystemDbSuite {
  readonly server: PouchServer;
  readonly db: DocumentScope<unknown>;
}

/** Call inside a describe(); read `server` and `db` inside its tests. */
export function systemDbSuite(): SystemDbSuite {
  let server: PouchServer | null = null;
  let db: DocumentScope<unknown> | null = null;
  beforeAll(async () => {
    server = await startPouchServer();
    await server.ensureDb('st-system');
    db = server.nano.use('st-system');
  });
  afterAll(async () => {
    await server?.close();
  });
  const started = <T>(v: T | null): T => {
    if (v === null) throw new Error('the st-system server is not started yet (read it inside a test)');
    return v;
  };
  return {
    get server() {
      return started(server);
    },
    get db() {
      return started(db);
    },
  };
}

/**
 * The real composed server with a super admin, as the other packages' tests
 * start it: embedded engine in a temp dir, loopback HTTP (or HTTPS with a
 * self-signed certificate), and a `root` account with the given password.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { systemActor } from '../auth/actor.js';
import { startSealtimeServer, type SealtimeServer } from '../compose.js';

export interface ServerWithRoot {
  s: SealtimeServer;
  url: string;
  /** The temp directory; the server's data is in it (or in `serverSubdir` under it). */
  dir: string;
  /** Stops the server and removes the temp directory. */
  close(): Promise<void>;
}

export interface ServerWithRootOptions {
  rootPassword: string;
  /** Prefix of the temp directory's name. */
  tmpPrefix?: string;
  /** Keep the server's data in this folder of the temp directory (room for profiles beside it). */
  serverSubdir?: string;
  tls?: boolean;
  /** Who the audit trail says created root. */
  actor?: string;
}

export async function startServerWithRoot(o: ServerWithRootOptions): Promise<ServerWithRoot> {
  const dir = await mkdtemp(join(tmpdir(), o.tmpPrefix ?? 'sealtime-test-server-'));
  let s: SealtimeServer;
  try {
    s = await startSealtimeServer({
      dataDir: o.serverSubdir ? join(dir, o.serverSubdir) : dir,
      listen: { host: '127.0.0.1', port: 0 },
      logger: pino({ level: process.env.SEALTIME_TEST_LOG ?? 'silent' }),
      ...(o.tls ? { tls: { selfSigned: true as const } } : {}),
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  await s.services.users.createUser(systemActor(o.actor ?? 'test'), {
    id: 'root',
    role: 'super-admin',
    password: o.rootPassword,
    teams: [],
    employeeId: null,
  });
  return {
    s,
    url: s.url,
    dir,
    async close() {
      await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

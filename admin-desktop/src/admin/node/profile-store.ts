/**
 * The admin's profile directory (default ~/.config/sealtime-admin, 0700):
 *
 *   session.json   server URL, user, role and the session token (0600)
 *   trust.json     the organisation signing-key fingerprint this admin pinned
 *                  (at `org init`, or the first time the org key ring was read):
 *                  a key ring swapped in the directory is refused against it
 *
 * Writes are atomic (temp file + rename) so a crash never leaves half a token.
 */
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AdminError } from '../admin-error.js';
import type { Trust, TrustPins } from '../ports.js';

export type { Trust };

export interface Session {
  server: string;
  userId: string;
  role: string;
  token: string;
  caFile?: string;
  /** The app's pin of the server certificate (SHA-256), instead of a CA file. */
  certFingerprint?: string;
}

export function defaultProfileDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'sealtime-admin');
}

async function writePrivate(path: string, dir: string, content: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const tmp = join(dir, `.${process.pid}-${Date.now()}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(content, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path).catch(async (err: unknown) => {
    await unlink(tmp).catch(() => undefined);
    throw err;
  });
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AdminError(
      'bad-input',
      `${path} is unreadable (${(err as Error).message.split('\n')[0]}); delete it and log in again`,
    );
  }
}

export class ProfileStore implements TrustPins {
  constructor(readonly dir: string) {}

  private get sessionPath() {
    return join(this.dir, 'session.json');
  }
  private get trustPath() {
    return join(this.dir, 'trust.json');
  }

  async session(): Promise<Session | null> {
    const s = (await readJson(this.sessionPath)) as Partial<Session> | null;
    if (!s || typeof s.token !== 'string' || typeof s.server !== 'string' || typeof s.userId !== 'string') return null;
    return s as Session;
  }

  saveSession(s: Session): Promise<void> {
    return writePrivate(this.sessionPath, this.dir, JSON.stringify(s, null, 2) + '\n');
  }

  async clearSession(): Promise<void> {
    await unlink(this.sessionPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Pins per server: one profile may talk to a test and a production server. */
  async trust(server: string): Promise<Trust | null> {
    const all = ((await readJson(this.trustPath)) as Trust[] | null) ?? [];
    return Array.isArray(all) ? (all.find((t) => t.server === server) ?? null) : null;
  }

  async pin(t: Trust): Promise<void> {
    const all = (((await readJson(this.trustPath)) as Trust[] | null) ?? []).filter((x) => x.server !== t.server);
    all.push(t);
    await writePrivate(this.trustPath, this.dir, JSON.stringify(all, null, 2) + '\n');
  }
}

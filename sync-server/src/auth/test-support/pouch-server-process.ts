/**
 * The test PouchDB server in a child process, for tests that need a real
 * crash and restart of the database (SIGKILL, then a new process on the same
 * data directory and port) rather than a paused listener.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nano, { type ServerScope } from 'nano';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const childScript = join(here, 'pouch-server-child.ts');

export interface PouchServerProcess {
  readonly url: string;
  readonly port: number;
  readonly nano: ServerScope;
  ensureDb(name: string): Promise<void>;
  /** SIGKILL: the database disappears mid-flight, as in a crash. */
  kill(): Promise<void>;
  /** A fresh process on the same directory and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function launch(dir: string, port: number): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolvePort, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, dir, String(port)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pouch server child did not start: ${err}`));
    }, 30_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePort({ child, port: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pouch server child exited with ${code}: ${err}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));
}

export async function startPouchServerProcess(): Promise<PouchServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'sealtime-pouch-proc-'));
  let { child, port } = await launch(dir, 0);
  const url = `http://127.0.0.1:${port}`;
  const handle: PouchServerProcess = {
    url,
    port,
    nano: nano(url),
    async ensureDb(name) {
      await handle.nano.db.create(name).catch((e: { statusCode?: number }) => {
        if (e.statusCode !== 412) throw e;
      });
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart() {
      await handle.kill();
      ({ child } = await launch(dir, port));
    },
    async close() {
      await handle.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

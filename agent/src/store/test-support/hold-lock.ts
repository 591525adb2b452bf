// Another process holding a store's LevelDB lock, as a CLI command that
// opened the store (no agent answering) or an agent shutting down does.
import { spawn } from 'node:child_process';

export interface LockHolder {
  /** Closes the database and waits for the holder to exit. */
  release(): Promise<void>;
  /** SIGKILL (cleanup); resolves once it is gone. */
  kill(): Promise<void>;
}

export async function holdStoreLock(dir: string): Promise<LockHolder> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const { ClassicLevel } = require('classic-level'); const db = new ClassicLevel(process.argv[1]); db.open().then(() => console.log('ready')); process.stdin.once('data', () => db.close().then(() => process.exit(0)));`,
      dir,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'], cwd: process.cwd() }, // cwd resolves classic-level from the workspace
  );
  const exited = new Promise<void>((resolve) => {
    if (holder.exitCode !== null || holder.signalCode !== null) return resolve();
    holder.once('exit', () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before it held ${dir}`)));
  });
  return {
    release: () => {
      holder.stdin!.write('go\n');
      return exited;
    },
    kill: () => {
      holder.kill('SIGKILL');
      return exited;
    },
  };
}

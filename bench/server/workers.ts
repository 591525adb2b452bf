/** The pool of load worker processes and the request/answer exchange with them. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AgentSpec, FromWorker, ToWorker } from './messages.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** The bench process's own TypeScript loader (see bench/register-tsx.mjs). */
const REGISTER = new URL('../register-tsx.mjs', import.meta.url).href;

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

export class WorkerPool {
  private constructor(private readonly children: ChildProcess[]) {}

  static start(n: number): WorkerPool {
    const children = Array.from({ length: n }, () =>
      // structured clone ("advanced") carries Infinity and large sample arrays intact
      fork(WORKER, [], {
        execArgv: ['--import', REGISTER],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return new WorkerPool(children);
  }

  get size(): number {
    return this.children.length;
  }

  /** Sends one message per worker (`make(i)`) and waits for each to answer `expect`. */
  ask<T extends FromWorker['type']>(make: (i: number) => ToWorker, expect: T): Promise<Array<Reply<T>>> {
    return Promise.all(
      this.children.map(
        (c, i) =>
          new Promise<Reply<T>>((resolve, reject) => {
            const onMessage = (m: FromWorker): void => {
              if (m.type === 'failed') {
                cleanup();
                reject(new Error(`load worker ${i} failed: ${m.message}`));
              } else if (m.type === expect) {
                cleanup();
                resolve(m as Reply<T>);
              }
            };
            const onExit = (code: number | null): void => {
              cleanup();
              reject(new Error(`load worker ${i} exited (${code}) while the bench waited for ${expect}`));
            };
            const cleanup = (): void => {
              c.off('message', onMessage);
              c.off('exit', onExit);
            };
            c.on('message', onMessage);
            c.once('exit', onExit);
            c.send(make(i));
          }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || !c.connected) return resolve();
            const timer = setTimeout(() => c.kill(), 5000);
            c.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            c.send({ type: 'exit' } satisfies ToWorker);
          }),
      ),
    );
  }
}

/** Splits agents into `n` contiguous shares, as even as possible. */
export function share<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < n; i++)
    out.push(items.slice(Math.floor((i * items.length) / n), Math.floor(((i + 1) * items.length) / n)));
  return out;
}

export type { AgentSpec };

/**
 * One agent process under test: spawned, its stdout read line by line, and
 * killed (SIGKILL) or stopped. What it printed is kept so a test can compare
 * what the agent said with what the local store and the server hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface AgentRun {
  readonly child: ChildProcess;
  /** Seqs the agent acknowledged as durable locally, in order. */
  readonly acks: number[];
  /** Seqs the agent saw the server acknowledge. */
  readonly synced: number[];
  /** Attendance commands the running agent confirmed (records whose seq the caller does not learn). */
  attendanceAcks: number;
  /** The last `status` line, parsed. */
  lastStatus: Record<string, unknown> | null;
  readonly stderr: () => string;
  /** Resolves on the next line matching `pred` (or rejects when the process exits first / after timeoutMs). */
  waitFor(pred: (line: string) => boolean, timeoutMs: number, what: string): Promise<string>;
  kill9(): Promise<void>;
  /** SIGTERM and wait (SIGKILL after graceMs). */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnAgentProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv): AgentRun {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const acks: number[] = [];
  const synced: number[] = [];
  const waiters = new Set<{ pred: (l: string) => boolean; resolve: (l: string) => void }>();
  let err = '';
  let buf = '';
  const run: AgentRun = {
    child,
    acks,
    synced,
    attendanceAcks: 0,
    lastStatus: null,
    stderr: () => err,
    waitFor(pred, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (l: string) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr: ${err.slice(-1500)}`));
        }, timeoutMs);
        waiters.add(w);
        void run.exited.then(({ code, signal }) => {
          if (!waiters.has(w)) return;
          waiters.delete(w);
          clearTimeout(timer);
          reject(
            new Error(
              `agent exited (code ${code}, signal ${signal}) while waiting for ${what}; stderr: ${err.slice(-1500)}`,
            ),
          );
        });
      });
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await run.exited;
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const r = await run.exited;
        clearTimeout(t);
        return r;
      }
      return run.exited;
    },
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith('ack ')) acks.push(Number(line.slice(4)));
      else if (line.startsWith('synced ')) synced.push(Number(line.slice(7)));
      else if (line.startsWith('status ')) {
        try {
          run.lastStatus = JSON.parse(line.slice(7)) as Record<string, unknown>;
        } catch {
          // a line cut by the kill
        }
      }
      for (const w of [...waiters]) {
        if (w.pred(line)) {
          waiters.delete(w);
          w.resolve(line);
        }
      }
    }
  });
  return run;
}

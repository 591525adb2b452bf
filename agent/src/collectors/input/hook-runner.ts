/**
 * The two ways the input hook runs, behind one face for the supervisor:
 *
 *   xrecord  on X11: input-xrecord-worker.mjs, a worker thread reading the X
 *            RECORD extension in pure JavaScript (a few MB, no second process)
 *   uiohook  elsewhere (or when asked): input-hook-child.mjs, a forked node
 *            running uiohook-napi, kept apart because libuiohook aborts its
 *            process without a display
 *
 * Both speak the same messages (input-protocol.ts) and are checked the same way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorMessage } from '../collector-types.js';

export type HookSource = 'uiohook' | 'xrecord';

const CHILD_SCRIPT = fileURLToPath(new URL('./input-hook-child.mjs', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./input-xrecord-worker.mjs', import.meta.url));

/** auto: RECORD on Linux with an X display (the source libuiohook itself reads there), uiohook otherwise. */
export function pickHookSource(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): HookSource {
  return platform === 'linux' && Boolean(env.DISPLAY) ? 'xrecord' : 'uiohook';
}

export interface HookRunner {
  readonly source: HookSource;
  /** pid of the child process (uiohook only). */
  readonly pid: number | undefined;
  /** Asks the hook to send its last second and end. */
  requestStop(): void;
  kill(): void;
  /** Resolves once the hook has ended and every message it sent has arrived. */
  readonly gone: Promise<void>;
}

export interface RunnerHandlers {
  onMessage(raw: unknown): void;
  /** The hook ended; `how` says how (exit code, signal or uncaught error). */
  onExit(how: string, stderrTail: string): void;
  /** It could not even be started. */
  onSpawnError(message: string): void;
}

export interface RunnerOptions {
  source: HookSource;
  env: NodeJS.ProcessEnv;
  execPath?: string | undefined;
  /** Script to fork instead of input-hook-child.mjs (tests; uiohook only). */
  childScript?: string | undefined;
}

export function startHookRunner(options: RunnerOptions, h: RunnerHandlers): HookRunner {
  return options.source === 'xrecord' ? startWorker(options, h) : startChild(options, h);
}

function startChild(options: RunnerOptions, h: RunnerHandlers): HookRunner {
  const child: ChildProcess = fork(options.childScript ?? CHILD_SCRIPT, [], {
    execPath: options.execPath ?? process.execPath,
    execArgv: [],
    env: options.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-400);
  });
  child.on('message', (raw: unknown) => h.onMessage(raw));
  child.once('error', (err) => {
    // a child that never spawned emits no 'exit'
    if (child.pid === undefined) h.onSpawnError(errorMessage(err));
  });
  child.once('exit', (code, signal) =>
    h.onExit(signal ? `killed by ${signal}` : `exited with code ${code}`, stderrTail),
  );
  const exit =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));
  const disconnect = child.connected
    ? new Promise<void>((r) => child.once('disconnect', () => r()))
    : Promise.resolve();
  return {
    source: 'uiohook',
    get pid() {
      return child.pid;
    },
    requestStop() {
      if (child.connected) child.send({ t: 'stop' }, (err) => err && child.kill('SIGKILL'));
      else child.kill('SIGKILL');
    },
    kill: () => void child.kill('SIGKILL'),
    gone: Promise.all([exit, disconnect]).then(() => undefined),
  };
}

function startWorker(options: RunnerOptions, h: RunnerHandlers): HookRunner {
  const worker = new Worker(WORKER_SCRIPT, {
    env: options.env,
    stdout: true,
    stderr: true,
    // the worker holds a second's counts and two sockets: keep its heap small
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  });
  let uncaught: string | undefined;
  worker.stdout.resume();
  worker.stderr.resume();
  worker.on('message', (raw: unknown) => h.onMessage(raw));
  worker.once('error', (err) => {
    uncaught = errorMessage(err);
  });
  const gone = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      h.onExit(uncaught ? `failed: ${uncaught}` : `exited with code ${code}`, '');
      resolve();
    }),
  );
  return {
    source: 'xrecord',
    pid: undefined,
    requestStop: () => worker.postMessage({ t: 'stop' }),
    kill: () => void worker.terminate(),
    gone,
  };
}

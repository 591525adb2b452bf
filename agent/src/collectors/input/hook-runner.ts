/**
 * The two ways the input hook runs, behind one face for the supervisor:
 *
 *   xrecord  on X11: xrecord-hook.ts, the X RECORD extension read in this
 *            process by a pure-JavaScript X client (a few MB, no second process)
 *   uiohook  elsewhere (or when asked): input-hook-child.mjs, a forked node
 *            running uiohook-napi, kept apart because libuiohook aborts its
 *            process without a display
 *
 * Both speak the same messages (input-protocol.ts) and are checked the same way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../collector-types.js';
import type { HookRunner, HookSource, RunnerHandlers } from './hook-types.js';
import { startXRecordHook } from './xrecord-hook.js';

export type { HookRunner, HookSource, RunnerHandlers } from './hook-types.js';

const CHILD_SCRIPT = fileURLToPath(new URL('./input-hook-child.mjs', import.meta.url));

/** auto: RECORD on Linux with an X display (the source libuiohook itself reads there), uiohook otherwise. */
export function pickHookSource(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): HookSource {
  return platform === 'linux' && Boolean(env.DISPLAY) ? 'xrecord' : 'uiohook';
}

export interface RunnerOptions {
  source: HookSource;
  env: NodeJS.ProcessEnv;
  execPath?: string | undefined;
  /** Script to fork instead of input-hook-child.mjs (tests; uiohook only). */
  childScript?: string | undefined;
}

export function startHookRunner(options: RunnerOptions, h: RunnerHandlers): HookRunner {
  return options.source === 'xrecord' ? startXRecordHook(options.env, h) : startChild(options, h);
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

/**
 * Keeps the input hook running (hook-runner.ts: the RECORD hook on X11, the
 * uiohook child elsewhere): starts it, checks every message it sends,
 * restarts it with exponential backoff when it dies (or does not come up in
 * time), and reports the blind time as a gap once capture is back (or at
 * stop, still open). Nothing here ever sees more than per-second counts.
 */
import type { Logger } from 'pino';
import { errorMessage, type Clock, type CollectorError } from '../collector-types.js';
import { parseChildMessage, type InputSecond } from './input-protocol.js';
import { pickHookSource, startHookRunner, type HookRunner, type HookSource } from './hook-runner.js';

export type { HookSource } from './hook-runner.js';

/** Time the input hook was not capturing. */
export interface InputGap {
  start: number;
  end: number;
  /** false: capture never came back before the collector stopped. */
  recovered: boolean;
  /** Child starts it took to recover (or tried, when not recovered). */
  attempts: number;
  /** Why the last child died: exit code/signal and its last error line. */
  reason: string;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A child that ran this long resets the backoff. */
  resetAfterMs: number;
}

export interface HookSupervisorOptions {
  clock: Clock;
  onSecond: (second: InputSecond) => void;
  onGap: (gap: InputGap) => void;
  onError: (error: CollectorError) => void;
  logger: Logger;
  /** Environment of the child (DISPLAY on X11). Default: process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Runtime for the child. Default process.execPath (Electron forks run as node). */
  execPath?: string | undefined;
  /** Script to run instead of input-hook-child.mjs (tests; implies the uiohook source). */
  childScript?: string | undefined;
  /** Which hook runs; default: RECORD on Linux with an X display, uiohook otherwise (pickHookSource). */
  source?: HookSource | undefined;
  backoff?: Partial<BackoffOptions> | undefined;
  /**
   * A child not ready by then is killed and counts as a failure (default 5 s):
   * libuiohook sometimes hangs instead of aborting when it cannot open the display.
   */
  readyTimeoutMs?: number | undefined;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 60_000, resetAfterMs: 30_000 };

export class HookSupervisor {
  private child: HookRunner | undefined;
  private readyAt: number | undefined;
  private attempts = 0;
  private gapStart: number | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private firstStart: ((ready: boolean) => void) | undefined;
  private restartCount = 0;
  private lastReason: string | undefined;
  private readonly backoff: BackoffOptions;
  // a hook stuck in native code cannot notice the agent going away: take it along
  private readonly killOnExit = () => {
    this.child?.kill();
  };

  constructor(private readonly options: HookSupervisorOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.source = options.source ?? (options.childScript ? 'uiohook' : pickHookSource(options.env ?? process.env));
  }

  /** Which hook this supervisor runs. */
  readonly source: HookSource;

  /** pid of the running child, if any (the uiohook source; the RECORD hook runs in this process). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Ends the running hook as a crash would (tests: the restart path of a thread has no pid to kill). */
  killHook(): void {
    this.child?.kill();
  }

  get isCapturing(): boolean {
    return this.child !== undefined && this.readyAt !== undefined;
  }

  /** How many times a child was restarted after dying. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Starts the first child; resolves true once it is ready, false if it failed (restarts go on). */
  start(): Promise<boolean> {
    if (this.child || this.restartTimer) return Promise.resolve(this.isCapturing);
    const since = this.options.clock();
    process.on('exit', this.killOnExit);
    return new Promise((resolve) => {
      this.firstStart = (ready) => {
        this.firstStart = undefined;
        // a hook that never came up has been blind since start
        if (!ready) this.gapStart ??= since;
        resolve(ready);
      };
      this.spawnChild();
    });
  }

  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (child) {
      // ask nicely so the hook flushes its last second; then insist
      child.requestStop();
      const timer = setTimeout(() => child.kill(), 2000);
      await child.gone;
      clearTimeout(timer);
    }
    process.off('exit', this.killOnExit);
    this.firstStart?.(false);
    if (this.gapStart !== undefined) {
      const reason = this.lastReason ?? 'input hook not running';
      this.options.onGap({
        start: this.gapStart,
        end: this.options.clock(),
        recovered: false,
        attempts: this.attempts,
        reason,
      });
      this.gapStart = undefined;
    }
  }

  private spawnChild(): void {
    this.restartTimer = undefined;
    if (this.stopping) return;
    const { options } = this;
    let childError: string | undefined;
    let readyTimer: NodeJS.Timeout | undefined;
    let child: HookRunner;
    try {
      child = startHookRunner(
        {
          source: this.source,
          env: options.env ?? process.env,
          execPath: options.execPath,
          childScript: options.childScript,
        },
        {
          onMessage: (raw) => {
            const msg = parseChildMessage(raw);
            if (!msg) {
              options.onError({
                code: 'bad-child-message',
                message: 'input hook sent a message that is not a count; dropped',
              });
              return;
            }
            if (msg.t === 'ready') {
              clearTimeout(readyTimer);
              this.readyAt = options.clock();
              if (this.gapStart !== undefined) {
                options.onGap({
                  start: this.gapStart,
                  end: this.readyAt,
                  recovered: true,
                  attempts: this.attempts,
                  reason: this.lastReason ?? 'input hook restarted',
                });
                this.gapStart = undefined;
              }
              options.logger.info({ source: this.source, pid: child.pid, attempts: this.attempts }, 'input hook ready');
              this.firstStart?.(true);
            } else if (msg.t === 'tick') {
              options.onSecond({
                at: options.clock(),
                keyPresses: msg.k,
                clicks: msg.c,
                mouseMoves: msg.m,
                scrolls: msg.w,
              });
            } else {
              childError = `${msg.code}: ${msg.message}`;
            }
          },
          onExit: (how, stderrTail) => {
            clearTimeout(readyTimer);
            const last = stderrTail.trim().split('\n').pop();
            const why = [how, childError, last].filter(Boolean).join('; ');
            this.onChildGone(child, `input hook ${why}`);
          },
          onSpawnError: (message) => {
            clearTimeout(readyTimer);
            this.onChildGone(child, `cannot start the input hook: ${message}`);
          },
        },
      );
    } catch (err) {
      this.onChildGone(undefined, `cannot start the input hook: ${errorMessage(err)}`);
      return;
    }
    this.child = child;
    this.readyAt = undefined;
    const readyTimeoutMs = options.readyTimeoutMs ?? 5000;
    readyTimer = setTimeout(() => {
      childError = `not ready within ${readyTimeoutMs} ms`;
      child.kill();
    }, readyTimeoutMs);
  }

  private onChildGone(child: HookRunner | undefined, reason: string): void {
    if (child && this.child !== child) return;
    this.child = undefined;
    if (this.stopping) return;
    const now = this.options.clock();
    const ranFor = this.readyAt === undefined ? 0 : now - this.readyAt;
    if (this.readyAt !== undefined) this.gapStart ??= now;
    this.readyAt = undefined;
    if (ranFor >= this.backoff.resetAfterMs) this.attempts = 0;
    this.attempts += 1;
    this.restartCount += 1;
    this.lastReason = reason;
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (this.attempts - 1));
    this.options.logger.warn({ reason, delayMs: delay, attempts: this.attempts }, 'input hook died; restarting');
    this.options.onError({ code: 'child-failed', message: reason });
    this.firstStart?.(false);
    this.restartTimer = setTimeout(() => this.spawnChild(), delay);
  }
}

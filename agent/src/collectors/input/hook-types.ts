/** What the supervisor sees of a running input hook, whichever source runs it (hook-runner.ts). */

export type HookSource = 'uiohook' | 'xrecord';

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

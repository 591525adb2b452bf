/**
 * Starts capture once, when it can: after the organisation keys are known
 * and the first policy is folded. A start is never inside the inbox pass
 * that asked for it (the pass must finish folding first), never twice, and a
 * collector failing is reported, never fatal: the others keep recording.
 */
import type { Logger } from '../store/logger.js';
import { CaptureSession, type CaptureSessionOptions, type CaptureSource } from './capture-session.js';
import type { CollectorError } from './collector-types.js';

export interface CaptureError {
  source: CaptureSource;
  code: string;
  message: string;
  at: string;
}

export interface CaptureStarterOptions {
  /** False: never start (offline mode, or capture turned off). */
  enabled: boolean;
  log: Logger;
  /**
   * The session's options once capture may start (keys known, pending policy
   * folded), or null while it may not. Called once per start attempt.
   */
  prepare(): Promise<Omit<CaptureSessionOptions, 'onError'> | null>;
  /** After the collectors started (automatic clock-in). */
  onStarted?(): Promise<void>;
}

export class CaptureStarter {
  private current: CaptureSession | undefined;
  private starting: Promise<void> | undefined;
  private up = false;
  private error: CaptureError | null = null;

  constructor(private readonly o: CaptureStarterOptions) {}

  /** The session, from the moment it is created (a policy arriving while it starts goes to it). */
  get session(): CaptureSession | undefined {
    return this.current;
  }

  /** The session once its start has returned. */
  get running(): CaptureSession | undefined {
    return this.up ? this.current : undefined;
  }

  get isStarting(): boolean {
    return this.current !== undefined && !this.up;
  }

  get lastError(): CaptureError | null {
    return this.error;
  }

  readonly reportError = (error: CollectorError, source: CaptureSource): void => {
    this.error = { source, code: error.code, message: error.message.slice(0, 300), at: new Date().toISOString() };
    this.o.log.warn({ source, code: error.code }, error.message);
  };

  /** Asks for a start on the next turn of the event loop; does nothing if one ran or runs. */
  kick(): void {
    if (!this.o.enabled || this.current || this.starting) return;
    // outside the inbox pass that triggered it: the first policy must be folded before capture starts
    setImmediate(() => {
      if (this.current || this.starting) return;
      this.starting = this.start()
        .catch((err: unknown) =>
          this.reportError(
            { code: 'child-failed', message: `capture did not start: ${(err as Error).message}` },
            'system',
          ),
        )
        .finally(() => (this.starting = undefined));
    });
  }

  private async start(): Promise<void> {
    if (!this.o.enabled || this.current) return;
    const options = await this.o.prepare();
    if (!options) return;
    const s = new CaptureSession({ ...options, onError: this.reportError });
    this.current = s; // before start: a policy arriving meanwhile goes to it (updates queue behind start)
    try {
      await s.start();
    } finally {
      // a collector that failed to start is reported (lastError); the ones that started keep running
      this.up = true;
    }
    this.o.log.info({ state: s.state }, 'capture running');
    await this.o.onStarted?.();
  }

  /** Resolves when a start in flight has finished (tests settle on it). */
  async settled(): Promise<void> {
    await this.starting;
  }

  /** Waits out a start, then stops the collectors (they hand their last slot to the recorder first). */
  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.current?.stop().catch((err: Error) => this.o.log.error({ err: err.message }, 'capture stop failed'));
  }
}

/**
 * What every collector shares: a clock it is given (the recorder's monotonic,
 * wall-anchored clock in the agent; a fake in unit tests), sinks it hands its
 * results to, and typed errors instead of throws.
 */
import type { Result } from '@sealtime/shared';

/** Epoch ms. */
export type Clock = () => number;

/**
 * Receives a collector's output. May be async (the recorder seals and writes
 * before it resolves); collectors call a sink strictly in order and wait for
 * it, so a record is durable before the next one of the same kind is handed on.
 */
export type Sink<T> = (value: T) => void | Promise<void>;

export type CollectorErrorCode =
  | 'sink-failed'
  | 'no-display'
  | 'tool-missing'
  | 'capture-failed'
  | 'capture-timeout'
  | 'encode-failed'
  | 'sample-failed'
  | 'child-failed'
  | 'bad-child-message'
  | 'unsupported';

export interface CollectorError {
  code: CollectorErrorCode;
  message: string;
  /** The value a failed sink was given, so the caller can still keep it. */
  value?: unknown;
}

export type CollectorResult<T> = Result<T, CollectorError>;

export const ok = <T>(value: T): CollectorResult<T> => ({ ok: true, value });
export const fail = <T = never>(code: CollectorErrorCode, message: string): CollectorResult<T> => ({
  ok: false,
  error: { code, message },
});

export const systemClock: Clock = () => Date.now();

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Calls a sink for each value, one at a time, in the order given. A failing
 * sink is reported (with the value) and the queue moves on: one bad write must
 * not wedge capture.
 */
export class SerialSink<T> {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: Sink<T>,
    private readonly onError: (error: CollectorError) => void,
  ) {}

  push(value: T): Promise<void> {
    this.tail = this.tail.then(async () => {
      try {
        await this.sink(value);
      } catch (err) {
        this.onError({ code: 'sink-failed', message: errorMessage(err), value });
      }
    });
    return this.tail;
  }

  /** Resolves once every value pushed so far has been handled. */
  drain(): Promise<void> {
    return this.tail;
  }
}

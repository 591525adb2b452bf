/**
 * Idle periods from input activity: feed it every second with input (the
 * InputCollector's onSecond); it checks the threshold once a second, tells the
 * shell when an idle period opens (tray prompt) and hands the closed period,
 * decision 'pending', to its sink.
 */
import type { CapturePolicy, IdlePeriodPayload } from '@sealtime/shared';
import { pino, type Logger } from 'pino';
import { SerialSink, systemClock, type Clock, type CollectorError, type Sink } from '../collector-types.js';
import type { InputSecond } from '../input/input-protocol.js';
import { IdleTracker } from './idle-tracker.js';

export type IdlePolicy = Pick<CapturePolicy['idle'], 'enabled' | 'thresholdSeconds'>;

export interface IdleCollectorOptions {
  policy: IdlePolicy;
  onPeriod: Sink<IdlePeriodPayload>;
  /** An idle period just opened (started at `start`): the tray may ask the employee. */
  onIdleStart?: ((start: number) => void) | undefined;
  onError?: (error: CollectorError) => void;
  clock?: Clock | undefined;
  logger?: Logger;
  checkIntervalMs?: number;
}

export class IdleCollector {
  private tracker: IdleTracker | undefined;
  private policy: IdlePolicy;
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: Clock;
  private readonly sink: SerialSink<IdlePeriodPayload>;
  private readonly log: Logger;

  constructor(private readonly options: IdleCollectorOptions) {
    this.policy = { ...options.policy };
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.sink = new SerialSink(
      options.onPeriod,
      options.onError ?? ((e) => this.log.error({ code: e.code }, e.message)),
    );
  }

  get isIdle(): boolean {
    return this.tracker?.isIdle ?? false;
  }

  start(): void {
    if (this.timer) return;
    if (this.policy.enabled) this.tracker = new IdleTracker(this.policy.thresholdSeconds, this.clock());
    this.timer = setInterval(() => this.check(), this.options.checkIntervalMs ?? 1000);
  }

  /** One second with input (InputCollector onSecond). */
  input(second: Pick<InputSecond, 'at'>): void {
    const t = this.tracker?.input(second.at);
    if (t?.type === 'closed') void this.sink.push(t.period);
  }

  updatePolicy(policy: IdlePolicy): void {
    const was = this.policy;
    this.policy = { ...policy };
    if (!policy.enabled) {
      this.closeOpen();
      this.tracker = undefined;
    } else if (!was.enabled || !this.tracker) {
      if (this.timer) this.tracker = new IdleTracker(policy.thresholdSeconds, this.clock());
    } else if (policy.thresholdSeconds !== was.thresholdSeconds) {
      this.tracker.setThreshold(policy.thresholdSeconds);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.closeOpen();
    this.tracker = undefined;
    await this.sink.drain();
  }

  private check(): void {
    const t = this.tracker?.check(this.clock());
    if (t?.type !== 'opened') return;
    try {
      this.options.onIdleStart?.(t.start);
    } catch (err) {
      this.log.error({ err }, 'idle listener failed');
    }
  }

  private closeOpen(): void {
    const period = this.tracker?.finish(this.clock());
    if (period) void this.sink.push(period);
  }
}

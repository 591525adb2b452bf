/**
 * Runs the anti-bypass detectors against the real clocks: a one-second
 * heartbeat (process suspension), wall vs monotonic clock (clock changes,
 * told apart from system sleep by the boot clock on Linux), the input seconds
 * (synthetic input) and input capture gaps. Flags go to a sink in order.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pino, type Logger } from 'pino';
import { SerialSink, type CollectorError, type Sink } from '../collector-types.js';
import type { InputGap } from '../input/hook-supervisor.js';
import type { InputSecond } from '../input/input-protocol.js';
import { ClockJumpDetector, HeartbeatGapDetector, type ClockSample } from './clock-watch.js';
import { inputGapFlag, type IntegrityFlag } from './integrity-flag.js';
import { InputRegularityMonitor, type RegularityOptions } from './input-regularity.js';

export interface ClockSources {
  wallMs(): number;
  monoMs(): number;
  bootMs?: (() => number | undefined) | undefined;
}

/** Linux: /proc/uptime counts time spent suspended. */
function linuxBootMs(): number | undefined {
  try {
    const s = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    return Number.isFinite(s) ? s * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export const systemClockSources: ClockSources = {
  wallMs: () => Date.now(),
  monoMs: () => performance.now(),
  bootMs: process.platform === 'linux' ? linuxBootMs : undefined,
};

export interface IntegrityMonitorOptions {
  onFlag: Sink<IntegrityFlag>;
  /** The machine slept (lid closed): not an integrity issue, but time without capture. */
  onSleep?: (period: { start: number; end: number }) => void;
  onError?: (error: CollectorError) => void;
  logger?: Logger;
  intervalMs?: number;
  heartbeatToleranceMs?: number;
  clockToleranceMs?: number;
  regularity?: Partial<RegularityOptions>;
  sources?: ClockSources;
}

export class IntegrityMonitor {
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeat: HeartbeatGapDetector;
  private readonly clockJumps: ClockJumpDetector;
  private readonly regularity: InputRegularityMonitor;
  private readonly sink: SerialSink<IntegrityFlag>;
  private readonly sources: ClockSources;
  private readonly intervalMs: number;

  constructor(private readonly options: IntegrityMonitorOptions) {
    const log = options.logger ?? pino({ level: 'silent' });
    this.intervalMs = options.intervalMs ?? 1000;
    this.heartbeat = new HeartbeatGapDetector(this.intervalMs, options.heartbeatToleranceMs);
    this.clockJumps = new ClockJumpDetector(options.clockToleranceMs);
    this.regularity = new InputRegularityMonitor(options.regularity);
    this.sink = new SerialSink(options.onFlag, options.onError ?? ((e) => log.error({ code: e.code }, e.message)));
    this.sources = options.sources ?? systemClockSources;
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sink.drain();
  }

  /** InputCollector onSecond. */
  input(second: InputSecond): void {
    const flag = this.regularity.add(second);
    if (flag) void this.sink.push(flag);
  }

  /** InputCollector onGap. */
  inputGap(gap: InputGap): void {
    void this.sink.push(inputGapFlag(gap));
  }

  private tick(): void {
    const now: ClockSample = { wallMs: this.sources.wallMs(), monoMs: this.sources.monoMs() };
    const boot = this.sources.bootMs?.();
    if (boot !== undefined) now.bootMs = boot;
    const gap = this.heartbeat.beat(now);
    if (gap) void this.sink.push(gap);
    const clock = this.clockJumps.sample(now);
    if (clock?.type === 'clock-jump') void this.sink.push(clock.flag);
    else if (clock?.type === 'system-sleep') this.options.onSleep?.({ start: clock.start, end: clock.end });
  }
}

/**
 * Input activity: the supervised hook child's per-second counts, folded into
 * policy-sized activity slots (ActivitySlotPayload) and handed to a sink in
 * order. Gaps in capture (the hook died) go to their own sink; every second
 * with input is also offered to listeners (idle detection, anti-bypass).
 */
import type { ActivitySlotPayload, CapturePolicy } from '@sealtime/shared';
import { pino, type Logger } from 'pino';
import { SerialSink, systemClock, type Clock, type CollectorError, type Sink } from '../collector-types.js';
import { ActivitySlotAggregator } from './activity-slots.js';
import { HookSupervisor, type BackoffOptions, type HookSource, type InputGap } from './hook-supervisor.js';
import type { InputSecond } from './input-protocol.js';

export type { HookSource, InputGap } from './hook-supervisor.js';
export type { InputSecond } from './input-protocol.js';

export interface InputCollectorOptions {
  /** Slot length in seconds (policy activity.slotSeconds). */
  slotSeconds: number;
  onSlot: Sink<ActivitySlotPayload>;
  onGap?: Sink<InputGap>;
  /** Every second with input, as it arrives (not awaited). */
  onSecond?: (second: InputSecond) => void;
  onError?: (error: CollectorError) => void;
  clock?: Clock | undefined;
  logger?: Logger;
  /**
   * Called synchronously with every slot before it goes to the sink, with the
   * time the slot ends (its end, or now for the partial slot on stop): the
   * capture session fills in the slot's app usage here. A partial slot that
   * comes back without input and without app usage is not handed on.
   */
  completeSlot?: (slot: ActivitySlotPayload, until: number) => ActivitySlotPayload;
  /** Emit slots without input (default true: 0 % is a fact too). */
  emitEmptySlots?: boolean;
  /** Wait after a slot ends for its last second to arrive (default 1500 ms). */
  slotGraceMs?: number;
  /** Environment of the hook (DISPLAY). */
  env?: NodeJS.ProcessEnv | undefined;
  /** Which hook runs (default: the RECORD hook on Linux with X, the uiohook child elsewhere). */
  source?: HookSource | undefined;
  execPath?: string | undefined;
  childScript?: string | undefined;
  backoff?: Partial<BackoffOptions> | undefined;
  readyTimeoutMs?: number | undefined;
}

/** One run of capture: start() once, stop() once (a new run is a new collector). */
export class InputCollector {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly slots: SerialSink<ActivitySlotPayload>;
  private readonly gaps: SerialSink<InputGap>;
  private readonly supervisor: HookSupervisor;
  private aggregator: ActivitySlotAggregator;
  private timer: NodeJS.Timeout | undefined;
  private stopped: Promise<void> | undefined;
  private readonly graceMs: number;

  constructor(private readonly options: InputCollectorOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.graceMs = options.slotGraceMs ?? 1500;
    const onError = options.onError ?? ((e: CollectorError) => this.log.error({ code: e.code }, e.message));
    this.slots = new SerialSink(options.onSlot, onError);
    this.gaps = new SerialSink(options.onGap ?? (() => undefined), onError);
    this.aggregator = new ActivitySlotAggregator(options.slotSeconds, this.clock(), options.emitEmptySlots ?? true);
    this.supervisor = new HookSupervisor({
      clock: this.clock,
      logger: this.log,
      env: options.env,
      execPath: options.execPath,
      childScript: options.childScript,
      source: options.source,
      backoff: options.backoff,
      readyTimeoutMs: options.readyTimeoutMs,
      onSecond: (s) => this.onSecond(s),
      onGap: (g) => void this.gaps.push(g),
      onError,
    });
  }

  /** pid of the hook child (tests kill it); undefined for the RECORD hook, which runs in this process. */
  get childPid(): number | undefined {
    return this.supervisor.pid;
  }

  /** Which hook runs. */
  get source(): HookSource {
    return this.supervisor.source;
  }

  /** Ends the running hook as a crash would (tests). */
  killHook(): void {
    this.supervisor.killHook();
  }

  get isCapturing(): boolean {
    return this.supervisor.isCapturing;
  }

  get restarts(): number {
    return this.supervisor.restarts;
  }

  /** Starts capture; resolves true once the hook runs (false: it failed and is being restarted). */
  async start(): Promise<boolean> {
    if (this.timer) return this.supervisor.start();
    // slots are counted from the start of capture, not from construction
    this.aggregator = new ActivitySlotAggregator(
      this.aggregator.slotSeconds,
      this.clock(),
      this.options.emitEmptySlots ?? true,
    );
    this.timer = setInterval(() => this.emitAll(this.aggregator.advance(this.clock(), this.graceMs)), 1000);
    return this.supervisor.start();
  }

  /** Applies a new slot length without restarting capture; the current slot is handed out first. */
  updatePolicy(policy: Pick<CapturePolicy, 'activity'>): void {
    const slotSeconds = policy.activity.slotSeconds;
    if (slotSeconds === this.aggregator.slotSeconds) return;
    this.flushPartial();
    this.aggregator = new ActivitySlotAggregator(slotSeconds, this.clock(), this.options.emitEmptySlots ?? true);
  }

  /** Hands out the current slot so far (activity being switched off) and waits for the sink. */
  async flushSlot(): Promise<void> {
    this.flushPartial();
    await this.slots.drain();
  }

  /** Ends the current slot at `at` (a project switch) and waits for the sink: the part before carries what was tracked. */
  async cutSlot(at: number): Promise<void> {
    this.emitAll(this.aggregator.advance(at, this.graceMs));
    const part = this.aggregator.cut(at);
    if (part) void this.slots.push(this.complete(part, at));
    await this.slots.drain();
  }

  /** Stops the hook (its last second is counted), hands out the partial slot and waits for the sinks. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      clearInterval(this.timer);
      this.timer = undefined;
      await this.supervisor.stop();
      this.emitAll(this.aggregator.advance(this.clock(), this.graceMs));
      this.flushPartial();
      await Promise.all([this.slots.drain(), this.gaps.drain()]);
    })();
    return this.stopped;
  }

  private onSecond(second: InputSecond): void {
    this.emitAll(this.aggregator.add(second));
    try {
      this.options.onSecond?.(second);
    } catch (err) {
      this.log.error({ err }, 'input listener failed');
    }
  }

  private emitAll(slots: ActivitySlotPayload[]): void {
    for (const s of slots) void this.slots.push(this.complete(s, s.start + s.slotSeconds * 1000));
  }

  /** Hands out the current slot so far (input counted, or app usage when a completer is set). */
  private flushPartial(): void {
    const complete = this.options.completeSlot;
    const partial = this.aggregator.flush(complete !== undefined);
    if (!partial) return;
    const slot = this.complete(partial, this.clock());
    if (slot.activeSeconds > 0 || (slot.apps?.length ?? 0) > 0 || slot.appsOtherSeconds !== undefined)
      void this.slots.push(slot);
  }

  private complete(slot: ActivitySlotPayload, until: number): ActivitySlotPayload {
    const complete = this.options.completeSlot;
    if (!complete) return slot;
    try {
      return complete(slot, until);
    } catch (err) {
      // the input counts are still recorded
      this.log.error({ err: (err as Error).message }, 'completing the activity slot failed');
      return slot;
    }
  }
}

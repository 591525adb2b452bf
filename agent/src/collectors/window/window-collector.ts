/**
 * App usage: samples the foreground window every `intervalMs` (default 1 s)
 * and merges the samples into app events with the shared heartbeat merge
 * (pulse = policy appTracking.pulseSeconds). Titles and URLs are dropped
 * before merging when the policy says so, so they never reach a sink.
 *
 * - An event ends when another window (or none) is seen; it is stretched to
 *   that sample's time when within the pulse, so consecutive events touch.
 * - A long event is handed out every `maxEventMs` (default 10 min) and goes on
 *   as a new one, so a crash loses at most that much.
 * - A sample that hangs (xprop stuck) is abandoned after `sampleTimeoutMs`.
 * - On X11 the X connection (x11-active-window.ts) both samples and says when
 *   the foreground may have changed (property events); between changes each
 *   second re-uses the last sample and a real one is taken only every
 *   `resampleMs` as a safety net. Timing stays that of 1 s polling at a
 *   fraction of the cost, and no helper process runs. Without the watcher (or
 *   when it dies) every tick samples.
 * - Where activity slots carry app usage (the usual case), `route` takes each
 *   closed span synchronously into the slot being filled, and `cutAt` closes
 *   the part of the open span before a slot's end; only spans it refuses
 *   (activity slots off) are sealed as app-event records.
 */
import {
  mergeHeartbeat,
  type AppEvent,
  type AppEventPayload,
  type CapturePolicy,
  type FocusSpan,
} from '@sealtime/shared';
import { pino, type Logger } from 'pino';
import {
  errorMessage,
  SerialSink,
  systemClock,
  type Clock,
  type CollectorError,
  type Sink,
} from '../collector-types.js';
import type { WindowSample, WindowSampler } from './active-window.js';
import { platformWindowSource } from './x11-active-window.js';
import type { ChangeWatcher } from './x11-focus-watcher.js';

export type AppTrackingPolicy = Pick<CapturePolicy['appTracking'], 'titles' | 'urls' | 'pulseSeconds'>;

export interface WindowCollectorOptions {
  policy: AppTrackingPolicy;
  onEvent: Sink<AppEventPayload>;
  /** Offered each closed span first, synchronously: true when it was taken (into an activity slot), false to seal it as an app event. */
  route?: ((span: FocusSpan) => boolean) | undefined;
  onError?: (error: CollectorError) => void;
  clock?: Clock | undefined;
  logger?: Logger;
  intervalMs?: number | undefined;
  maxEventMs?: number | undefined;
  sampleTimeoutMs?: number;
  sampler?: WindowSampler;
  /** Change notifications; default: the X11 reader's property events on Linux with a display and the real sampler; false: poll. */
  watcher?: ChangeWatcher | false | undefined;
  /** With a watcher, still sample for real this often (default 60 s). */
  resampleMs?: number;
}

export class WindowCollector {
  private policy: AppTrackingPolicy;
  private current: AppEvent | undefined;
  private lastSample: WindowSample | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private failing = false;
  private stopped = true;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly sink: SerialSink<AppEventPayload>;
  private readonly onError: (error: CollectorError) => void;
  private readonly sampler: WindowSampler;
  private readonly intervalMs: number;
  private readonly maxEventMs: number;
  private readonly sampleTimeoutMs: number;
  private readonly resampleMs: number;
  private readonly watcher: ChangeWatcher | false;
  private readonly route: ((span: FocusSpan) => boolean) | undefined;
  private cutRest: AppEvent | undefined;
  private watching = false;
  private dirty = true;
  private lastRealAt = -Infinity;
  private realSamples = 0;
  /** Ends the default source's X connection (none with an injected sampler). */
  private readonly closeSource: () => void;

  constructor(options: WindowCollectorOptions) {
    this.policy = { ...options.policy };
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.onError = options.onError ?? ((e) => this.log.warn({ code: e.code }, e.message));
    this.sink = new SerialSink(options.onEvent, this.onError);
    this.route = options.route;

    this.intervalMs = options.intervalMs ?? 1000;
    this.maxEventMs = options.maxEventMs ?? 600_000;
    this.sampleTimeoutMs = options.sampleTimeoutMs ?? 5000;
    this.resampleMs = options.resampleMs ?? 60_000;
    if (options.sampler) {
      this.sampler = options.sampler;
      this.watcher = options.watcher ?? false;
      this.closeSource = () => undefined;
    } else {
      const source = platformWindowSource();
      this.sampler = source.sample;
      this.watcher = options.watcher ?? source.watcher;
      this.closeSource = source.close;
    }
  }

  /** 'watch': sampling on change; 'poll': every tick. */
  get mode(): 'watch' | 'poll' {
    return this.watching ? 'watch' : 'poll';
  }

  /** How many times the sampler really ran (get-windows calls). */
  get samplesTaken(): number {
    return this.realSamples;
  }

  /** The latest raw sample (unredacted, never stored): screenshot exclusion asks it. */
  get foreground(): WindowSample | undefined {
    return this.lastSample;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.watcher) {
      this.watching = true;
      this.dirty = true;
      this.watcher.start(
        () => {
          this.dirty = true;
        },
        (reason) => {
          this.watching = false;
          this.log.warn({ reason }, 'focus watcher stopped; polling instead');
        },
      );
    }
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  /** Applies a new policy at once: the open event is closed so one event never mixes both settings. */
  updatePolicy(policy: AppTrackingPolicy): void {
    if (policy.titles !== this.policy.titles || policy.urls !== this.policy.urls) this.close(undefined);
    this.policy = { ...policy };
  }

  /** Samples once (used by tick; exposed so a caller can force a fresh reading). */
  async sample(): Promise<WindowSample | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`window sample took more than ${this.sampleTimeoutMs} ms`)),
        this.sampleTimeoutMs,
      );
    });
    try {
      return await Promise.race([this.sampler(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Hands out the part of the open span before `at` (a slot's end) and keeps
   * the rest open. A span last seen before `at` is stretched to it when within
   * the pulse, as a change would stretch it.
   */
  /** App events handed out so far are with their sink (a project switch waits for them). */
  drained(): Promise<void> {
    return this.sink.drain();
  }

  cutAt(at: number): void {
    const ev = this.current;
    if (!ev || at <= ev.start) return;
    const end = ev.start + ev.duration;
    if (end > at) {
      this.emit({ ...ev, duration: at - ev.start });
      this.current = { start: at, duration: end - at, data: ev.data };
      return;
    }
    const pulseMs = this.policy.pulseSeconds * 1000;
    if (at - end > pulseMs) {
      this.close(undefined);
      return;
    }
    this.emit({ ...ev, duration: at - ev.start });
    // kept so the next sample continues from the cut; handed out only once it holds time
    this.current = this.cutRest = { start: at, duration: 0, data: ev.data };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watcher) this.watcher.stop();
    this.closeSource();
    this.watching = false;
    clearInterval(this.timer);
    this.timer = undefined;
    this.close(undefined);
    await this.sink.drain();
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    try {
      const at = this.clock();
      if (this.watching && !this.dirty && at - this.lastRealAt < this.resampleMs) {
        // nothing changed: the last sample still holds
        this.observe(this.lastSample, at);
        return;
      }
      // cleared first: a change that arrives while sampling marks it dirty again
      this.dirty = false;
      let sample: WindowSample | undefined;
      try {
        this.realSamples += 1;
        sample = await this.sample();
        this.lastRealAt = at;
        this.failing = false;
      } catch (err) {
        this.dirty = true;
        // stopping closes the X connection under a sample in flight: not a failure
        if (this.stopped) return;
        // report the first failure of a streak, not one per second
        if (!this.failing) this.onError({ code: 'sample-failed', message: errorMessage(err) });
        this.failing = true;
        return;
      }
      if (this.stopped) return;
      this.lastSample = sample;
      this.observe(sample, at);
    } finally {
      this.busy = false;
    }
  }

  private observe(sample: WindowSample | undefined, at: number): void {
    if (!sample) {
      this.close(at);
      return;
    }
    const data: AppEvent['data'] = { app: sample.app, title: this.policy.titles ? sample.title : '' };
    if (this.policy.urls && sample.url) data.url = sample.url;
    const heartbeat: AppEvent = { start: at, duration: 0, data };
    let merged: ReturnType<typeof mergeHeartbeat>;
    try {
      merged = mergeHeartbeat(this.current, heartbeat, this.policy.pulseSeconds * 1000);
    } catch (err) {
      this.onError({ code: 'sample-failed', message: errorMessage(err) });
      return;
    }
    if (merged.merged) {
      this.current = merged.event;
      if (this.current.duration >= this.maxEventMs) {
        const end = this.current.start + this.current.duration;
        this.emit(this.current);
        this.current = { start: end, duration: 0, data: this.current.data };
      }
      return;
    }
    this.close(at);
    this.current = heartbeat;
  }

  /** Hands out the open event, stretched to `until` when that is within the pulse. */
  private close(until: number | undefined): void {
    const ev = this.current;
    if (!ev) return;
    this.current = undefined;
    const end = ev.start + ev.duration;
    const pulseMs = this.policy.pulseSeconds * 1000;
    const duration = until !== undefined && until > end && until - end <= pulseMs ? until - ev.start : ev.duration;
    if (ev === this.cutRest && duration === 0) return;
    this.emit({ ...ev, duration });
  }

  private emit(ev: AppEvent): void {
    const payload: AppEventPayload = { v: 1, start: ev.start, durationMs: Math.round(ev.duration), app: ev.data.app };
    if (this.policy.titles && ev.data.title !== '') payload.title = ev.data.title;
    if (this.policy.urls && ev.data.url) payload.url = ev.data.url;
    if (this.route) {
      const span: FocusSpan = { start: ev.start, end: ev.start + ev.duration, app: payload.app };
      if (payload.title !== undefined) span.title = payload.title;
      if (payload.url !== undefined) span.url = payload.url;
      try {
        if (this.route(span)) return;
      } catch (err) {
        this.onError({ code: 'sink-failed', message: errorMessage(err), value: payload });
      }
    }
    void this.sink.push(payload);
  }
}

/**
 * All collectors under one effective policy: starts what the policy switches
 * on, stops what it switches off, and hands changed settings to the running
 * ones, without a restart. Output goes to one sink per payload kind (the
 * composer points them at the recorder).
 *
 *   input hook ──► activity slots            (activity.enabled)
 *        │    └──► idle periods              (idle.enabled; the hook runs for either)
 *        └───────► integrity: synthetic input, capture gaps
 *   window ──────► app usage inside the slot (appTracking.enabled, activity slots on)
 *        └───────► app events                (appTracking.enabled, activity slots off)
 *
 * App usage rides in the activity slot (payload v2) because one app-event
 * per focus change made ~7 of every 8 records of a working day: the slot
 * carries the same seconds per app in one record per 10 minutes. A kill -9
 * loses the open slot's app usage, as it loses its input counts: at most one
 * slot, as the 10-minute cut of app events bounded it before. App-event
 * records stay for app tracking without activity slots (a policy may switch
 * activity off and keep app tracking), and readers take both kinds.
 *
 *   screenshots ─► images                    (screenshots.enabled)
 *        └───────► integrity: capture helper failed (once per failing streak)
 *   clocks ──────► integrity: suspension, clock jumps      (always)
 *   system info ─► device info at start and daily          (always)
 */
import {
  SlotAppBook,
  type ActivitySlotPayload,
  type AppEventPayload,
  type CapturePolicy,
  type DeviceInfoPayload,
  type FocusSpan,
  type IdlePeriodPayload,
} from '@sealtime/shared';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock, type CollectorError, type Sink } from './collector-types.js';
import { IntegrityMonitor } from './anti-bypass/integrity-monitor.js';
import { makeFlag, type IntegrityFlag } from './anti-bypass/integrity-flag.js';
import { IdleCollector } from './idle/idle-collector.js';
import { InputCollector } from './input/input-collector.js';
import {
  ScreenshotCollector,
  type CapturedScreenshot,
  type ScreenshotCollectorOptions,
} from './screenshot/screenshot-collector.js';
import { SystemInfoCollector } from './system-info.js';
import { WindowCollector } from './window/window-collector.js';

export interface CaptureSinks {
  activitySlot: Sink<ActivitySlotPayload>;
  appEvent: Sink<AppEventPayload>;
  idlePeriod: Sink<IdlePeriodPayload>;
  screenshot: Sink<CapturedScreenshot>;
  deviceInfo: Sink<DeviceInfoPayload>;
  integrity: Sink<IntegrityFlag>;
}

export type CaptureSource = 'input' | 'window' | 'idle' | 'screenshot' | 'system' | 'integrity';

export interface CaptureSessionOptions {
  policy: CapturePolicy;
  sinks: CaptureSinks;
  /** An idle period opened: the tray asks keep/discard. */
  onIdleStart?: (start: number) => void;
  onError?: (error: CollectorError, source: CaptureSource) => void;
  clock?: Clock;
  logger?: Logger;
  /** Environment of the input hook child (DISPLAY). */
  env?: NodeJS.ProcessEnv;
  /** The recorder's screenshotMode(), asked before each screenshot round. */
  screenshotBudget?: () => { mode: string; quality: number };
  screenshots?: Partial<
    Pick<ScreenshotCollectorOptions, 'mode' | 'excludedAppAction' | 'maxWidth' | 'quality' | 'intervalMs'>
  >;
  windowIntervalMs?: number;
  systemInfoIntervalMs?: number;
}

export interface CaptureState {
  input: boolean;
  window: boolean;
  screenshots: boolean;
  idle: boolean;
}

export class CaptureSession {
  private policy: CapturePolicy;
  private input: InputCollector | undefined;
  private window: WindowCollector | undefined;
  private shots: ScreenshotCollector | undefined;
  private readonly idle: IdleCollector;
  private readonly integrity: IntegrityMonitor;
  private readonly system: SystemInfoCollector;
  private readonly log: Logger;
  private running = false;
  /** Whether activity slots are wanted: switched off only after the open slot is handed out. */
  private slotsOn: boolean;
  // policy changes and stop are applied one at a time
  private queue: Promise<void> = Promise.resolve();
  /** Screenshots are failing since the last alert: no new alert until one succeeds. */
  private shotsFailing = false;
  /** Focus spans waiting for their activity slot. */
  private readonly apps: SlotAppBook;

  constructor(private readonly options: CaptureSessionOptions) {
    this.policy = options.policy;
    this.slotsOn = options.policy.activity.enabled;
    this.apps = new SlotAppBook(options.policy.appTracking);
    this.log = options.logger ?? pino({ level: 'silent' });
    this.idle = new IdleCollector({
      policy: this.policy.idle,
      onPeriod: options.sinks.idlePeriod,
      onIdleStart: options.onIdleStart,
      onError: this.errorsFrom('idle'),
      clock: options.clock,
      logger: this.log,
    });
    this.integrity = new IntegrityMonitor({
      onFlag: options.sinks.integrity,
      onError: this.errorsFrom('integrity'),
      logger: this.log,
    });
    this.system = new SystemInfoCollector({
      onInfo: options.sinks.deviceInfo,
      onError: this.errorsFrom('system'),
      logger: this.log,
      intervalMs: options.systemInfoIntervalMs,
    });
  }

  get state(): CaptureState {
    return {
      input: this.input !== undefined,
      window: this.window !== undefined,
      screenshots: this.shots !== undefined,
      idle: this.running && this.policy.idle.enabled,
    };
  }

  /** pid of the input hook child, if it runs. */
  get inputChildPid(): number | undefined {
    return this.input?.childPid;
  }

  start(): Promise<void> {
    return this.serial(async () => {
      if (this.running) return;
      this.running = true;
      this.integrity.start();
      this.idle.start();
      await this.apply();
      await this.system.start();
    });
  }

  /** Applies a new effective policy at once. */
  updatePolicy(policy: CapturePolicy): Promise<void> {
    return this.serial(async () => {
      this.policy = policy;
      if (this.running) await this.apply();
      else this.idle.updatePolicy(policy.idle);
    });
  }

  /**
   * Ends the open activity slot and focus span at `at` and waits until they
   * are with their sinks: the employee switched project, and each part is
   * sealed with the project that was tracked during it.
   */
  cutAt(at: number): Promise<void> {
    return this.serial(async () => {
      if (!this.running) return;
      this.window?.cutAt(at);
      await this.input?.cutSlot(at);
      await this.window?.drained();
    });
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      if (!this.running) return;
      this.running = false;
      // the window first: its last span goes into the slot the input collector hands out last
      await this.window?.stop();
      await Promise.all([this.input?.stop(), this.shots?.stop()]);
      this.input = this.window = this.shots = undefined;
      await Promise.all([this.idle.stop(), this.integrity.stop(), this.system.stop()]);
    });
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task);
    this.queue = next.catch((err: unknown) => this.log.error({ err }, 'capture session step failed'));
    return next;
  }

  private async apply(): Promise<void> {
    const p = this.policy;
    const o = this.options;
    this.idle.updatePolicy(p.idle);

    const wantInput = p.activity.enabled || p.idle.enabled;
    if (wantInput && !this.input) {
      this.input = new InputCollector({
        slotSeconds: p.activity.slotSeconds,
        // the hook also runs for idle detection alone: slots are dropped then
        onSlot: (slot) => (this.slotsOn ? o.sinks.activitySlot(slot) : undefined),
        completeSlot: (slot, until) => this.withAppUsage(slot, until),
        onSecond: (s) => {
          this.idle.input(s);
          this.integrity.input(s);
        },
        onGap: (g) => this.integrity.inputGap(g),
        onError: this.errorsFrom('input'),
        clock: o.clock,
        logger: this.log,
        env: o.env,
      });
      const ready = await this.input.start();
      if (!ready) this.log.warn('input hook did not start; it is being restarted');
    } else if (!wantInput && this.input) {
      await this.input.stop();
      this.input = undefined;
    } else if (this.input) {
      // input counted while activity was on is still recorded
      if (this.slotsOn && !p.activity.enabled) await this.input.flushSlot();
      this.input.updatePolicy(p);
    }
    // app usage so far goes where it belonged (slot or app events) before the switch
    if (this.slotsOn !== p.activity.enabled) this.window?.cutAt((o.clock ?? systemClock)());
    this.slotsOn = p.activity.enabled;
    this.apps.setPolicy(p.appTracking);

    if (p.appTracking.enabled && !this.window) {
      this.window = new WindowCollector({
        policy: p.appTracking,
        onEvent: o.sinks.appEvent,
        route: (span) => this.routeSpan(span),
        onError: this.errorsFrom('window'),
        clock: o.clock,
        logger: this.log,
        intervalMs: o.windowIntervalMs,
      });
      this.window.start();
    } else if (!p.appTracking.enabled && this.window) {
      await this.window.stop();
      this.window = undefined;
    } else {
      this.window?.updatePolicy(p.appTracking);
    }

    const wantShots = p.screenshots.enabled && p.screenshots.perHour > 0;
    if (wantShots && !this.shots) {
      this.shots = new ScreenshotCollector({
        ...o.screenshots,
        policy: p.screenshots,
        onScreenshot: (shot) => {
          this.shotsFailing = false;
          return o.sinks.screenshot(shot);
        },
        onError: (error) => {
          this.screenshotFailed(error);
          this.errorsFrom('screenshot')(error);
        },
        clock: o.clock,
        logger: this.log,
        recordApp: () => this.policy.appTracking.enabled,
        budget: o.screenshotBudget,
      });
      this.shots.start();
    } else if (!wantShots && this.shots) {
      await this.shots.stop();
      this.shots = undefined;
    } else {
      this.shots?.updatePolicy(p.screenshots);
    }
  }

  /**
   * A capture helper failing (xrandr, ImageMagick, the X server gone) costs
   * screenshots, nothing else: reviewers get one integrity alert per failing
   * streak (not one per round), and the next good shot re-arms it. A sink
   * failure is the store's problem, reported by the recorder, not here.
   */
  private screenshotFailed(error: CollectorError): void {
    if (error.code === 'sink-failed' || this.shotsFailing) return;
    this.shotsFailing = true;
    const flag = makeFlag(
      'capture-failed',
      (this.options.clock ?? systemClock)(),
      `screenshot capture failed (${error.code}): ${error.message.slice(0, 500)}`,
    );
    void Promise.resolve()
      .then(() => this.options.sinks.integrity(flag))
      .catch((err: unknown) =>
        this.log.error({ err: (err as Error).message }, 'could not record a capture-failure alert'),
      );
  }

  /** A closed focus span goes into the activity slot while slots are recorded; otherwise it becomes an app event. */
  private routeSpan(span: FocusSpan): boolean {
    if (!this.slotsOn || !this.input) return false;
    this.apps.add(span);
    return true;
  }

  /** The slot with its app usage (v2) when app tracking is on or left usage in it; as counted otherwise. */
  private withAppUsage(slot: ActivitySlotPayload, until: number): ActivitySlotPayload {
    if (!this.slotsOn) return slot;
    this.window?.cutAt(until);
    const usage = this.apps.take(slot.start, slot.slotSeconds, until);
    if (!this.window && usage.apps.length === 0 && usage.appsOtherSeconds === undefined) return slot;
    return { ...slot, v: 2, ...usage };
  }

  private errorsFrom(source: CaptureSource): (error: CollectorError) => void {
    return (error) => {
      if (this.options.onError) this.options.onError(error, source);
      else this.log.warn({ source, code: error.code }, error.message);
    };
  }
}

/**
 * Screenshots on the policy's schedule, of every display, downscaled and WebP
 * compressed, handed to a sink one display at a time.
 *
 * Privacy, decided here before any pixel leaves the collector:
 * - the foreground app is read right before and right after the grab; if
 *   either is in policy excludedApps the shot is skipped ('skip', the policy's
 *   "never screenshotted", default) or blurred ('blur');
 * - when the foreground cannot be read and the list is not empty, the shot is
 *   treated as excluded (fail closed);
 * - policy screenshots.blur blurs every shot;
 * - the app name goes into the metadata only when `recordApp` is on (the
 *   composer sets it from appTracking.enabled).
 * Disk budget: setQuality() lowers the WebP quality, setPaused() stops captures;
 * or `budget` is asked before every round (the recorder's screenshotMode():
 * quality factor 1 / 0.5, mode 'paused').
 */
import type { CapturePolicy, ScreenshotPayload } from '@sealtime/shared';
import { pino, type Logger } from 'pino';
import {
  errorMessage,
  SerialSink,
  systemClock,
  type Clock,
  type CollectorError,
  type Sink,
} from '../collector-types.js';
import { matchesApp, type WindowSample, type WindowSampler } from '../window/active-window.js';
import { platformWindowSource } from '../window/x11-active-window.js';
import { encodeScreenshot, encodeThumbnail } from './image-encode.js';
import { desktopCapture, type ScreenCapture } from './screen-capture.js';
import { ScreenshotSchedule, type ScheduleMode } from './screenshot-schedule.js';

export type ScreenshotPolicy = Pick<CapturePolicy['screenshots'], 'enabled' | 'perHour' | 'blur' | 'excludedApps'>;

/** Matches the recorder's recordScreenshot(meta, image). */
export interface CapturedScreenshot {
  meta: Pick<ScreenshotPayload, 'takenAt' | 'screen' | 'width' | 'height' | 'format' | 'blurred' | 'app' | 'thumb'>;
  image: Uint8Array;
}

export type SkipReason = 'excluded-app' | 'paused' | 'disabled' | 'failed';

export interface ScreenshotSkip {
  at: number;
  reason: SkipReason;
  detail?: string;
}

export interface ScreenshotCollectorOptions {
  policy: ScreenshotPolicy;
  onScreenshot: Sink<CapturedScreenshot>;
  onSkip?: (skip: ScreenshotSkip) => void;
  onError?: (error: CollectorError) => void;
  clock?: Clock | undefined;
  logger?: Logger;
  mode?: ScheduleMode;
  /** What to do when an excluded app is in front (default 'skip'). */
  excludedAppAction?: 'skip' | 'blur';
  /** Put the foreground app name into the metadata (a function: read per round). */
  recordApp?: boolean | (() => boolean);
  maxWidth?: number;
  /** WebP quality, 1..100 (default 70). */
  quality?: number;
  /** Overrides 3600 s / perHour (tests, benchmarks). */
  intervalMs?: number;
  random?: () => number;
  capture?: ScreenCapture;
  foreground?: () => Promise<WindowSample | undefined>;
  /** Asked before each round: 'paused' skips it, `quality` (0..1) scales the WebP quality. */
  budget?: (() => { mode: string; quality: number }) | undefined;
}

export interface CaptureOutcome {
  captured: number;
  skipped?: SkipReason;
  errors: CollectorError[];
}

// longest single wait: the schedule is re-read at least this often (policy, clock changes)
const MAX_WAIT_MS = 60_000;
const MAX_SCREENS = 17; // payload screen index 0..16

export class ScreenshotCollector {
  private policy: ScreenshotPolicy;
  private schedule: ScreenshotSchedule;
  private quality: number;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<CaptureOutcome> | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly sink: SerialSink<CapturedScreenshot>;
  private readonly onError: (error: CollectorError) => void;
  private readonly capture: ScreenCapture;
  private readonly foreground: () => Promise<WindowSample | undefined>;
  private source: { sample: WindowSampler; close(): void } | undefined;

  constructor(private readonly options: ScreenshotCollectorOptions) {
    this.policy = { ...options.policy, excludedApps: [...options.policy.excludedApps] };
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.onError = options.onError ?? ((e) => this.log.warn({ code: e.code }, e.message));
    this.sink = new SerialSink(options.onScreenshot, this.onError);
    this.capture = options.capture ?? desktopCapture();
    // opened with the first round, over the X connection on X11 (no helper processes)
    this.foreground = options.foreground ?? (() => (this.source ??= platformWindowSource()).sample());
    this.quality = options.quality ?? 70;
    this.schedule = this.makeSchedule();
  }

  get currentQuality(): number {
    return this.quality;
  }

  /** Disk budget: a lower WebP quality for the following captures. */
  setQuality(quality: number): void {
    this.quality = Math.round(Math.min(100, Math.max(1, quality)));
  }

  /** Disk budget: no captures while paused (the schedule keeps running). */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  updatePolicy(policy: ScreenshotPolicy): void {
    const rescheduled = policy.perHour !== this.policy.perHour;
    this.policy = { ...policy, excludedApps: [...policy.excludedApps] };
    if (rescheduled) this.schedule = this.makeSchedule();
    if (this.running) this.arm();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    this.source?.close();
    this.source = undefined;
    await this.sink.drain();
  }

  /** Takes one round of screenshots now (every display), applying policy, pause and exclusions. */
  captureNow(): Promise<CaptureOutcome> {
    // one round at a time: a slow capture must not pile up behind the timer
    this.inFlight ??= this.round().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private makeSchedule(): ScreenshotSchedule {
    return new ScreenshotSchedule(
      this.policy.perHour,
      this.options.mode ?? 'random',
      this.options.random,
      this.options.intervalMs,
    );
  }

  private arm(catchUp = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    const now = this.clock();
    const at = this.schedule.next(now, catchUp);
    const wait = at === undefined ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, Math.max(0, at - now));
    this.timer = setTimeout(() => {
      const firedAt = this.clock();
      if (at === undefined || firedAt < at) return this.arm();
      // the interval the shot is really taken in (a late timer may be in the next one)
      this.schedule.taken(firedAt);
      // a round that ran past the next interval's moment must not cost that interval its shot
      void this.captureNow().then(
        () => this.arm(true),
        (err: unknown) => {
          this.onError({ code: 'capture-failed', message: errorMessage(err) });
          this.arm(true);
        },
      );
    }, wait);
  }

  private async round(): Promise<CaptureOutcome> {
    const at = this.clock();
    const skip = (reason: SkipReason, detail?: string): CaptureOutcome => {
      this.options.onSkip?.({ at, reason, ...(detail ? { detail } : {}) });
      return { captured: 0, skipped: reason, errors: [] };
    };
    if (!this.policy.enabled || this.policy.perHour === 0) return skip('disabled');
    const budget = this.options.budget?.();
    if (this.paused || budget?.mode === 'paused' || budget?.quality === 0) return skip('paused');
    const factor = budget && Number.isFinite(budget.quality) ? Math.min(1, Math.max(0, budget.quality)) : 1;
    const quality = Math.max(1, Math.round(this.quality * factor));

    const action = this.options.excludedAppAction ?? 'skip';
    const before = await this.readForeground();
    let excluded = this.excludedBy(before);
    if (excluded && action === 'skip') return skip('excluded-app', excluded);

    const listed = await this.capture.listDisplays();
    if (!listed.ok) {
      this.onError(listed.error);
      return { ...skip('failed', listed.error.message), errors: [listed.error] };
    }
    const outcome: CaptureOutcome = { captured: 0, errors: [] };
    const shots: CapturedScreenshot[] = [];
    for (const [screen, display] of listed.value.slice(0, MAX_SCREENS).entries()) {
      const png = await this.capture.capture(display);
      if (!png.ok) {
        outcome.errors.push(png.error);
        this.onError(png.error);
        continue;
      }
      // the app may have come to the front during the grab
      const after = await this.readForeground();
      excluded ??= this.excludedBy(after);
      if (excluded && action === 'skip') return skip('excluded-app', excluded);
      const blurred = this.policy.blur || excluded !== undefined;
      const encoded = await encodeScreenshot(png.value, {
        maxWidth: this.options.maxWidth ?? 1920,
        quality,
        blur: blurred,
      });
      if (!encoded.ok) {
        outcome.errors.push(encoded.error);
        this.onError(encoded.error);
        continue;
      }
      const meta: CapturedScreenshot['meta'] = {
        takenAt: at,
        screen,
        width: encoded.value.width,
        height: encoded.value.height,
        format: 'webp',
        blurred,
      };
      const app = after?.app ?? before?.app;
      const recordApp =
        typeof this.options.recordApp === 'function' ? this.options.recordApp() : this.options.recordApp;
      if (recordApp && app) meta.app = app;
      // from the encoded (already blurred) image; a shot without a preview is still a shot
      const thumb = await encodeThumbnail(encoded.value.image);
      if (thumb.ok) meta.thumb = thumb.value.thumb;
      else this.onError(thumb.error);
      shots.push({ meta, image: encoded.value.image });
    }
    // handed on only once every display passed the exclusion check
    for (const shot of shots) void this.sink.push(shot);
    outcome.captured = shots.length;
    await this.sink.drain();
    return outcome;
  }

  private excludedBy(sample: WindowSample | undefined): string | undefined {
    if (this.policy.excludedApps.length === 0) return undefined;
    return sample ? matchesApp(sample, this.policy.excludedApps) : '(foreground unknown)';
  }

  private async readForeground(): Promise<WindowSample | undefined> {
    try {
      return await this.foreground();
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'cannot read the foreground app before a screenshot');
      return undefined;
    }
  }
}

// Capture: what the agent observes, as payloads for the recorder to seal.
export * from './collector-types.js';
export {
  InputCollector,
  type InputCollectorOptions,
  type InputGap,
  type InputSecond,
} from './input/input-collector.js';
export { ActivitySlotAggregator } from './input/activity-slots.js';
export { WindowCollector, type WindowCollectorOptions, type AppTrackingPolicy } from './window/window-collector.js';
export { getWindowsSampler, matchesApp, type WindowSample, type WindowSampler } from './window/active-window.js';
export { X11FocusWatcher, type ChangeWatcher } from './window/x11-focus-watcher.js';
export { IdleCollector, type IdleCollectorOptions, type IdlePolicy } from './idle/idle-collector.js';
export { IdleTracker } from './idle/idle-tracker.js';
export {
  ScreenshotCollector,
  type ScreenshotCollectorOptions,
  type ScreenshotPolicy,
  type CapturedScreenshot,
  type CaptureOutcome,
  type ScreenshotSkip,
  type SkipReason,
} from './screenshot/screenshot-collector.js';
export { ScreenshotSchedule, type ScheduleMode } from './screenshot/screenshot-schedule.js';
export { desktopCapture, type Display, type ScreenCapture } from './screenshot/screen-capture.js';
export { encodeScreenshot, type EncodeOptions } from './screenshot/image-encode.js';
export {
  collectDeviceInfo,
  SystemInfoCollector,
  type DeviceInfoOptions,
  type SystemInfoCollectorOptions,
} from './system-info.js';
export {
  IntegrityMonitor,
  systemClockSources,
  type IntegrityMonitorOptions,
  type ClockSources,
} from './anti-bypass/integrity-monitor.js';
export {
  InputRegularityMonitor,
  detectConstantRate,
  detectPeriodicInput,
  DEFAULT_REGULARITY,
  type RegularityOptions,
} from './anti-bypass/input-regularity.js';
export {
  ClockJumpDetector,
  HeartbeatGapDetector,
  type ClockSample,
  type ClockEvent,
} from './anti-bypass/clock-watch.js';
export {
  inputGapFlag,
  makeFlag,
  toIntegrityAlert,
  type FlagKind,
  type IntegrityFlag,
} from './anti-bypass/integrity-flag.js';
export {
  CaptureSession,
  type CaptureSessionOptions,
  type CaptureSinks,
  type CaptureSource,
  type CaptureState,
} from './capture-session.js';

/**
 * Capture policy: what the agent records about an employee, and how long it is
 * kept. Admins set it in layers (organisation → team → employee → device);
 * resolve-policy.ts folds the layers over DEFAULT_POLICY into one CapturePolicy.
 */

/** Fully resolved settings: every field present, every value in range. */
export interface CapturePolicy {
  activity: {
    enabled: boolean;
    /** Length of one activity slot, 60..600 s. */
    slotSeconds: number;
  };
  appTracking: {
    enabled: boolean;
    /** Record window titles (may contain document names, e-mail subjects). */
    titles: boolean;
    /** Record browser URLs. */
    urls: boolean;
    /** How often the foreground app is sampled, 5..300 s. */
    pulseSeconds: number;
  };
  screenshots: {
    enabled: boolean;
    /** 0..60 screenshots per hour. */
    perHour: number;
    blur: boolean;
    /** App identifiers never screenshotted. Unioned across levels. */
    excludedApps: string[];
    /** Random moment within each interval (harder to game) instead of a fixed cadence. */
    randomInterval: boolean;
    /** Tell the employee each time a screenshot is taken. */
    notify: boolean;
  };
  idle: {
    enabled: boolean;
    /** No input for this long counts as idle, 60..3600 s. */
    thresholdSeconds: number;
    /** Drop idle time from tracked time instead of keeping it flagged. */
    discardIdle: boolean;
  };
  attendance: {
    enabled: boolean;
    autoClockIn: boolean;
    /** An idle period while clocked in starts a break; input coming back ends it. */
    autoBreakOnIdle: boolean;
  };
  retention: {
    /** Days recorded data is kept, 1..3650. */
    days: number;
  };
  storage: {
    /**
     * Local disk the agent may use for unsent data, 64 MiB..1 TiB. Past it,
     * screenshots degrade, then pause; records are never dropped.
     */
    budgetMb: number;
  };
  employeeCanPause: boolean;
  tracking: {
    /** Tracked time should name a project: the agent asks for one while none is picked (capture goes on, as "no project"). */
    requireProject: boolean;
  };
  manualTime: {
    /** The employee may add manual time entries (time away from the computer). */
    enabled: boolean;
    /** Who approves manual entries: nobody (they count at once), the team's manager, or HR. */
    approval: ManualTimeApproval;
  };
}

export type ManualTimeApproval = 'none' | 'manager' | 'hr';

/**
 * A deep-partial CapturePolicy as one layer states it. Arrays stay whole:
 * a layer gives a list, never a partial list.
 */
export type PolicyPatch = DeepPartial<CapturePolicy>;

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

export type PolicyLevel = 'default' | 'organisation' | 'team' | 'employee' | 'device';
export type LayerLevel = Exclude<PolicyLevel, 'default'>;

/** Layers apply in this order whatever order they are given in; later wins. */
export const LAYER_ORDER: readonly LayerLevel[] = Object.freeze([
  'organisation',
  'team',
  'employee',
  'device',
] as const);

export interface PolicyLayer {
  level: LayerLevel;
  /** Id of the organisation/team/employee/device this layer belongs to. */
  id: string;
  settings: PolicyPatch;
  /**
   * Dotted paths (leaf or group, e.g. 'screenshots.perHour' or 'screenshots')
   * that levels below this one may not change, except to switch capture off.
   */
  locked?: string[];
}

/** Which layer decided a field's value. `id` is absent for 'default'. */
export interface PolicySource {
  level: PolicyLevel;
  id?: string;
}

/** A lower level's setting that had no effect because a higher level locked it. */
export interface IgnoredOverride {
  path: string;
  level: LayerLevel;
  reason: 'locked';
  lockedBy: LayerLevel;
}

export type PolicyErrorCode = 'duplicate-level' | 'invalid-value' | 'unknown-field';

export interface PolicyError {
  code: PolicyErrorCode;
  /** Dotted policy path the error is about, when there is one. */
  path?: string;
  message: string;
}

export type ResolvedPolicy =
  | {
      ok: true;
      policy: CapturePolicy;
      /** One entry per dotted leaf path of CapturePolicy. */
      source: Record<string, PolicySource>;
      ignored: IgnoredOverride[];
    }
  | { ok: false; error: PolicyError };

/**
 * Defaults, privacy-leaning but still useful out of the box:
 * - activity and app names on: the core of a time tracker, and low-intrusion;
 *   10-minute slots (the coarsest allowed) reveal the least about minute-by-minute work.
 * - window titles and URLs off: they leak content (documents, mail subjects, sites).
 * - screenshots off, and blurred when an admin turns them on: the most intrusive
 *   capture must be an explicit decision. perHour = 3 so switching them on alone
 *   gives a sensible cadence instead of silently capturing nothing.
 * - idle detection on with 5 minutes; idle time kept (flagged) rather than
 *   discarded so paid time never disappears without a reviewer deciding.
 * - attendance on, but no automatic clock-in: the employee starts their day.
 * - 90 days of retention; employees may pause tracking.
 * - screenshots at a random moment of each interval, announced to the employee;
 *   2 GiB of local disk for unsent data before screenshots degrade.
 */
export const DEFAULT_POLICY: CapturePolicy = deepFreeze({
  activity: { enabled: true, slotSeconds: 600 },
  appTracking: { enabled: true, titles: false, urls: false, pulseSeconds: 15 },
  screenshots: { enabled: false, perHour: 3, blur: true, excludedApps: [], randomInterval: true, notify: true },
  idle: { enabled: true, thresholdSeconds: 300, discardIdle: false },
  attendance: { enabled: true, autoClockIn: false, autoBreakOnIdle: false },
  retention: { days: 90 },
  storage: { budgetMb: 2048 },
  employeeCanPause: true,
  tracking: { requireProject: false },
  manualTime: { enabled: true, approval: 'manager' },
});

// Frozen so no caller can change the defaults every resolution starts from.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
